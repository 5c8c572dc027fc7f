#include "deck/sentence_ranker.h"

#include <gtest/gtest.h>

namespace presgen {
namespace {

std::vector<Segment> Sentences(const std::vector<std::string>& texts) {
  std::vector<Segment> out;
  for (const auto& t : texts) out.push_back({0, 0, t, {}});
  return out;
}

TEST(SentenceRanker, CentralSentencesShareTheTalksVocabulary) {
  const auto s = Sentences({
      "Restaurants waste food every single day.",
      "Our software predicts food demand for restaurants.",
      "Restaurants using our software waste less food.",
      "My cat likes sunny windows.",
  });
  const SentenceRanker ranker(s);
  ASSERT_EQ(ranker.size(), 4u);
  EXPECT_DOUBLE_EQ(std::max({ranker.Centrality(0), ranker.Centrality(1), ranker.Centrality(2)}),
                   1.0);
  EXPECT_LT(ranker.Centrality(3), 0.5);  // shares nothing: the damping floor
  EXPECT_GT(ranker.Centrality(2), ranker.Centrality(3));
  EXPECT_NEAR(ranker.Similarity(1, 1), 1.0, 1e-12);
  EXPECT_DOUBLE_EQ(ranker.Similarity(0, 3), 0.0);
  EXPECT_GT(ranker.Similarity(0, 2), ranker.Similarity(0, 1));
  const auto top = ranker.TopTerms(2);
  ASSERT_EQ(top.size(), 2u);
  EXPECT_TRUE(ranker.Contains(0, "restau"));
  EXPECT_FALSE(ranker.Contains(3, "restau"));
}

TEST(SentenceRanker, FiguresAreTerms) {
  EXPECT_EQ(RankerTerms("we raised two million dollars"),
            (std::vector<std::string>{"raised", "$2M"}));
}

TEST(PickByMmr, SkipsRepeatsAcrossSlides) {
  const auto s = Sentences({
      "Food waste costs restaurants forty percent of their margin.",
      "Food waste costs restaurants forty percent of their margin, really.",
      "Our pilot halved waste in three months.",
      "We are raising two million dollars.",
  });
  const SentenceRanker ranker(s);
  const std::vector<double> score = {1.0, 0.99, 0.5, 0.4};
  std::vector<size_t> chosen;
  auto first = PickByMmr(ranker, score, {0, 1}, 2, &chosen);
  // The near-copy is never picked, even with room for it.
  EXPECT_EQ(first, (std::vector<size_t>{0}));
  // A later slide cannot repeat it either, and picks by score otherwise.
  auto second = PickByMmr(ranker, score, {1, 2, 3}, 2, &chosen);
  EXPECT_EQ(second, (std::vector<size_t>{2, 3}));
  EXPECT_EQ(chosen, (std::vector<size_t>{0, 2, 3}));
  EXPECT_TRUE(PickByMmr(ranker, score, {}, 3, &chosen).empty());
}

TEST(SentenceRanker, EmptyAndWordlessTalks) {
  const SentenceRanker none(std::vector<Segment>{});
  EXPECT_EQ(none.size(), 0u);
  EXPECT_TRUE(none.TopTerms(3).empty());
  const SentenceRanker wordless(Sentences({"um", "uh"}));
  EXPECT_EQ(wordless.size(), 2u);
  EXPECT_DOUBLE_EQ(wordless.Similarity(0, 1), 0.0);
}

}  // namespace
}  // namespace presgen

#include "deck/text_tools.h"

#include <gtest/gtest.h>

namespace presgen {
namespace {

std::string Figures(const std::string& s) { return JoinTokens(NumbersToFigures(SplitTokens(s))); }

TEST(NumbersToFigures, SpokenNumbersBecomeFigures) {
  EXPECT_EQ(Figures("we waste forty percent of food"), "we waste 40% of food");
  EXPECT_EQ(Figures("raising two million dollars."), "raising $2M.");
  EXPECT_EQ(Figures("ten thousand dollars a month"), "$10K a month");
  EXPECT_EQ(Figures("worth two billion dollars"), "worth $2B");
  EXPECT_EQ(Figures("twelve restaurants"), "12 restaurants");
  EXPECT_EQ(Figures("three point five million users"), "3.5M users");
  EXPECT_EQ(Figures("a million users"), "1M users");
  EXPECT_EQ(Figures("one hundred twenty five customers"), "125 customers");
  EXPECT_EQ(Figures("twelve thousand five hundred users"), "12,500 users");
  EXPECT_EQ(Figures("fifteen per cent"), "15%");
}

TEST(NumbersToFigures, PricesYearsAndSpokenForms) {
  EXPECT_EQ(Figures("it costs ninety nine dollars a month"), "it costs $99 a month");
  EXPECT_EQ(Figures("it costs ninety-nine dollars"), "it costs $99");
  EXPECT_EQ(Figures("half a million dollars"), "$500K");
  EXPECT_EQ(Figures("raising two and a half million dollars"), "raising $2.5M");
  EXPECT_EQ(Figures("two and a half years"), "2.5 years");
  EXPECT_EQ(Figures("two and a halfback"), "two and a halfback");
  EXPECT_EQ(Figures("one hundred and twenty customers"), "120 customers");
  EXPECT_EQ(Figures("twenty five percent"), "25%");
  EXPECT_EQ(Figures("since twenty twenty four"), "since 2024");
  EXPECT_EQ(Figures("founded in nineteen ninety nine."), "founded in 1999.");
  EXPECT_EQ(Figures("two point five million dollars"), "$2.5M");
  // Two numbers spoken in a row stay two numbers, never their sum.
  EXPECT_EQ(Figures("grades five twelve"), "grades five 12");
  EXPECT_EQ(Figures("twenty twenty million"), "20 20M");
}

TEST(NumbersToFigures, FiguresRememberTheWordsTheyCameFrom) {
  const auto out = NumbersToFigures(SplitSourcedTokens("we raised two million dollars in May"));
  ASSERT_EQ(TokenTexts(out), (std::vector<std::string>{"we", "raised", "$2M", "in", "May"}));
  EXPECT_EQ(out[2].first, 2);
  EXPECT_EQ(out[2].last, 4);
  EXPECT_EQ(out[3].first, 5);
  EXPECT_EQ(out[4].last, 6);
}

TEST(DropFillers, HesitationsGoAnywhereAndKeepSourceIndexes) {
  const auto out =
      DropFillers(SplitSourcedTokens("we grew, you know, um three times uh faster, erm."));
  EXPECT_EQ(JoinTokens(TokenTexts(out)), "we grew, three times faster.");
  EXPECT_EQ(out[2].first, 5);  // "three"
  // "you know" as a verb phrase stays.
  EXPECT_EQ(JoinTokens(TokenTexts(DropFillers(SplitSourcedTokens("you know the market")))),
            "you know the market");
}

TEST(NumbersToFigures, LeavesSmallWordsAndNonNumbersAlone) {
  EXPECT_EQ(Figures("one of us has three kids"), "one of us has three kids");
  EXPECT_EQ(Figures("a team of friends"), "a team of friends");
  EXPECT_EQ(Figures("$2M and 40% stay"), "$2M and 40% stay");
  EXPECT_EQ(Figures("twenty, thirty"), "20, 30");
}

TEST(StripLeadingFillers, DropsOpeners) {
  EXPECT_EQ(JoinTokens(StripLeadingFillers(SplitTokens("So, um, you know we grew"))), "we grew");
  EXPECT_EQ(JoinTokens(StripLeadingFillers(SplitTokens("Hello everyone my name is Ana"))),
            "my name is Ana");
  EXPECT_EQ(JoinTokens(StripLeadingFillers(SplitTokens("so"))), "so");  // never to nothing
}

TEST(TextCase, TitleCaseAndCapitalize) {
  EXPECT_EQ(TitleCase("the state of the market"), "The State of the Market");
  EXPECT_EQ(CapitalizeFirst("$2M raised"), "$2M raised");
  EXPECT_EQ(CapitalizeFirst("élan"), "élan");  // non-ASCII left as is
  EXPECT_EQ(CapitalizeFirst("we grew"), "We grew");
  EXPECT_EQ(TrimTrailingPunctuation("done!. "), "done");
  EXPECT_EQ(BareWord("Dollars."), "dollars");
}

}  // namespace
}  // namespace presgen

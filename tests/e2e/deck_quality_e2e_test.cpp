// Deck quality in CI: two pitches of the benchmark corpus (bench/deck_quality/), spoken by
// Debian voices and rendered through the real `presgen render` from MP4 with AAC audio,
// scored against their truth by the benchmark's own scorer. Thresholds hold today's
// quality so a regression fails; where the target (issue 13) is not reached yet with
// PocketSphinx, the floor below it says what is measured instead (bench/deck_quality/run.sh
// prints the whole corpus against the targets).
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "bench/deck_quality/deck_score.h"
#include "core/json_io.h"
#include "e2e/run_cli.h"

namespace presgen {
namespace {

namespace fs = std::filesystem;

struct Recording {
  const char* pitch;
  const char* voice;  // make_corpus.py --as VOICE:RATE:ROOM
};

class DeckQuality : public ::testing::TestWithParam<Recording> {};

bench::DeckScore RenderAndScore(const Recording& r) {
  const std::string dir = std::string(PRESGEN_E2E_DIR) + "/deck_quality";
  fs::create_directories(dir);
  const std::string name = std::string(r.pitch) + "__" + r.voice;
  std::string spec = r.voice;  // VOICE__RATE__ROOM -> VOICE:RATE:ROOM
  for (size_t at; (at = spec.find("__")) != std::string::npos;) spec.replace(at, 2, ":");
  const std::string speak = "python3 " + test::Quote(std::string(PRESGEN_SOURCE_DIR) +
                                                     "/bench/deck_quality/make_corpus.py") +
                            " " + test::Quote(dir) + " --only " + r.pitch + " --as " + spec +
                            " > " + test::Quote(dir + "/speak.log") + " 2>&1";
  EXPECT_EQ(std::system(speak.c_str()), 0) << test::ReadAll(dir + "/speak.log");
  const std::string work = dir + "/" + name;
  const auto run = test::RunPresgen({"render", dir + "/" + name + ".mp4", "-o", work + ".out.mp4",
                                     "--workdir", work, "--size", "640x360", "--asr",
                                     "pocketsphinx", "--no-cache", "-q"},
                                    dir);
  EXPECT_EQ(run.exit_code, 0) << run.err;
  auto truth = bench::ReadPitchTruth(dir + "/" + name + ".json");
  auto transcript = ReadJsonFile(work + "/transcript.json");
  auto deck = ReadJsonFile(work + "/deck.json");
  if (!truth.ok() || !transcript.ok() || !deck.ok()) {
    ADD_FAILURE() << "cannot read the render of " << name;
    return {};
  }
  const auto score = bench::ScoreDeck(*truth, transcript->get<Transcript>(), deck->get<Deck>());
  std::printf("[ measured ] %s: %s\n", name.c_str(), score.ToJson().dump().c_str());
  return score;
}

TEST_P(DeckQuality, SlidesSayWhatWasSaid) {
  const bench::DeckScore s = RenderAndScore(GetParam());
  ASSERT_GT(s.slides, 2);
  // Met targets: no bullet opens on a dangling word; slides start where their section does.
  EXPECT_EQ(s.dangling_bullets, 0) << testing::PrintToString(s.dangling);
  EXPECT_EQ(s.starts_late_or_early, 0) << testing::PrintToString(s.bad_starts);
  // Section titles: target 80 %.
  EXPECT_GE(double(s.titles_right) / s.slides, 0.8) << testing::PrintToString(s.titles_wrong);
  // Floors below the targets (PocketSphinx's errors reach the slides):
  // key facts target 85 %; words on slides never said target 3 %; WER target 12 %.
  EXPECT_GE(double(s.facts_found) / s.facts, 0.7) << testing::PrintToString(s.facts_missed);
  EXPECT_LE(double(s.unsaid_words) / std::max(1, s.slide_words), 0.12)
      << testing::PrintToString(s.unsaid);
  EXPECT_LE(s.wer, 0.22);
}

// One pitch with a self-introduction (a title slide), one without; a female HTS voice and
// a male one, both dry (the room recordings are in the benchmark: there PocketSphinx
// loses a third of the words).
INSTANTIATE_TEST_SUITE_P(Pitches, DeckQuality,
                         ::testing::Values(Recording{"01_shelfwise", "slt_hts__normal__dry"},
                                           Recording{"09_carebridge", "flite_rms__normal__dry"}),
                         [](const auto& info) { return std::string(info.param.pitch); });

}  // namespace
}  // namespace presgen

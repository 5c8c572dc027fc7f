// A stage's output is a function of its input and options (the stage cache relies on it):
// the same file gives byte-identical transcript.json and deck.json whatever the thread
// count and from run to run, for PocketSphinx and for Whisper; and `presgen transcribe`
// survives many fresh processes (issue 12: an uninitialised struct crashed one run in
// three, only with address randomisation on).
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "core/subprocess.h"
#include "e2e/run_cli.h"
#include "support/fixtures.h"
#include "support/tiny_whisper_model.h"

namespace presgen {
namespace {

namespace fs = std::filesystem;
using test::FixturePath;
using test::ReadAll;

// Runs presgen in a fresh process (no shell) and returns how it ended; its output goes
// to `log`.
SubprocessResult RunPresgenProcess(std::vector<std::string> args, const std::string& log) {
  args.insert(args.begin(), PRESGEN_BINARY);
  SubprocessOptions options;
  options.timeout_ms = 300000;
  options.log_path = log;
  auto run = RunSubprocess(args, options);
  EXPECT_TRUE(run.ok()) << run.status().ToString();
  return run.ok() ? *run : SubprocessResult{};
}

struct RenderFiles {
  std::string transcript;
  std::string deck;
};

// Renders `input` with `extra` options and `threads`, without the stage cache (every run
// really transcribes), and returns its transcript.json and deck.json.
RenderFiles Render(const std::string& dir, const std::string& input, int threads,
                   std::vector<std::string> extra) {
  const std::string out = dir + "/out.mp4";
  const std::string work = dir + "/work";
  std::vector<std::string> args = {"render", input, "-o", out, "--workdir", work, "--size", "640x360",
                                   "--threads", std::to_string(threads), "--no-cache", "-q"};
  args.insert(args.end(), extra.begin(), extra.end());
  const auto run = RunPresgenProcess(args, dir + "/log.txt");
  EXPECT_TRUE(run.Succeeded()) << run.Describe() << ": " << ReadAll(dir + "/log.txt");
  return {ReadAll(work + "/transcript.json"), ReadAll(work + "/deck.json")};
}

class Determinism : public ::testing::Test {
 protected:
  std::string Scratch(const std::string& name) {
    const std::string dir = scratch_ + "/" + name;
    fs::create_directories(dir);
    return dir;
  }
  std::string scratch_ = test::ScratchDir(
      std::string("determinism_") + ::testing::UnitTest::GetInstance()->current_test_info()->name());
};

TEST_F(Determinism, PocketSphinxTranscriptIsTheSameForAnyThreadCountAndRun) {
  // Real speech (LibriVox) over a faint room noise, AAC 48 kHz: the chunks are decoded in
  // parallel, on decoders that have seen other chunks before. (Before each chunk started a
  // stream of its own, one thread and two gave different words and times here.)
  std::string first;
  int run = 0;
  for (int threads : {1, 2, 4, 2, 4, 1}) {
    const std::string dir = Scratch("run" + std::to_string(run++));
    const auto ended = RunPresgenProcess({"transcribe", FixturePath("librivox_room.mp4"), "--asr",
                                          "pocketsphinx", "--threads", std::to_string(threads),
                                          "-o", dir + "/transcript.json"},
                                         dir + "/log.txt");
    ASSERT_TRUE(ended.Succeeded()) << ended.Describe() << ": " << ReadAll(dir + "/log.txt");
    const std::string transcript = ReadAll(dir + "/transcript.json");
    ASSERT_NE(transcript.find("\"pocketsphinx\""), std::string::npos);
    ASSERT_NE(transcript.find("amiable"), std::string::npos) << "no real transcript:\n" << transcript;
    if (first.empty()) {
      first = transcript;
    } else {
      EXPECT_EQ(transcript, first) << "threads " << threads << " (run " << run << ") differs";
    }
  }
}

TEST_F(Determinism, PocketSphinxDeckIsTheSameForAnyThreadCount) {
  const RenderFiles one = Render(Scratch("t1"), FixturePath("librivox_room.mp4"), 1,
                                 {"--asr", "pocketsphinx"});
  ASSERT_NE(one.deck.find("\"slides\""), std::string::npos);
  for (int threads : {2, 4}) {
    const RenderFiles other = Render(Scratch("t" + std::to_string(threads)),
                                     FixturePath("librivox_room.mp4"), threads,
                                     {"--asr", "pocketsphinx"});
    EXPECT_EQ(other.transcript, one.transcript) << "threads " << threads;
    EXPECT_EQ(other.deck, one.deck) << "threads " << threads;
  }
}

TEST_F(Determinism, WhisperTranscriptAndDeckAreTheSameForAnyThreadCountAndRun) {
  // The real whisper.cpp path (encoder, greedy decoder, DTW word times) on a generated
  // model: its words are nonsense, but they must be the same nonsense every time.
  const std::string model = scratch_ + "/tiny-f16.bin";
  std::string error;
  test::TinyWhisperSpec spec;
  spec.seed = 7;
  ASSERT_TRUE(test::WriteTinyWhisperModel(model, spec, &error)) << error;
  const std::vector<std::string> whisper = {"--asr", "whisper", "--asr-model", model};
  const RenderFiles one = Render(Scratch("t1"), FixturePath("short_pitch.mp4"), 1, whisper);
  ASSERT_NE(one.transcript.find("\"whisper\""), std::string::npos) << one.transcript;
  ASSERT_NE(one.transcript.find("\"words\""), std::string::npos) << one.transcript;
  int run = 0;
  for (int threads : {2, 4, 2}) {
    const RenderFiles other = Render(Scratch("run" + std::to_string(run++)),
                                     FixturePath("short_pitch.mp4"), threads, whisper);
    EXPECT_EQ(other.transcript, one.transcript) << "threads " << threads;
    EXPECT_EQ(other.deck, one.deck) << "threads " << threads;
  }
}

TEST(CrashLoop, TranscribeSurvivesThirtyFreshProcesses) {
  // Each run is a new process with a new address-space layout, so stack and heap garbage
  // differ from run to run, as they did for the users who saw the crash.
  const std::vector<std::string> inputs = {"clip_4s_48k.mp4", "odd_ac3_51.mkv",
                                           "librivox_room.mp4"};
  const std::string dir = test::ScratchDir("crash_loop");
  std::map<std::string, std::string> first;
  for (int i = 0; i < 30; ++i) {
    const std::string& input = inputs[i % inputs.size()];
    const std::string out = dir + "/" + std::to_string(i) + ".json";
    const auto ended = RunPresgenProcess(
        {"transcribe", FixturePath(input), "--asr", "pocketsphinx", "-o", out}, dir + "/log.txt");
    ASSERT_EQ(ended.term_signal, 0) << "run " << i << " (" << input << ") " << ended.Describe();
    ASSERT_EQ(ended.exit_code, 0) << "run " << i << " (" << input << "): " << ReadAll(dir + "/log.txt");
    const std::string transcript = ReadAll(out);
    auto [it, inserted] = first.emplace(input, transcript);
    if (!inserted) {
      EXPECT_EQ(transcript, it->second) << "run " << i << " (" << input << ")";
    }
  }
}

}  // namespace
}  // namespace presgen

// PocketSphinx engine on real speech: the synthetic pitch (known text and
// sentence onsets) and the LibriVox recordings shipped in pocketsphinx-testdata.
#include "asr/pocketsphinx_transcriber.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>

#include "asr/sentences.h"
#include "asr/wer.h"
#include "support/fixtures.h"
#include "support/wav.h"

namespace presgen {
namespace {

const char* kLibriVoxDir = "/usr/share/pocketsphinx/test/data/librivox";

class PocketSphinx : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto t = CreatePocketSphinxTranscriber(PocketSphinxConfig{});
    ASSERT_TRUE(t.ok()) << t.status().ToString();
    engine_ = std::move(t).value().release();
  }
  static void TearDownTestSuite() {
    delete engine_;
    engine_ = nullptr;
  }
  static Transcript Run(const PcmAudio& audio, int threads = 1) {
    TranscribeParams p;
    p.n_threads = threads;
    auto r = engine_->Transcribe(audio, p, {});
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? std::move(r).value() : Transcript{};
  }
  static std::string Text(const Transcript& t) {
    std::string s;
    for (const auto& seg : t.segments) s += seg.text + " ";
    return s;
  }
  static Transcriber* engine_;
};
Transcriber* PocketSphinx::engine_ = nullptr;

void ExpectWellFormed(const Transcript& t, double duration_s) {
  EXPECT_EQ(t.engine, "pocketsphinx");
  double last = 0;
  for (const auto& seg : t.segments) {
    ASSERT_FALSE(seg.words.empty());
    EXPECT_FALSE(seg.text.empty());
    EXPECT_DOUBLE_EQ(seg.start_s, seg.words.front().start_s);
    EXPECT_DOUBLE_EQ(seg.end_s, seg.words.back().end_s);
    for (const auto& w : seg.words) {
      EXPECT_GE(w.start_s, last - 1e-9) << w.text;
      EXPECT_LT(w.start_s, w.end_s) << w.text;
      EXPECT_LE(w.end_s, duration_s + 0.02) << w.text;
      EXPECT_EQ(w.text.find_first_of("()<>[]"), std::string::npos) << w.text;
      last = w.start_s;
    }
  }
}

// Reference words aligned to hypothesis words (Levenshtein backtrace):
// ref index -> hyp index (match or substitution), -1 when deleted.
std::vector<int> Align(const std::vector<std::string>& ref, const std::vector<std::string>& hyp) {
  const size_t n = ref.size(), m = hyp.size();
  std::vector<std::vector<int>> d(n + 1, std::vector<int>(m + 1));
  for (size_t i = 0; i <= n; ++i) d[i][0] = int(i);
  for (size_t j = 0; j <= m; ++j) d[0][j] = int(j);
  for (size_t i = 1; i <= n; ++i)
    for (size_t j = 1; j <= m; ++j)
      d[i][j] = std::min({d[i - 1][j - 1] + (ref[i - 1] == hyp[j - 1] ? 0 : 1), d[i - 1][j] + 1,
                          d[i][j - 1] + 1});
  std::vector<int> map(n, -1);
  for (size_t i = n, j = m; i > 0 && j > 0;) {
    if (d[i][j] == d[i - 1][j - 1] + (ref[i - 1] == hyp[j - 1] ? 0 : 1)) {
      map[i - 1] = int(j - 1);
      --i, --j;
    } else if (d[i][j] == d[i - 1][j] + 1) {
      --i;
    } else {
      --j;
    }
  }
  return map;
}

TEST_F(PocketSphinx, PitchFixtureWordErrorRateAndSentenceOnsets) {
  const PcmAudio audio = test::ReadWav16(test::FixturePath("pitch.wav"));
  ASSERT_EQ(audio.sample_rate, 16000);
  std::ifstream f(test::FixturePath("pitch.json"));
  const auto truth = nlohmann::json::parse(f);

  const Transcript t = Run(audio);
  ExpectWellFormed(t, audio.duration_s());
  const double wer = WordErrorRate(truth["text"], Text(t));
  std::cout << "[ metric ] pocketsphinx WER on pitch fixture: " << wer << "\n";
  EXPECT_LE(wer, 0.25) << Text(t);

  // The first hypothesis word aligned inside each sentence starts on time (when
  // "we are" is heard as "we're", "we" aligns to nothing and "we're" opens it).
  std::vector<std::string> ref;
  std::vector<size_t> first_ref_word;
  for (const auto& s : truth["sentences"]) {
    first_ref_word.push_back(ref.size());
    for (auto& w : NormalizeWords(s["text"])) ref.push_back(w);
  }
  const auto words = AllWords(t);
  std::vector<std::string> hyp;
  for (const auto& w : words) hyp.push_back(NormalizeWords(w.text).empty() ? "" : NormalizeWords(w.text)[0]);
  const auto map = Align(ref, hyp);
  std::vector<double> errors;
  for (size_t s = 0; s < first_ref_word.size(); ++s) {
    const size_t end = s + 1 < first_ref_word.size() ? first_ref_word[s + 1] : ref.size();
    int h = -1;
    for (size_t k = first_ref_word[s]; k < end && h < 0; ++k) h = map[k];
    const double onset = truth["sentences"][s]["start"];
    errors.push_back(h >= 0 ? std::abs(words[size_t(h)].start_s - onset) : 10.0);
  }
  std::sort(errors.begin(), errors.end());
  const double median = errors[errors.size() / 2];
  const double p90 = errors[std::min(errors.size() - 1, size_t(0.9 * errors.size()))];
  std::cout << "[ metric ] sentence onset error: median " << median << " s, p90 " << p90 << " s\n";
  EXPECT_LE(median, 0.15);
  EXPECT_LE(p90, 0.4);
  // Pauses between sentences give sentence segments that start on the onsets.
  EXPECT_GE(t.segments.size(), truth["sentences"].size() - 2);
}

TEST_F(PocketSphinx, LibriVoxRecordingsWordErrorRate) {
  std::ifstream list(std::string(kLibriVoxDir) + "/transcription");
  ASSERT_TRUE(list) << "pocketsphinx-testdata is not installed";
  std::string line, refs, hyps;
  int files = 0;
  while (std::getline(list, line)) {
    const auto open = line.rfind('('), close = line.rfind(')');
    ASSERT_NE(open, std::string::npos);
    const std::string id = line.substr(open + 1, close - open - 1);
    std::string ref = line.substr(0, open);
    for (const char* tag : {"<s>", "</s>"})
      if (auto p = ref.find(tag); p != std::string::npos) ref.erase(p, std::string(tag).size());
    const PcmAudio audio = test::ReadWav16(std::string(kLibriVoxDir) + "/" + id + ".wav");
    ASSERT_EQ(audio.sample_rate, 16000) << id;
    const Transcript t = Run(audio);
    ExpectWellFormed(t, audio.duration_s());
    refs += ref + " ";
    hyps += Text(t) + " ";
    ++files;
  }
  ASSERT_GT(files, 0);
  const double wer = WordErrorRate(refs, hyps);
  std::cout << "[ metric ] pocketsphinx WER on " << files << " LibriVox utterances: " << wer << "\n";
  EXPECT_LE(wer, 0.35) << hyps;  // real read speech, generic language model
}

TEST_F(PocketSphinx, ParallelChunksGiveTheSameWords) {
  const PcmAudio audio = test::ReadWav16(test::FixturePath("pitch.wav"));
  const Transcript one = Run(audio, 1), two = Run(audio, 2);
  ASSERT_EQ(AllWords(one).size(), AllWords(two).size());
  EXPECT_EQ(Text(one), Text(two));
}

TEST_F(PocketSphinx, GarbageInGivesAValidTranscript) {
  PcmAudio silence;
  silence.samples.assign(16000 * 5, 0.f);
  ExpectWellFormed(Run(silence), 5);

  PcmAudio noise;
  std::mt19937 rng(1);
  std::normal_distribution<float> n(0.f, 0.2f);
  for (int i = 0; i < 16000 * 5; ++i) noise.samples.push_back(std::clamp(n(rng), -1.f, 1.f));
  ExpectWellFormed(Run(noise), 5);

  PcmAudio empty;
  const Transcript e = Run(empty);
  EXPECT_TRUE(e.segments.empty());

  PcmAudio clipped;  // full-scale square wave: clipping must not overflow int16
  for (int i = 0; i < 16000; ++i) clipped.samples.push_back((i / 40) % 2 ? 1.5f : -1.5f);
  ExpectWellFormed(Run(clipped), 1);
}

TEST_F(PocketSphinx, RejectsAudioAtTheWrongRate) {
  PcmAudio a;
  a.sample_rate = 8000;
  a.samples.assign(8000, 0.f);
  auto r = engine_->Transcribe(a, {}, {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidInput);
}

TEST_F(PocketSphinx, StopsPromptlyWhenCancelledAndReportsProgress) {
  const PcmAudio audio = test::ReadWav16(test::FixturePath("pitch.wav"));
  // Cancel as soon as the first chunk is done: the rest is never decoded.
  std::atomic<bool> cancel{false};
  double last_progress = 0;
  StageCallbacks cb;
  cb.on_progress = [&](double f) {
    last_progress = f;
    cancel = true;
  };
  cb.should_abort = [&] { return cancel.load(); };
  auto r = engine_->Transcribe(audio, {}, cb);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kCancelled);
  EXPECT_GT(last_progress, 0.0);
  EXPECT_LT(last_progress, 0.7);

  std::vector<double> progress;
  StageCallbacks pcb;
  pcb.on_progress = [&](double f) { progress.push_back(f); };
  ASSERT_TRUE(engine_->Transcribe(audio, {}, pcb).ok());
  ASSERT_FALSE(progress.empty());
  EXPECT_TRUE(std::is_sorted(progress.begin(), progress.end()));
  EXPECT_NEAR(progress.back(), 1.0, 1e-9);
}

TEST(PocketSphinxModel, MissingModelIsUnavailable) {
  PocketSphinxConfig c;
  c.model_dir = "/nonexistent/model";
  auto r = CreatePocketSphinxTranscriber(c);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(r.status().message().find("/nonexistent/model"), std::string::npos);
}

}  // namespace
}  // namespace presgen

// The whisper.cpp engine for real — load, full inference, tokens, timestamps,
// conversion to our Transcript — on random-weight models the test writes
// (no real weights can be downloaded here). Text is meaningless; structure and
// timing invariants are asserted.
#include "asr/whisper_transcriber.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>

#include "asr/engine_select.h"
#include "asr/sentences.h"
#include "support/fixtures.h"
#include "support/tiny_whisper_model.h"
#include "support/wav.h"

namespace presgen {
namespace {

namespace fs = std::filesystem;
using test::TinyWhisperSpec;

class Whisper : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new fs::path(fs::temp_directory_path() / ("presgen_whisper_" + std::to_string(getpid())));
    fs::create_directories(*dir_);
    for (auto [name, type] : {std::pair{"f16", TinyWhisperSpec::Type::kF16},
                              std::pair{"q5_1", TinyWhisperSpec::Type::kQ5_1},
                              std::pair{"q8_0", TinyWhisperSpec::Type::kQ8_0},
                              std::pair{"f32", TinyWhisperSpec::Type::kF32}}) {
      TinyWhisperSpec spec;
      spec.type = type;
      std::string error;
      ASSERT_TRUE(test::WriteTinyWhisperModel(Model(name), spec, &error)) << error;
    }
  }
  static void TearDownTestSuite() {
    fs::remove_all(*dir_);
    delete dir_;
  }
  static std::string Model(const std::string& type) { return (*dir_ / ("tiny-" + type + ".bin")).string(); }

  // A whisper engine on the random-weight model of `type`; fails the test if it cannot load.
  static std::unique_ptr<Transcriber> Engine(const std::string& type) {
    WhisperConfig config;
    config.model_path = Model(type);
    auto engine = CreateWhisperTranscriber(config);
    EXPECT_TRUE(engine.ok()) << engine.status().ToString();
    return engine.ok() ? std::move(engine).value() : nullptr;
  }

  static PcmAudio Speech(double seconds) {
    PcmAudio a = test::ReadWav16(test::FixturePath("pitch.wav"));
    a.samples.resize(std::min(a.samples.size(), size_t(seconds * a.sample_rate)));
    return a;
  }

  static fs::path* dir_;
};
fs::path* Whisper::dir_ = nullptr;

void ExpectWellFormed(const Transcript& t, double duration_s) {
  EXPECT_EQ(t.engine, "whisper");
  EXPECT_EQ(t.language, "en");
  double last = 0;
  for (const auto& seg : t.segments) {
    ASSERT_FALSE(seg.words.empty());
    EXPECT_FALSE(seg.text.empty());
    EXPECT_LE(seg.start_s, seg.end_s);
    for (const auto& w : seg.words) {
      EXPECT_FALSE(w.text.empty());
      EXPECT_NE(w.text.front(), ' ') << "untrimmed word";
      EXPECT_GE(w.start_s, last) << w.text;
      EXPECT_GE(w.start_s, 0);
      EXPECT_LE(w.end_s, duration_s + 1e-6) << w.text;
      EXPECT_LE(w.start_s, w.end_s);
      last = w.start_s;
    }
  }
}

class WhisperTypes : public Whisper, public ::testing::WithParamInterface<const char*> {};

TEST_P(WhisperTypes, LoadsRunsAndGivesATimedTranscript) {
  auto engine = Engine(GetParam());
  ASSERT_NE(engine, nullptr);
  EXPECT_EQ(engine->Name(), "whisper");
  const PcmAudio audio = Speech(5);
  TranscribeParams p;
  p.n_threads = 1;
  std::vector<double> progress;
  StageCallbacks cb;
  cb.on_progress = [&](double f) { progress.push_back(f); };
  auto t = engine->Transcribe(audio, p, cb);
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  ExpectWellFormed(*t, audio.duration_s());
  // Seeded weights, one thread: inference is deterministic and emits words,
  // so the token -> word -> sentence conversion really ran.
  EXPECT_FALSE(AllWords(*t).empty());
  EXPECT_DOUBLE_EQ(t->duration_s, audio.duration_s());
  ASSERT_FALSE(progress.empty());
  EXPECT_DOUBLE_EQ(progress.back(), 1.0);
}

// q8_0 is the type whose kernels hit the AMX trap of these VMs in a native build.
INSTANTIATE_TEST_SUITE_P(Types, WhisperTypes, ::testing::Values("f16", "q5_1", "q8_0"));

TEST_F(Whisper, ReadsTheModelHeader) {
  auto info = ReadWhisperModelInfo(Model("f16"));
  ASSERT_TRUE(info.ok()) << info.status().ToString();
  EXPECT_EQ(info->n_vocab, 51864);
  EXPECT_TRUE(info->english_only());
  EXPECT_EQ(info->n_text_state, 64);
  EXPECT_EQ(info->n_text_layer, 1);
  EXPECT_EQ(info->n_mels, 80);
  EXPECT_EQ(info->size_name(), "custom");
  WhisperModelInfo base = *info;
  base.n_text_state = 512;
  base.n_text_layer = 6;
  EXPECT_EQ(base.size_name(), "base.en");
}

TEST_F(Whisper, LongerThanOneWindowStaysInsideTheAudio) {
  auto engine = Engine("q5_1");
  ASSERT_NE(engine, nullptr);
  const PcmAudio audio = Speech(36);  // two 30 s windows
  TranscribeParams p;
  p.n_threads = 1;
  auto t = engine->Transcribe(audio, p, {});
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  ExpectWellFormed(*t, audio.duration_s());
}

TEST_F(Whisper, GarbageAudioGivesAValidTranscript) {
  auto engine = Engine("f16");
  ASSERT_NE(engine, nullptr);
  TranscribeParams p;
  p.n_threads = 1;
  PcmAudio silence;
  silence.samples.assign(16000 * 3, 0.f);
  PcmAudio tiny;
  tiny.samples.assign(800, 0.1f);  // 50 ms
  PcmAudio empty;
  for (const PcmAudio* a : {&silence, &tiny, &empty}) {
    auto t = engine->Transcribe(*a, p, {});
    ASSERT_TRUE(t.ok()) << t.status().ToString();
    ExpectWellFormed(*t, a->duration_s());
  }
  PcmAudio wrong_rate;
  wrong_rate.sample_rate = 8000;
  wrong_rate.samples.assign(8000, 0.f);
  auto t = engine->Transcribe(wrong_rate, p, {});
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), StatusCode::kInvalidInput);
}

TEST_F(Whisper, CancelStopsInference) {
  auto engine = Engine("f16");
  ASSERT_NE(engine, nullptr);
  std::atomic<int> polls{0};
  StageCallbacks cb;
  cb.should_abort = [&] { return ++polls > 0; };
  TranscribeParams p;
  p.n_threads = 1;
  auto t = engine->Transcribe(Speech(10), p, cb);
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), StatusCode::kCancelled);
  EXPECT_GT(polls.load(), 0);
}

TEST_F(Whisper, DamagedModelsAreCleanErrorsNotCrashes) {
  const std::string good = Model("f16");
  std::ifstream in(good, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  // Cuts in the header, filters, vocabulary, the middle and the last tensor:
  // whisper.cpp itself aborts or accepts some of these.
  for (size_t cut : {size_t(20), size_t(48), size_t(30000), size_t(200000), bytes.size() / 2,
                     bytes.size() - 100, bytes.size() - 1}) {
    const std::string path = (*dir_ / ("cut-" + std::to_string(cut) + ".bin")).string();
    std::ofstream(path, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(cut));
    WhisperConfig config;
    config.model_path = path;
    auto engine = CreateWhisperTranscriber(config);
    ASSERT_FALSE(engine.ok()) << "cut at " << cut;
    EXPECT_TRUE(engine.status().IsUserError()) << engine.status().ToString();
    EXPECT_NE(engine.status().message().find(path), std::string::npos);
  }
  WhisperConfig f32;
  f32.model_path = Model("f32");
  auto engine = CreateWhisperTranscriber(f32);
  ASSERT_FALSE(engine.ok());
  EXPECT_EQ(engine.status().code(), StatusCode::kUnsupported);
}

TEST_F(Whisper, AutoPicksWhisperWhenAModelIsThere) {
  AsrRequest r;
  r.whisper_model = Model("q8_0");
  auto c = CreateTranscriber(r);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->transcriber->Name(), "whisper");
  EXPECT_TRUE(c->fallback_reason.empty());
}

}  // namespace
}  // namespace presgen

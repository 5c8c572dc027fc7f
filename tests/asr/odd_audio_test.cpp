// Odd real-world audio, decoded by the product's own extraction path and fed
// to the engine: every case gives a valid (possibly empty) transcript.
#include <gtest/gtest.h>

#include "asr/engine_select.h"
#include "asr/sentences.h"
#include "asr/wer.h"
#include "media/audio_extract.h"
#include "support/fixtures.h"

namespace presgen {
namespace {

class OddAudio : public ::testing::TestWithParam<const char*> {};

TEST_P(OddAudio, PocketSphinxGivesAValidTranscript) {
  auto pcm = ExtractAudio(test::FixturePath(GetParam()), AudioExtractParams{});
  ASSERT_TRUE(pcm.ok()) << pcm.status().ToString();
  EXPECT_EQ(pcm->sample_rate, 16000);
  AsrRequest r;
  r.engine = AsrEngine::kPocketSphinx;
  auto engine = CreateTranscriber(r);
  ASSERT_TRUE(engine.ok());
  auto t = engine->transcriber->Transcribe(*pcm, {}, {});
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  double last = 0;
  for (const auto& w : AllWords(*t)) {
    EXPECT_GE(w.start_s, last);
    EXPECT_LE(w.end_s, pcm->duration_s() + 0.02);
    last = w.start_s;
  }
  if (std::string(GetParam()) == "silence.wav") {
    EXPECT_TRUE(t->segments.empty()) << t->segments[0].text;
  }
}

INSTANTIATE_TEST_SUITE_P(Fixtures, OddAudio,
                         ::testing::Values("silence.wav", "noise.wav", "one_second.wav",
                                           "speech_8k.wav", "speech_6ch_48k.m4a"),
                         [](const auto& info) {
                           std::string n = info.param;
                           for (char& c : n) if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           return n;
                         });

// Resampled and down-mixed speech is still understood.
TEST(OddAudioSpeech, EightKilohertzAndSurroundSpeechAreStillRecognised) {
  for (const char* name : {"speech_8k.wav", "speech_6ch_48k.m4a"}) {
    auto pcm = ExtractAudio(test::FixturePath(name), AudioExtractParams{});
    ASSERT_TRUE(pcm.ok());
    AsrRequest r;
    r.engine = AsrEngine::kPocketSphinx;
    auto engine = CreateTranscriber(r);
    ASSERT_TRUE(engine.ok());
    auto t = engine->transcriber->Transcribe(*pcm, {}, {});
    ASSERT_TRUE(t.ok());
    std::string hyp;
    for (const auto& s : t->segments) hyp += s.text + " ";
    const std::string ref =
        "Hello, my name is Anna and I am the founder of Green Box. Every year restaurants "
        "throw away forty percent of the food they buy.";
    // Only the first two sentences are compared (prefix of the hypothesis).
    const auto words = NormalizeWords(hyp);
    std::string prefix;
    for (size_t i = 0; i < std::min<size_t>(words.size(), 23); ++i) prefix += words[i] + " ";
    const double wer = WordErrorRate(ref, prefix);
    std::cout << "[ metric ] " << name << " WER on the first two sentences: " << wer << "\n";
    EXPECT_LE(wer, 0.4) << hyp;
  }
}

}  // namespace
}  // namespace presgen

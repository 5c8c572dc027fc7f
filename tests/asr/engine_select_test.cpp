#include "asr/engine_select.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace presgen {
namespace {

namespace fs = std::filesystem;

class EngineSelect : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("presgen_engine_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    unsetenv("PRESGEN_WHISPER_MODEL");
  }
  void TearDown() override {
    unsetenv("PRESGEN_WHISPER_MODEL");
    fs::remove_all(dir_);
  }
  fs::path dir_;
};

TEST_F(EngineSelect, ParsesTheThreeNames) {
  EXPECT_EQ(ParseAsrEngine("auto").value(), AsrEngine::kAuto);
  EXPECT_EQ(ParseAsrEngine("whisper").value(), AsrEngine::kWhisper);
  EXPECT_EQ(ParseAsrEngine("pocketsphinx").value(), AsrEngine::kPocketSphinx);
  auto bad = ParseAsrEngine("google");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidInput);
  EXPECT_NE(bad.status().message().find("google"), std::string::npos);
}

TEST_F(EngineSelect, ModelSearchOrder) {
  const std::string env_model = (dir_ / "env.bin").string();
  std::ofstream(env_model) << "x";
  std::vector<std::string> searched;
  // Explicit path wins, even when it does not exist (the caller reports it).
  EXPECT_EQ(FindWhisperModel("/nope/m.bin", &searched), "/nope/m.bin");
  ASSERT_EQ(searched.size(), 1u);
  // Then the environment.
  setenv("PRESGEN_WHISPER_MODEL", env_model.c_str(), 1);
  EXPECT_EQ(FindWhisperModel("", &searched), env_model);
  EXPECT_EQ(searched.front(), env_model);
  // Nothing found: empty, with every place listed.
  setenv("PRESGEN_WHISPER_MODEL", "/nope/env.bin", 1);
  if (!fs::exists("models/ggml-base.en.bin") &&
      !fs::exists(std::string(PRESGEN_SOURCE_DIR) + "/models/ggml-base.en.bin")) {
    EXPECT_EQ(FindWhisperModel("", &searched), "");
    EXPECT_EQ(searched.size(), 3u);
  }
}

TEST_F(EngineSelect, PocketSphinxOnRequest) {
  AsrRequest r;
  r.engine = AsrEngine::kPocketSphinx;
  auto c = CreateTranscriber(r);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->transcriber->Name(), "pocketsphinx");
  EXPECT_TRUE(c->fallback_reason.empty());
}

TEST_F(EngineSelect, AutoWithABrokenModelFallsBackAndSaysWhy) {
  const std::string junk = (dir_ / "junk.bin").string();
  std::ofstream(junk) << "definitely not a ggml file, just some text bytes";
  AsrRequest r;
  r.engine = AsrEngine::kAuto;
  r.whisper_model = junk;
  auto c = CreateTranscriber(r);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->transcriber->Name(), "pocketsphinx");
  EXPECT_NE(c->fallback_reason.find("not a ggml Whisper model"), std::string::npos)
      << c->fallback_reason;
}

TEST_F(EngineSelect, AutoWithoutAnyModelFallsBackAndListsWhereItLooked) {
  setenv("PRESGEN_WHISPER_MODEL", (dir_ / "absent.bin").c_str(), 1);
  if (fs::exists("models/ggml-base.en.bin") ||
      fs::exists(std::string(PRESGEN_SOURCE_DIR) + "/models/ggml-base.en.bin")) {
    GTEST_SKIP() << "a real base.en model is installed here";
  }
  auto c = CreateTranscriber(AsrRequest{});
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->transcriber->Name(), "pocketsphinx");
  EXPECT_NE(c->fallback_reason.find("absent.bin"), std::string::npos) << c->fallback_reason;
}

TEST_F(EngineSelect, ExplicitWhisperNeverFallsBack) {
  AsrRequest r;
  r.engine = AsrEngine::kWhisper;
  r.whisper_model = (dir_ / "missing.bin").string();
  auto missing = CreateTranscriber(r);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);

  const std::string junk = (dir_ / "junk.bin").string();
  std::ofstream(junk) << "junk";
  r.whisper_model = junk;
  auto broken = CreateTranscriber(r);
  ASSERT_FALSE(broken.ok());
  EXPECT_TRUE(broken.status().IsUserError()) << broken.status().ToString();
}

}  // namespace
}  // namespace presgen

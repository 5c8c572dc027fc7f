#include "pipeline/stage_cache.h"

#include <gtest/gtest.h>

#include <fstream>

#include "support/temp_dir.h"

namespace presgen {
namespace {

TEST(Sha256, OfFileAndText) {
  testing::TempDir dir;
  std::ofstream(dir.Path("abc")) << "abc";
  auto sha = Sha256OfFile(dir.Path("abc"));
  ASSERT_TRUE(sha.ok());
  EXPECT_EQ(*sha, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Sha256OfText("abc"), *sha);
  // Bigger than one read block.
  std::ofstream(dir.Path("big")) << std::string(3 << 20, 'x');
  auto big = Sha256OfFile(dir.Path("big"));
  ASSERT_TRUE(big.ok());
  EXPECT_EQ(big->size(), 64u);
  EXPECT_NE(*big, *sha);
  EXPECT_EQ(Sha256OfFile(dir.Path("missing")).status().code(), StatusCode::kNotFound);
}

CachedSpeech SomeSpeech() {
  CachedSpeech s;
  s.engine = "pocketsphinx";
  s.transcript.engine = "pocketsphinx";
  s.transcript.segments.push_back({1.0, 2.0, "Hello there.", {{1.0, 1.5, "Hello"}}});
  s.degraded.push_back({"transcribe", "no Whisper model", "PocketSphinx"});
  return s;
}

TEST(StageCache, RoundTripsByInputAndParams) {
  testing::TempDir dir;
  const StageCache cache(dir.path(), "input-a");
  ASSERT_TRUE(cache.enabled());
  EXPECT_FALSE(cache.LoadSpeech("asr=auto"));
  cache.StoreSpeech("asr=auto", SomeSpeech());
  auto hit = cache.LoadSpeech("asr=auto");
  ASSERT_TRUE(hit);
  EXPECT_EQ(hit->engine, "pocketsphinx");
  ASSERT_EQ(hit->transcript.segments.size(), 1u);
  EXPECT_EQ(hit->transcript.segments[0].words[0].text, "Hello");
  ASSERT_EQ(hit->degraded.size(), 1u);
  EXPECT_EQ(hit->degraded[0].fallback, "PocketSphinx");
  // Other parameters or another input miss.
  EXPECT_FALSE(cache.LoadSpeech("asr=whisper"));
  EXPECT_FALSE(StageCache(dir.path(), "input-b").LoadSpeech("asr=auto"));

  CachedFaceTrack face;
  face.track.detector = "lbp";
  face.track.crop_path.push_back({0.0, {10, 20, 300, 400}});
  cache.StoreFaceTrack("panel=640x720", face);
  auto face_hit = cache.LoadFaceTrack("panel=640x720");
  ASSERT_TRUE(face_hit);
  EXPECT_DOUBLE_EQ(face_hit->track.crop_path[0].box.h, 400);
  EXPECT_FALSE(cache.LoadFaceTrack("panel=320x180"));
}

TEST(StageCache, DamagedEntriesMissAndDisabledCacheDoesNothing) {
  testing::TempDir dir;
  const StageCache cache(dir.path(), "input-a");
  cache.StoreSpeech("p", SomeSpeech());
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir.path()))
    if (entry.is_regular_file()) std::ofstream(entry.path()) << "{\"transcript\": 7";
  EXPECT_FALSE(cache.LoadSpeech("p"));

  const StageCache off("", "input-a");
  EXPECT_FALSE(off.enabled());
  off.StoreSpeech("p", SomeSpeech());
  EXPECT_FALSE(off.LoadSpeech("p"));
}

}  // namespace
}  // namespace presgen

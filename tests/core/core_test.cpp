#include <gtest/gtest.h>

#include <filesystem>

#include "core/crop_path.h"
#include "core/json_io.h"
#include "core/log.h"
#include "core/status.h"
#include "core/transcript_format.h"

namespace presgen {
namespace {

TEST(Status, CodesAndUserErrors) {
  EXPECT_TRUE(Status::Ok().ok());
  EXPECT_TRUE(Status::InvalidInput("x").IsUserError());
  EXPECT_TRUE(Status::NotFound("x").IsUserError());
  EXPECT_FALSE(Status::Internal("x").IsUserError());
  EXPECT_EQ(Status::Timeout("slow").ToString(), "timeout: slow");
}

TEST(Log, JsonLinesKeepTheirFourFieldsAndNeverThrowOnBadBytes) {
  const std::string line = FormatJsonLogLine(
      "2026-12-02T10:00:00.000Z", "info", "phase_completed", "compose done \xff",
      {{"job_id", "j_1"}, {"phase", "compose"}, {"msg", "not this one"}, {"duration_seconds", 1.5}});
  EXPECT_EQ(line.find('\n'), std::string::npos);
  const auto j = nlohmann::json::parse(line);
  EXPECT_EQ(j["ts"], "2026-12-02T10:00:00.000Z");
  EXPECT_EQ(j["level"], "info");
  EXPECT_EQ(j["event"], "phase_completed");
  EXPECT_EQ(j["msg"].get<std::string>().rfind("compose done ", 0), 0u) << "a field never replaces msg";
  EXPECT_EQ(j["job_id"], "j_1");
  EXPECT_DOUBLE_EQ(j["duration_seconds"].get<double>(), 1.5);
  EXPECT_EQ(line.rfind("{\"ts\":", 0), 0u) << "ts comes first, for people reading the file";
  EXPECT_EQ(ParseLogFormat("json").value(), LogFormat::kJson);
  EXPECT_EQ(ParseLogFormat("text").value(), LogFormat::kText);
  EXPECT_EQ(ParseLogFormat("yaml").status().code(), StatusCode::kInvalidInput);
}

// Found by fuzz_deck: a number out of int's range was converted (undefined behaviour).
TEST(JsonIo, ParseDeckRefusesIntegersOutOfRange) {
  for (const char* text :
       {R"({"slides": [{"title": "A", "start": 0, "index": 1.66667e+52}]})",
        R"({"slides": [{"title": "A", "start": 0, "index": 2.5}]})",
        R"({"slides": [{"title": "A", "start": 0, "bullets": ["b"],
            "sources": [{"segment": 1e300, "first_word": 0, "last_word": 1}]}]})",
        R"({"slides": [{"title": "A", "start": 0, "index": 99999999999}]})"}) {
    auto deck = ParseDeck(nlohmann::json::parse(text), 10);
    EXPECT_EQ(deck.status().code(), StatusCode::kInvalidInput) << text;
  }
  auto fine = ParseDeck(nlohmann::json::parse(R"({"slides": [{"title": "A", "start": 0, "index": 3.0}]})"), 10);
  EXPECT_TRUE(fine.ok()) << fine.status().ToString();
}

// Found by fuzz_subtitles: a line break in a segment's text ended its cue early.
TEST(TranscriptFormat, CueTextStaysOnItsCueAndTimesAreClamped) {
  Transcript t;
  Segment s;
  s.start_s = 1.0 / 0.0;
  s.end_s = 0.0 / 0.0;
  s.text = "first line\n\nsecond --> third\r\n";
  t.segments.push_back(s);
  Segment blank;  // no words: no cue (an empty one would end the file for players)
  blank.text = " \n";
  t.segments.push_back(blank);
  for (const std::string& out : {ToSrt(t), ToVtt(t)}) {
    EXPECT_EQ(out.find("\n\n\n"), std::string::npos) << out;
    EXPECT_NE(out.find("00:00:00"), std::string::npos) << out;
    EXPECT_NE(out.find("first line  second -> third"), std::string::npos) << out;
    EXPECT_EQ(out.find("second -->"), std::string::npos) << out;
  }
  EXPECT_EQ(ToSrt(t).find("\n2\n"), std::string::npos) << "the blank segment has no cue";
}

TEST(Status, MergeKeepsFirstError) {
  Status first;
  MergeStatus(first, Status::Ok());
  EXPECT_TRUE(first.ok());
  MergeStatus(first, Status::Cancelled("a"));
  MergeStatus(first, Status::Internal("b"));
  EXPECT_EQ(first.code(), StatusCode::kCancelled);
}

TEST(Result, HoldsValueOrStatus) {
  Result<int> good = 3;
  ASSERT_TRUE(good.ok());
  EXPECT_EQ(*good, 3);
  Result<int> bad = Status::Unavailable("engine");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kUnavailable);
}

TEST(JsonIo, TranscriptRoundTripUsesContractNames) {
  Transcript t;
  t.engine = "pocketsphinx";
  t.duration_s = 12.5;
  t.segments.push_back({1.0, 2.5, "Hello there.", {{1.0, 1.4, "hello"}, {1.5, 2.5, "there"}}});
  nlohmann::json j = t;
  EXPECT_EQ(j["segments"][0]["words"][1]["word"], "there");
  EXPECT_DOUBLE_EQ(j["segments"][0]["start"].get<double>(), 1.0);
  Transcript back = j.get<Transcript>();
  ASSERT_EQ(back.segments.size(), 1u);
  EXPECT_EQ(back.segments[0].words.size(), 2u);
  EXPECT_EQ(back.engine, "pocketsphinx");
}

TEST(JsonIo, ParseDeckValidatesAndFillsEnds) {
  nlohmann::json j = {{"template", "dark"},
                      {"slides",
                       {{{"title", "A"}, {"bullets", {"x"}}, {"start", 0.0}},
                        {{"title", "B"}, {"bullets", nlohmann::json::array()}, {"start", 5.0}}}}};
  auto deck = ParseDeck(j, 20.0);
  ASSERT_TRUE(deck.ok()) << deck.status().ToString();
  EXPECT_EQ(deck->template_name, "dark");
  EXPECT_DOUBLE_EQ(deck->slides[0].end_s, 5.0);
  EXPECT_DOUBLE_EQ(deck->slides[1].end_s, 20.0);
  EXPECT_EQ(deck->slides[1].index, 1);

  nlohmann::json late = j;
  late["slides"][1]["start"] = 25.0;
  EXPECT_EQ(ParseDeck(late, 20.0).status().code(), StatusCode::kInvalidInput);
  nlohmann::json unordered = j;
  unordered["slides"][1]["start"] = 0.0;
  EXPECT_FALSE(ParseDeck(unordered, 20.0).ok());
  nlohmann::json untitled = j;
  untitled["slides"][0]["title"] = "";
  EXPECT_FALSE(ParseDeck(untitled, 20.0).ok());
  EXPECT_FALSE(ParseDeck(nlohmann::json::array(), 20.0).ok());
  nlohmann::json wrong_type = j;
  wrong_type["slides"][0]["bullets"] = 7;
  EXPECT_FALSE(ParseDeck(wrong_type, 20.0).ok());
}

TEST(JsonIo, DeckKeepsSubtitleAndBulletSources) {
  Deck deck;
  Slide s;
  s.title = "Green Box";
  s.subtitle = "Anna, founder";
  s.bullets = {"40% of food is thrown away", "$2B market"};
  s.sources = {{1, 0, 5, 4.7, 6.9}, {5, 2, 8, 25.0, 27.5}};
  deck.slides.push_back(s);
  const nlohmann::json j = deck;
  EXPECT_EQ(j["slides"][0]["subtitle"], "Anna, founder");
  EXPECT_EQ(j["slides"][0]["sources"][1]["segment"], 5);
  EXPECT_EQ(j["slides"][0]["sources"][1]["last_word"], 8);
  const Deck back = j.get<Deck>();
  ASSERT_EQ(back.slides[0].sources.size(), 2u);
  EXPECT_DOUBLE_EQ(back.slides[0].sources[0].start_s, 4.7);
  EXPECT_EQ(back.slides[0].subtitle, "Anna, founder");

  // An edit that removes a bullet leaves the links unusable: they are dropped, not misapplied.
  nlohmann::json edited = j;
  edited["slides"][0]["bullets"].erase(1);
  EXPECT_TRUE(edited.get<Deck>().slides[0].sources.empty());
  // Slides without the optional fields still parse, and write none back.
  Slide plain;
  plain.title = "T";
  const nlohmann::json pj = plain;
  EXPECT_FALSE(pj.contains("subtitle"));
  EXPECT_FALSE(pj.contains("sources"));
}

TEST(JsonIo, AtomicWriteAndRead) {
  const auto dir = std::filesystem::temp_directory_path() / "presgen_core_test";
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "x.json").string();
  ASSERT_TRUE(WriteJsonFile(path, {{"a", 1}}).ok());
  auto j = ReadJsonFile(path);
  ASSERT_TRUE(j.ok());
  EXPECT_EQ((*j)["a"], 1);
  EXPECT_EQ(ReadJsonFile((dir / "missing.json").string()).status().code(), StatusCode::kNotFound);
  ASSERT_TRUE(WriteFileAtomic(path, "{oops").ok());
  EXPECT_EQ(ReadJsonFile(path).status().code(), StatusCode::kInvalidInput);
  std::filesystem::remove_all(dir);
}

TEST(TranscriptFormat, SrtAndVtt) {
  Transcript t;
  t.segments.push_back({61.5, 3725.042, "Hi.", {}});
  EXPECT_EQ(ToSrt(t), "1\n00:01:01,500 --> 01:02:05,042\nHi.\n\n");
  EXPECT_EQ(ToVtt(t), "WEBVTT\n\n00:01:01.500 --> 01:02:05.042\nHi.\n\n");
}

TEST(CropPath, InterpolatesAndClampsAtEnds) {
  std::vector<CropKey> keys = {{0.0, {0, 0, 100, 100}}, {1.0, {100, 50, 100, 100}}};
  Box mid = CropAt(keys, 0.5);
  EXPECT_DOUBLE_EQ(mid.x, 50);
  EXPECT_DOUBLE_EQ(mid.y, 25);
  EXPECT_DOUBLE_EQ(CropAt(keys, -1).x, 0);
  EXPECT_DOUBLE_EQ(CropAt(keys, 9).x, 100);
  EXPECT_DOUBLE_EQ(CropAt({}, 1).w, 0);
}

TEST(Box, IoU) {
  EXPECT_DOUBLE_EQ(IoU({0, 0, 10, 10}, {0, 0, 10, 10}), 1.0);
  EXPECT_DOUBLE_EQ(IoU({0, 0, 10, 10}, {20, 20, 5, 5}), 0.0);
  EXPECT_NEAR(IoU({0, 0, 10, 10}, {5, 0, 10, 10}), 50.0 / 150.0, 1e-9);
}

}  // namespace
}  // namespace presgen

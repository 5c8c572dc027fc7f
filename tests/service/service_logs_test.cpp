// What an operator reads from a real `presgen serve` whose stderr is not a terminal: JSON,
// one object per line, with the job's id on its events, every stage's end as
// phase_completed (duration, success, memory, CPU), and a stage made to hang (the test
// build's `hang` fault) ended by its deadline: the job goes on with the fallback.
#include <fstream>
#include <sstream>

#include "service/serve_process.h"
#include "service/service_harness.h"

namespace presgen::testing {
namespace {

using nlohmann::json;

std::vector<json> JsonLines(const std::string& path, std::vector<std::string>* bad) {
  std::ifstream in(path);
  std::vector<json> lines;
  std::string line;
  while (std::getline(in, line)) {
    json j = json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (j.is_object()) {
      lines.push_back(std::move(j));
    } else {
      bad->push_back(line);
    }
  }
  return lines;
}

TEST(ServeLogs, JsonLinesCarryTheJobsPhasesAndAHungStageEndsAtItsDeadline) {
  TempDir dir("presgen-logs");
  ScopedEnv env({{"PRESGEN_FAULT", "hang@audio"}});
  const std::string log = dir.Path("serve.log");
  std::string job_id;
  {
    // audio: 0.1 x (30 s + 0.25 x 15 s) = 3.4 s before the hung decoder is given up.
    ServeProcess server(dir.Path("data"), PRESGEN_FAULTY_BINARY,
                        {"--stage-deadline-scale", "0.1"}, log);
    httplib::Client client("127.0.0.1", server.port());
    client.set_read_timeout(120, 0);
    auto posted = PostVideo(client, ReadFileBytes(FixturePath("short_pitch.mp4")),
                            R"({"size":"640x360"})");
    ASSERT_TRUE(posted);
    ASSERT_EQ(posted->status, 202) << posted->body;
    job_id = JsonOf(posted)["id"].get<std::string>();
    const json done = WaitForStatus(client, job_id, {"succeeded", "failed"});
    ASSERT_EQ(done["status"], "succeeded") << done.dump();
    std::string why;
    for (const auto& d : done["degraded"]) why += d.value("reason", "") + "\n";
    EXPECT_NE(why.find("audio extraction took longer than its deadline of 3.4 s"),
              std::string::npos)
        << why;
  }
  std::vector<std::string> bad;
  const std::vector<json> lines = JsonLines(log, &bad);
  EXPECT_TRUE(bad.empty()) << "not JSON: " << bad.front();
  ASSERT_FALSE(lines.empty());
  for (const json& j : lines) {
    for (const char* key : {"ts", "level", "event", "msg"}) {
      EXPECT_TRUE(j.contains(key) && j[key].is_string()) << key << " missing in " << j.dump();
    }
  }
  std::map<std::string, json> phases;
  bool started = false, finished = false;
  for (const json& j : lines) {
    const std::string event = j.value("event", "");
    if (event == "service_started") started = true;
    if (j.value("job_id", "") != job_id) continue;
    if (event == "job_finished") finished = true;
    if (event != "phase_completed") continue;
    phases[j.value("phase", "")] = j;
    EXPECT_TRUE(j["duration_seconds"].is_number()) << j.dump();
    EXPECT_TRUE(j["success"].is_boolean()) << j.dump();
    EXPECT_GT(j.value("memory_usage_mb", 0.0), 1.0) << j.dump();
    EXPECT_TRUE(j["cpu_usage_percent"].is_number()) << j.dump();
  }
  EXPECT_TRUE(started);
  EXPECT_TRUE(finished);
  for (const char* phase : {"probe", "audio", "slides", "compose"}) {
    EXPECT_TRUE(phases.count(phase)) << phase << " has no phase_completed";
  }
  ASSERT_TRUE(phases.count("audio"));
  EXPECT_FALSE(phases["audio"]["success"].get<bool>());
  EXPECT_GE(phases["audio"]["duration_seconds"].get<double>(), 3.3);
  ASSERT_TRUE(phases.count("compose"));
  EXPECT_TRUE(phases["compose"]["success"].get<bool>());
}

}  // namespace
}  // namespace presgen::testing

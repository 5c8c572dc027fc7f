// `presgen serve --store postgresql://…` on a real PostgreSQL server (a temporary cluster):
// a job created, analysed and listed through the API lives in the database, and is there
// after the server restarts; a bad --store or an unreachable database is one line, exit 2.
#include <gtest/gtest.h>
#include <unistd.h>

#include "service/serve_process.h"
#include "service/service_harness.h"
#include "support/pg_cluster.h"
#include "support/run_cli.h"
#include "support/temp_dir.h"

namespace presgen::testing {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

TEST(ServeOnPostgres, JobsLiveInTheDatabaseAcrossARestart) {
  auto& cluster = SharedPgCluster();
  ASSERT_TRUE(cluster.ok()) << cluster.error();
  const std::string db = "serve_" + std::to_string(::getpid());
  ASSERT_EQ(cluster.CreateDatabase(db), "");
  TempDir dir("presgen-pg-serve");
  const std::vector<std::string> args = {"--store", cluster.Uri(db)};
  std::string id;
  {
    ServeProcess server(dir.Path("data"), PRESGEN_BINARY, args);
    httplib::Client client("127.0.0.1", server.port());
    client.set_read_timeout(60, 0);
    auto posted = PostVideo(client, ReadFileBytes(FixturePath("odd_aac_mono_8k.mp4")),
                            R"({"review":true})");
    ASSERT_TRUE(posted);
    ASSERT_EQ(posted->status, 202) << posted->body;
    id = JsonOf(posted)["id"].get<std::string>();
    const json done = WaitForStatus(client, id, {"review", "failed"}, 120s);
    ASSERT_EQ(done["status"], "review") << done.dump();
    EXPECT_EQ(cluster.Execute(db, "SELECT 1 FROM jobs WHERE id = '" + id + "' AND status = 'review'"),
              "");
    server.Kill(SIGTERM);
  }
  ServeProcess restarted(dir.Path("data"), PRESGEN_BINARY, args);
  httplib::Client client("127.0.0.1", restarted.port());
  auto got = client.Get("/v1/jobs/" + id);
  ASSERT_TRUE(got);
  EXPECT_EQ(got->status, 200) << got->body;
  EXPECT_EQ(JsonOf(got)["status"], "review");
  auto deck = client.Get("/v1/jobs/" + id + "/deck");
  ASSERT_TRUE(deck);
  EXPECT_EQ(deck->status, 200);
}

TEST(ServeOnPostgres, ABadStoreIsOneLineAndExitTwo) {
  TempDir dir("presgen-pg-bad");
  for (const std::vector<std::string>& store :
       {std::vector<std::string>{"--store", "mysql://x"},
        std::vector<std::string>{"--store", "postgresql://presgen:pw@127.0.0.1:1/none"}}) {
    std::vector<std::string> cli = {"serve", "--port", "0", "--data-dir", dir.Path("data")};
    cli.insert(cli.end(), store.begin(), store.end());
    const test::CliRun run = test::RunPresgen(cli, dir.path());
    const std::string& err = run.err;
    EXPECT_EQ(run.exit_code, 2) << err;
    EXPECT_EQ(std::count(err.begin(), err.end(), '\n'), 1) << err;
    EXPECT_EQ(err.find("pw@"), std::string::npos) << err;
    EXPECT_NE(err.find(store[1] == "mysql://x" ? "sqlite:PATH or postgresql://" : "127.0.0.1:1"),
              std::string::npos)
        << err;
  }
}

}  // namespace
}  // namespace presgen::testing

#include "core/subprocess.h"

#include <gtest/gtest.h>

#include "support/temp_dir.h"
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace presgen {
namespace {

namespace fs = std::filesystem;

class SubprocessTest : public ::testing::Test {
 protected:
  std::string Path(const std::string& name) const { return temp_.Path(name); }

  static std::string ReadFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }

  // True once `pid` is gone or a zombie (an orphan waiting for init to reap it).
  static bool ProcessEnded(pid_t pid) {
    for (int i = 0; i < 200; ++i) {
      if (::kill(pid, 0) != 0) return true;
      std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
      std::string line;
      std::getline(stat, line);
      size_t paren = line.rfind(')');
      if (paren != std::string::npos && paren + 2 < line.size() && line[paren + 2] == 'Z') {
        return true;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
  }

  pid_t ReadPid(const std::string& path) {
    std::string text = ReadFile(path);
    return text.empty() ? -1 : static_cast<pid_t>(std::stol(text));
  }

  testing::TempDir temp_{"presgen-subprocess"};
  const std::string& dir_ = temp_.path();
};

TEST_F(SubprocessTest, ReportsExitCodeAndCapturesOutput) {
  SubprocessOptions options;
  options.log_path = Path("log.txt");
  auto result = RunSubprocess({"sh", "-c", "echo to-stdout; echo to-stderr >&2; exit 3"}, options);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->exit_code, 3);
  EXPECT_EQ(result->term_signal, 0);
  EXPECT_FALSE(result->Succeeded());
  EXPECT_EQ(result->Describe(), "exit code 3");
  EXPECT_EQ(ReadFile(options.log_path), "to-stdout\nto-stderr\n");

  auto ok = RunSubprocess({"true"}, {});
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_TRUE(ok->Succeeded());
}

TEST_F(SubprocessTest, ReportsTheSignalThatKilledTheProgram) {
  auto result = RunSubprocess({"sh", "-c", "kill -SEGV $$"}, {});
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->term_signal, SIGSEGV);
  EXPECT_EQ(result->exit_code, -1);
  EXPECT_NE(result->Describe().find("signal 11"), std::string::npos) << result->Describe();
}

TEST_F(SubprocessTest, ArgumentsArriveVerbatimWithoutAShell) {
  const std::string marker = Path("injected");
  const std::vector<std::string> tricky = {"two words",
                                           "it's \"quoted\"",
                                           "$(touch " + marker + ")",
                                           "; touch " + marker,
                                           "`touch " + marker + "`",
                                           "*",
                                           "back\\slash",
                                           ""};
  std::vector<std::string> argv = {"printf", "[%s]\\n"};
  argv.insert(argv.end(), tricky.begin(), tricky.end());
  SubprocessOptions options;
  options.log_path = Path("log.txt");
  auto result = RunSubprocess(argv, options);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_TRUE(result->Succeeded());
  std::string expected;
  for (const std::string& a : tricky) expected += "[" + a + "]\n";
  EXPECT_EQ(ReadFile(options.log_path), expected);
  EXPECT_FALSE(fs::exists(marker));
}

TEST_F(SubprocessTest, TimeoutKillsTheWholeProcessGroup) {
  const std::string pid_file = Path("helper.pid");
  SubprocessOptions options;
  options.timeout_ms = 300;
  const auto start = std::chrono::steady_clock::now();
  // The helper is a grandchild: only a process-group kill reaches it.
  auto result =
      RunSubprocess({"sh", "-c", "sleep 30 & echo $! > '" + pid_file + "'; wait"}, options);
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kTimeout);
  EXPECT_NE(result.status().message().find("300 ms"), std::string::npos)
      << result.status().message();
  EXPECT_LT(elapsed, 5.0);
  const pid_t helper = ReadPid(pid_file);
  ASSERT_GT(helper, 0);
  EXPECT_TRUE(ProcessEnded(helper));
}

TEST_F(SubprocessTest, HelpersLeftBehindAreKilledWhenTheProgramExits) {
  const std::string pid_file = Path("helper.pid");
  auto result = RunSubprocess({"sh", "-c", "sleep 30 & echo $! > '" + pid_file + "'"}, {});
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_TRUE(result->Succeeded());
  const pid_t helper = ReadPid(pid_file);
  ASSERT_GT(helper, 0);
  EXPECT_TRUE(ProcessEnded(helper));
}

TEST_F(SubprocessTest, MissingProgramIsAClearError) {
  auto absolute = RunSubprocess({"/nonexistent/dir/prog", "--flag"}, {});
  ASSERT_FALSE(absolute.ok());
  EXPECT_EQ(absolute.status().code(), StatusCode::kNotFound);
  EXPECT_NE(absolute.status().message().find("/nonexistent/dir/prog"), std::string::npos);

  auto on_path = RunSubprocess({"presgen-no-such-program"}, {});
  ASSERT_FALSE(on_path.ok());
  EXPECT_EQ(on_path.status().code(), StatusCode::kNotFound);
  EXPECT_NE(on_path.status().message().find("presgen-no-such-program"), std::string::npos);
  EXPECT_NE(on_path.status().message().find("PATH"), std::string::npos);

  const std::string not_executable = Path("data.txt");
  std::ofstream(not_executable) << "#!/bin/sh\nexit 0\n";
  auto denied = RunSubprocess({not_executable}, {});
  ASSERT_FALSE(denied.ok());
  EXPECT_EQ(denied.status().code(), StatusCode::kNotFound);
}

TEST_F(SubprocessTest, FindExecutableSearchesPath) {
  const std::string sh = FindExecutable("sh");
  ASSERT_FALSE(sh.empty());
  EXPECT_EQ(sh.front(), '/');
  EXPECT_EQ(FindExecutable("/bin/sh"), "/bin/sh");
  EXPECT_EQ(FindExecutable("presgen-no-such-program"), "");
  EXPECT_EQ(FindExecutable(dir_), "");  // a folder is not a program
  EXPECT_EQ(FindExecutable(""), "");
}

TEST_F(SubprocessTest, RunsInTheWorkingDirectory) {
  SubprocessOptions options;
  options.working_dir = dir_;
  options.log_path = Path("log.txt");
  auto result = RunSubprocess({"pwd"}, options);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(ReadFile(options.log_path), fs::canonical(dir_).string() + "\n");
}

TEST_F(SubprocessTest, AbortKillsTheProgram) {
  SubprocessOptions options;
  const auto start = std::chrono::steady_clock::now();
  options.should_abort = [start] {
    return std::chrono::steady_clock::now() - start > std::chrono::milliseconds(100);
  };
  auto result = RunSubprocess({"sleep", "30"}, options);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kCancelled);
  EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), 5.0);
}

TEST_F(SubprocessTest, StdoutLinesReachTheCallerAsTheyArrive) {
  SubprocessOptions options;
  options.log_path = Path("log.txt");
  std::vector<std::string> lines;
  std::vector<double> arrival_s;
  const auto start = std::chrono::steady_clock::now();
  options.on_stdout_line = [&](const std::string& line) {
    lines.push_back(line);
    arrival_s.push_back(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  };
  int started_pid = 0;
  options.on_started = [&](int pid) { started_pid = pid; };
  auto result = RunSubprocess(
      {"sh", "-c", "echo first; echo to-log >&2; sleep 1; printf 'second\nno newline'"},
      options);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_TRUE(result->Succeeded());
  EXPECT_GT(started_pid, 0);
  ASSERT_EQ(lines, (std::vector<std::string>{"first", "second", "no newline"}));
  EXPECT_LT(arrival_s[0], arrival_s[1] - 0.5) << "the first line waited for the program's end";
  EXPECT_EQ(ReadFile(options.log_path), "to-log\n");  // stderr only
}

TEST_F(SubprocessTest, AbortWithGraceLetsTheProgramCleanUp) {
  SubprocessOptions options;
  options.abort_grace_ms = 5000;
  std::vector<std::string> lines;
  options.on_stdout_line = [&](const std::string& line) { lines.push_back(line); };
  options.should_abort = [&] { return !lines.empty(); };
  const auto start = std::chrono::steady_clock::now();
  // The shell answers SIGTERM by saying so and exiting; SIGKILL would give it no chance.
  auto result = RunSubprocess(
      {"sh", "-c", "trap 'echo terminated; exit 3' TERM; echo ready; while :; do sleep 0.05; done"},
      options);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kCancelled);
  EXPECT_EQ(lines, (std::vector<std::string>{"ready", "terminated"}));
  EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), 4.0);
}

TEST_F(SubprocessTest, AbortGraceEndsWithAKillWhenTheProgramIgnoresTerm) {
  SubprocessOptions options;
  options.abort_grace_ms = 300;
  bool ready = false;
  options.on_stdout_line = [&](const std::string&) { ready = true; };
  options.should_abort = [&] { return ready; };
  const auto start = std::chrono::steady_clock::now();
  auto result = RunSubprocess(
      {"sh", "-c", "trap '' TERM; echo ready; while :; do sleep 0.05; done"}, options);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kCancelled);
  const double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_GE(took, 0.3);
  EXPECT_LT(took, 4.0);
}

TEST_F(SubprocessTest, InTheCallersGroupHelpersShareItsProcessGroup) {
  SubprocessOptions options;
  options.log_path = Path("pgid.txt");
  SetSubprocessGrouping(SubprocessGrouping::kCallerGroup);
  auto shared = RunSubprocess({"sh", "-c", "ps -o pgid= -p $$"}, options);
  SetSubprocessGrouping(SubprocessGrouping::kOwnGroup);
  ASSERT_TRUE(shared.ok());
  EXPECT_EQ(std::stol(ReadFile(options.log_path)), static_cast<long>(::getpgrp()));
  fs::remove(options.log_path);
  auto own = RunSubprocess({"sh", "-c", "ps -o pgid= -p $$"}, options);
  ASSERT_TRUE(own.ok());
  EXPECT_NE(std::stol(ReadFile(options.log_path)), static_cast<long>(::getpgrp()));
}

TEST_F(SubprocessTest, ACallbackThatThrowsStillEndsAndReapsTheProgram) {
  SubprocessOptions options;
  int pid = 0;
  options.on_started = [&](int p) { pid = p; };
  options.on_stdout_line = [](const std::string&) { throw std::runtime_error("callback"); };
  EXPECT_THROW((void)RunSubprocess({"sh", "-c", "echo line; exec sleep 30"}, options),
               std::runtime_error);
  ASSERT_GT(pid, 0);
  EXPECT_NE(::kill(pid, 0), 0) << "the program was neither killed nor reaped";
}

TEST_F(SubprocessTest, ExtraEnvironmentIsAddedAndReplaces) {
  ::setenv("PRESGEN_SUBPROCESS_TEST_A", "parent", 1);
  SubprocessOptions options;
  options.log_path = Path("env.txt");
  options.extra_env = {"PRESGEN_SUBPROCESS_TEST_A=child", "PRESGEN_SUBPROCESS_TEST_B=new"};
  auto result = RunSubprocess(
      {"sh", "-c", "echo $PRESGEN_SUBPROCESS_TEST_A $PRESGEN_SUBPROCESS_TEST_B"}, options);
  ::unsetenv("PRESGEN_SUBPROCESS_TEST_A");
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(ReadFile(options.log_path), "child new\n");
}

TEST_F(SubprocessTest, RejectsBadInvocations) {
  EXPECT_EQ(RunSubprocess({}, {}).status().code(), StatusCode::kInvalidInput);
  SubprocessOptions no_time;
  no_time.timeout_ms = 0;
  EXPECT_EQ(RunSubprocess({"true"}, no_time).status().code(), StatusCode::kInvalidInput);
  SubprocessOptions bad_log;
  bad_log.log_path = Path("missing-folder/log.txt");
  EXPECT_EQ(RunSubprocess({"true"}, bad_log).status().code(), StatusCode::kInternal);
}

}  // namespace
}  // namespace presgen

#include "core/subprocess.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <thread>

extern char** environ;

namespace presgen {
namespace {

using Clock = std::chrono::steady_clock;

std::string ErrnoText(int err) { return std::strerror(err); }

// posix_spawn's C objects, destroyed on every return path.
class SpawnFileActions {
 public:
  SpawnFileActions() { ok_ = posix_spawn_file_actions_init(&actions_) == 0; }
  ~SpawnFileActions() {
    if (ok_) posix_spawn_file_actions_destroy(&actions_);
  }
  SpawnFileActions(const SpawnFileActions&) = delete;
  SpawnFileActions& operator=(const SpawnFileActions&) = delete;
  bool ok() const { return ok_; }
  posix_spawn_file_actions_t* get() { return &actions_; }

 private:
  posix_spawn_file_actions_t actions_;
  bool ok_ = false;
};

class SpawnAttr {
 public:
  SpawnAttr() { ok_ = posix_spawnattr_init(&attr_) == 0; }
  ~SpawnAttr() {
    if (ok_) posix_spawnattr_destroy(&attr_);
  }
  SpawnAttr(const SpawnAttr&) = delete;
  SpawnAttr& operator=(const SpawnAttr&) = delete;
  bool ok() const { return ok_; }
  posix_spawnattr_t* get() { return &attr_; }

 private:
  posix_spawnattr_t attr_;
  bool ok_ = false;
};

class UniqueFd {
 public:
  explicit UniqueFd(int fd) : fd_(fd) {}
  ~UniqueFd() {
    if (fd_ >= 0) ::close(fd_);
  }
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

bool IsExecutableFile(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(path.c_str(), X_OK) == 0;
}

// Child setup: its own process group (so a timeout can kill every helper it starts), a
// clean signal state (the caller's threads may block or ignore signals), stdin from
// /dev/null, stdout+stderr into the log, and no other inherited descriptors.
Status PrepareSpawn(SpawnAttr& attr, SpawnFileActions& actions, int log_fd,
                    const std::string& working_dir) {
  if (!attr.ok() || !actions.ok()) return Status::Internal("cannot prepare a process spawn");
  sigset_t empty, all;
  sigemptyset(&empty);
  sigfillset(&all);
  short flags = POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF;
  int err = posix_spawnattr_setflags(attr.get(), flags);
  if (err == 0) err = posix_spawnattr_setpgroup(attr.get(), 0);
  if (err == 0) err = posix_spawnattr_setsigmask(attr.get(), &empty);
  if (err == 0) err = posix_spawnattr_setsigdefault(attr.get(), &all);
  if (err == 0) {
    err = posix_spawn_file_actions_addopen(actions.get(), STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  }
  const char* sink = "/dev/null";
  if (err == 0 && log_fd >= 0) {
    err = posix_spawn_file_actions_adddup2(actions.get(), log_fd, STDOUT_FILENO);
    if (err == 0) err = posix_spawn_file_actions_adddup2(actions.get(), log_fd, STDERR_FILENO);
  } else if (err == 0) {
    err = posix_spawn_file_actions_addopen(actions.get(), STDOUT_FILENO, sink, O_WRONLY, 0);
    if (err == 0)
      err = posix_spawn_file_actions_adddup2(actions.get(), STDOUT_FILENO, STDERR_FILENO);
  }
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 34))
  if (err == 0) err = posix_spawn_file_actions_addclosefrom_np(actions.get(), STDERR_FILENO + 1);
#endif
  if (err == 0 && !working_dir.empty()) {
    err = posix_spawn_file_actions_addchdir_np(actions.get(), working_dir.c_str());
  }
  if (err != 0) return Status::Internal("cannot prepare a process spawn: " + ErrnoText(err));
  return Status::Ok();
}

// Waits for `pid` to exit without reaping it: a zombie keeps its pid (and so its process
// group id) reserved, so the group can be killed afterwards without hitting a recycled id.
// Returns true once it has exited, false at `deadline`.
bool WaitForExit(pid_t pid, Clock::time_point deadline, const std::function<bool()>& abort,
                 bool* aborted) {
  auto pause = std::chrono::microseconds(500);
  for (;;) {
    siginfo_t info{};
    int r = ::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT);
    if (r == 0 && info.si_pid == pid) return true;
    if (r != 0 && errno != EINTR) return true;  // ECHILD: nothing left to wait for
    if (abort && abort()) {
      *aborted = true;
      return false;
    }
    const auto now = Clock::now();
    if (now >= deadline) return false;
    std::this_thread::sleep_for(std::min<Clock::duration>(pause, deadline - now));
    pause = std::min(pause * 2, std::chrono::microseconds(10000));
  }
}

int Reap(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return status;
}

}  // namespace

std::string SubprocessResult::Describe() const {
  if (term_signal != 0) {
    return "killed by signal " + std::to_string(term_signal) + " (" + strsignal(term_signal) + ")";
  }
  return "exit code " + std::to_string(exit_code);
}

std::string FindExecutable(const std::string& program) {
  if (program.empty()) return "";
  if (program.find('/') != std::string::npos) {
    return IsExecutableFile(program) ? program : "";
  }
  const char* path_env = std::getenv("PATH");
  std::string path = path_env != nullptr ? path_env : "/usr/local/bin:/usr/bin:/bin";
  size_t begin = 0;
  while (begin <= path.size()) {
    size_t end = path.find(':', begin);
    if (end == std::string::npos) end = path.size();
    std::string candidate = end > begin ? path.substr(begin, end - begin) : ".";
    candidate += '/';
    candidate += program;
    if (IsExecutableFile(candidate)) return candidate;
    begin = end + 1;
  }
  return "";
}

Result<SubprocessResult> RunSubprocess(const std::vector<std::string>& argv,
                                       const SubprocessOptions& options) {
  if (argv.empty() || argv[0].empty()) return Status::InvalidInput("no program to run");
  if (options.timeout_ms <= 0) {
    return Status::InvalidInput("subprocess timeout must be > 0 ms, got " +
                                std::to_string(options.timeout_ms));
  }
  const std::string program = FindExecutable(argv[0]);
  if (program.empty()) {
    return Status::NotFound("cannot run '" + argv[0] + "': no such executable" +
                            (argv[0].find('/') == std::string::npos ? " in PATH" : ""));
  }

  int raw_log_fd = -1;
  if (!options.log_path.empty()) {
    raw_log_fd = ::open(options.log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (raw_log_fd < 0) {
      return Status::Internal("cannot open log " + options.log_path + ": " + ErrnoText(errno));
    }
  }
  UniqueFd log_fd(raw_log_fd);
  SpawnAttr attr;
  SpawnFileActions actions;
  PRESGEN_RETURN_IF_ERROR(PrepareSpawn(attr, actions, log_fd.get(), options.working_dir));

  std::vector<char*> args;
  args.reserve(argv.size() + 1);
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);

  const auto start = Clock::now();
  pid_t pid = -1;
  int err = ::posix_spawn(&pid, program.c_str(), actions.get(), attr.get(), args.data(), environ);
  if (err == ENOENT || err == EACCES || err == ENOEXEC) {
    return Status::NotFound("cannot run " + program + ": " + ErrnoText(err));
  }
  if (err != 0) return Status::Internal("cannot start " + program + ": " + ErrnoText(err));

  bool aborted = false;
  const bool exited = WaitForExit(pid, start + std::chrono::milliseconds(options.timeout_ms),
                                  options.should_abort, &aborted);
  // The leader is a zombie or still running: its group id cannot have been recycled.
  ::kill(-pid, SIGKILL);
  const int status = Reap(pid);

  SubprocessResult result;
  result.elapsed_s = std::chrono::duration<double>(Clock::now() - start).count();
  if (aborted) return Status::Cancelled(program + " cancelled");
  if (!exited) {
    return Status::Timeout(program + " did not finish within " +
                           std::to_string(options.timeout_ms) + " ms (killed)");
  }
  if (WIFEXITED(status)) {
    result.exit_code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    result.term_signal = WTERMSIG(status);
  }
  return result;
}

}  // namespace presgen

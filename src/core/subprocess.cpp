#include "core/subprocess.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <thread>

extern char** environ;

namespace presgen {
namespace {

using Clock = std::chrono::steady_clock;

std::atomic<SubprocessGrouping> g_grouping{SubprocessGrouping::kOwnGroup};

// The target of kill() for the program and whatever it started: its group, or itself alone.
pid_t KillTarget(pid_t pid, bool own_group) { return own_group ? -pid : pid; }

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
  int release() {
    const int fd = fd_;
    fd_ = -1;
    return fd;
  }

 private:
  int fd_;
};

bool IsExecutableFile(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(path.c_str(), X_OK) == 0;
}

// Child setup: its own process group (so a timeout can kill every helper it starts), a
// clean signal state (the caller's threads may block or ignore signals), stdin from
// /dev/null, stderr into the log, stdout into the report pipe (or the log too), and no
// other inherited descriptors.
Status PrepareSpawn(SpawnAttr& attr, SpawnFileActions& actions, int log_fd, int stdout_fd,
                    const std::string& working_dir, bool own_group) {
  if (!attr.ok() || !actions.ok()) return Status::Internal("cannot prepare a process spawn");
  sigset_t empty, all;
  sigemptyset(&empty);
  sigfillset(&all);
  short flags = POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF;
  if (own_group) flags |= POSIX_SPAWN_SETPGROUP;
  int err = posix_spawnattr_setflags(attr.get(), flags);
  if (err == 0) err = posix_spawnattr_setpgroup(attr.get(), 0);
  if (err == 0) err = posix_spawnattr_setsigmask(attr.get(), &empty);
  if (err == 0) err = posix_spawnattr_setsigdefault(attr.get(), &all);
  if (err == 0) {
    err = posix_spawn_file_actions_addopen(actions.get(), STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  }
  const char* sink = "/dev/null";
  if (err == 0 && log_fd >= 0) {
    err = posix_spawn_file_actions_adddup2(actions.get(), log_fd, STDERR_FILENO);
  } else if (err == 0) {
    err = posix_spawn_file_actions_addopen(actions.get(), STDERR_FILENO, sink, O_WRONLY, 0);
  }
  if (err == 0 && stdout_fd >= 0) {
    err = posix_spawn_file_actions_adddup2(actions.get(), stdout_fd, STDOUT_FILENO);
  } else if (err == 0) {
    err = posix_spawn_file_actions_adddup2(actions.get(), STDERR_FILENO, STDOUT_FILENO);
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

// Splits what the program writes to its stdout pipe into lines for the caller.
class LineReader {
 public:
  static constexpr size_t kMaxLine = 1 << 20;
  LineReader(int fd, const std::function<void(const std::string&)>* on_line)
      : fd_(fd), on_line_(on_line) {}

  enum class Read { kEndOfFile, kDrained, kMore };
  // Reads what is there now, at most 64 KiB (the descriptor is non-blocking), so a program
  // that writes without pause cannot keep the caller from its timeout and abort checks.
  Read ReadAvailable() {
    char buf[4096];
    for (size_t total = 0; total < (64u << 10);) {
      const ssize_t n = ::read(fd_, buf, sizeof buf);
      if (n > 0) {
        Feed(buf, static_cast<size_t>(n));
        total += static_cast<size_t>(n);
        continue;
      }
      if (n == 0) {
        FlushPartial();
        return Read::kEndOfFile;
      }
      if (errno == EINTR) continue;
      return errno == EAGAIN || errno == EWOULDBLOCK ? Read::kDrained : Read::kEndOfFile;
    }
    return Read::kMore;
  }
  void FlushPartial() {
    if (!pending_.empty()) (*on_line_)(pending_);
    pending_.clear();
  }

 private:
  void Feed(const char* data, size_t n) {
    for (size_t i = 0; i < n; ++i) {
      if (data[i] == '\n') {
        (*on_line_)(pending_);
        pending_.clear();
      } else if (pending_.size() < kMaxLine) {
        pending_ += data[i];
      }
    }
  }
  int fd_;
  const std::function<void(const std::string&)>* on_line_;
  std::string pending_;
};

bool HasExited(pid_t pid) {
  siginfo_t info{};
  const int r = ::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT);
  if (r == 0 && info.si_pid == pid) return true;
  return r != 0 && errno != EINTR;  // ECHILD: nothing left to wait for
}

// Sleeps up to `pause`, waking early when the report pipe has data (then reads it).
void PauseOrRead(std::chrono::microseconds pause, LineReader* reader, int fd, bool* pipe_open) {
  if (reader != nullptr && *pipe_open) {
    pollfd p{fd, POLLIN, 0};
    const int ms = static_cast<int>(std::max<int64_t>(1, pause.count() / 1000));
    if (::poll(&p, 1, ms) > 0) *pipe_open = reader->ReadAvailable() != LineReader::Read::kEndOfFile;
    return;
  }
  std::this_thread::sleep_for(pause);
}

enum class WaitEnd { kExited, kTimedOut, kAborted };

// Waits for `pid` to exit without reaping it: a zombie keeps its pid (and so its process
// group id) reserved, so the group can be killed afterwards without hitting a recycled id.
// On abort the group gets SIGTERM and `grace` to exit before the caller kills it.
WaitEnd WaitForExit(pid_t pid, bool own_group, Clock::time_point deadline,
                    const SubprocessOptions& options, LineReader* reader, int pipe_fd) {
  bool pipe_open = reader != nullptr;
  auto pause = std::chrono::microseconds(500);
  for (;;) {
    if (HasExited(pid)) return WaitEnd::kExited;
    if (options.should_abort && options.should_abort()) break;
    const auto now = Clock::now();
    if (now >= deadline) return WaitEnd::kTimedOut;
    PauseOrRead(std::min<std::chrono::microseconds>(
                    pause, std::chrono::duration_cast<std::chrono::microseconds>(deadline - now)),
                reader, pipe_fd, &pipe_open);
    pause = std::min(pause * 2, std::chrono::microseconds(10000));
  }
  if (options.abort_grace_ms > 0) {
    ::kill(KillTarget(pid, own_group), SIGTERM);
    const auto grace_end = Clock::now() + std::chrono::milliseconds(options.abort_grace_ms);
    while (!HasExited(pid) && Clock::now() < grace_end) {
      PauseOrRead(std::chrono::milliseconds(10), reader, pipe_fd, &pipe_open);
    }
  }
  return WaitEnd::kAborted;
}

// The parent's environment with `extra` ("NAME=value") added or replacing.
std::vector<std::string> MergedEnvironment(const std::vector<std::string>& extra) {
  std::vector<std::string> env;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    const std::string entry = *e;
    const std::string name = entry.substr(0, entry.find('='));
    const bool replaced = std::any_of(extra.begin(), extra.end(), [&](const std::string& x) {
      return x.compare(0, name.size() + 1, name + "=") == 0;
    });
    if (!replaced) env.push_back(entry);
  }
  env.insert(env.end(), extra.begin(), extra.end());
  return env;
}

int Reap(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return status;
}

// Kills (the group of) a started program and reaps it, once: on KillAndReap(), or when the
// guard goes out of scope on any other way out.
class ChildGuard {
 public:
  ChildGuard(pid_t pid, bool own_group) : pid_(pid), own_group_(own_group) {}
  ~ChildGuard() {
    if (pid_ > 0) KillAndReap();
  }
  ChildGuard(const ChildGuard&) = delete;
  ChildGuard& operator=(const ChildGuard&) = delete;
  int KillAndReap() {
    // The leader is a zombie or still running: its group id cannot have been recycled.
    ::kill(KillTarget(pid_, own_group_), SIGKILL);
    const int status = Reap(pid_);
    pid_ = -1;
    return status;
  }

 private:
  pid_t pid_;
  bool own_group_;
};

}  // namespace

void SetSubprocessGrouping(SubprocessGrouping grouping) { g_grouping = grouping; }

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
  int pipe_fds[2] = {-1, -1};
  if (options.on_stdout_line && ::pipe2(pipe_fds, O_CLOEXEC) != 0) {
    return Status::Internal("cannot create a pipe: " + ErrnoText(errno));
  }
  UniqueFd read_end(pipe_fds[0]);
  UniqueFd write_end(pipe_fds[1]);
  if (read_end.get() >= 0) ::fcntl(read_end.get(), F_SETFL, O_NONBLOCK);
  SpawnAttr attr;
  SpawnFileActions actions;
  const bool own_group = g_grouping.load() == SubprocessGrouping::kOwnGroup;
  PRESGEN_RETURN_IF_ERROR(PrepareSpawn(attr, actions, log_fd.get(), write_end.get(),
                                       options.working_dir, own_group));

  std::vector<char*> args;
  args.reserve(argv.size() + 1);
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  std::vector<std::string> env_strings;
  std::vector<char*> env;
  char** envp = environ;
  if (!options.extra_env.empty()) {
    env_strings = MergedEnvironment(options.extra_env);
    for (std::string& e : env_strings) env.push_back(e.data());
    env.push_back(nullptr);
    envp = env.data();
  }

  const auto start = Clock::now();
  pid_t pid = -1;
  int err = ::posix_spawn(&pid, program.c_str(), actions.get(), attr.get(), args.data(), envp);
  if (err == ENOENT || err == EACCES || err == ENOEXEC) {
    return Status::NotFound("cannot run " + program + ": " + ErrnoText(err));
  }
  if (err != 0) return Status::Internal("cannot start " + program + ": " + ErrnoText(err));
  { UniqueFd close_now(write_end.release()); }  // the child holds the only write end now
  // Whatever happens from here on (a callback may throw), the program does not outlive
  // this call and is reaped.
  ChildGuard guard(pid, own_group);
  if (options.on_started) options.on_started(static_cast<int>(pid));

  std::optional<LineReader> reader;
  if (options.on_stdout_line) reader.emplace(read_end.get(), &options.on_stdout_line);
  const WaitEnd end =
      WaitForExit(pid, own_group, start + std::chrono::milliseconds(options.timeout_ms), options,
                  reader ? &*reader : nullptr, read_end.get());
  if (reader) {
    while (reader->ReadAvailable() == LineReader::Read::kMore) {  // written just before it ended
    }
    reader->FlushPartial();
  }
  const int status = guard.KillAndReap();

  SubprocessResult result;
  result.elapsed_s = std::chrono::duration<double>(Clock::now() - start).count();
  if (end == WaitEnd::kAborted) return Status::Cancelled(program + " cancelled");
  if (end == WaitEnd::kTimedOut) {
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

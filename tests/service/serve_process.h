// A real `presgen serve` (or `presgen worker`) as a child process of the test, on a free loopback port (read
// from its first line), so tests can kill it, or kill what it starts, as an operator might.
#pragma once

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <dirent.h>
#include <fcntl.h>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace presgen::testing {

// Sets environment variables for the processes started while it lives (a forked server
// and, through it, its job processes inherit them).
class ScopedEnv {
 public:
  ScopedEnv(std::initializer_list<std::pair<const char*, std::string>> vars) {
    for (const auto& [name, value] : vars) {
      names_.push_back(name);
      ::setenv(name, value.c_str(), 1);
    }
  }
  ~ScopedEnv() {
    for (const char* name : names_) ::unsetenv(name);
  }

 private:
  std::vector<const char*> names_;
};

// Starts `argv` with its stdout on a pipe (stderr to `stderr_path`, when given) and reads
// the first line it prints; the child's pid.
inline pid_t SpawnWithFirstLine(std::vector<std::string> args, const std::string& stderr_path,
                                std::string* first_line) {
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  int out[2];
  if (pipe(out) != 0) throw std::runtime_error("pipe");
  const pid_t pid = fork();
  if (pid == 0) {
    dup2(out[1], STDOUT_FILENO);
    close(out[0]);
    close(out[1]);
    if (!stderr_path.empty()) {
      const int fd = ::open(stderr_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      if (fd >= 0) dup2(fd, STDERR_FILENO);
    }
    execv(argv[0], argv.data());
    _exit(127);
  }
  close(out[1]);
  char c;
  while (read(out[0], &c, 1) == 1 && c != '\n') *first_line += c;
  close(out[0]);
  return pid;
}

class ServeProcess {
 public:
  // `binary`: the presgen build to run (the real one, or the test build with faults).
  // `stderr_path` empty: the server runs --quiet; else its logs are written there (JSON:
  // stderr is then not a terminal) and `extra_args` follow the usual ones.
  explicit ServeProcess(const std::string& data_dir, const std::string& binary = PRESGEN_BINARY,
                        const std::vector<std::string>& extra_args = {},
                        const std::string& stderr_path = "",
                        const std::string& subcommand = "serve") {
    std::vector<std::string> args = {binary, subcommand};
    if (subcommand == "serve") args.insert(args.end(), {"--port", "0"});
    args.insert(args.end(), {"--data-dir", data_dir});
    if (stderr_path.empty()) args.push_back("--quiet");
    args.insert(args.end(), extra_args.begin(), extra_args.end());
    std::string line;
    pid_ = SpawnWithFirstLine(args, stderr_path, &line);
    if (subcommand != "serve") {  // a worker: "presgen worker: N workers on STORE"
      if (line.rfind("presgen " + subcommand + ":", 0) != 0) {
        throw std::runtime_error("presgen " + subcommand + " did not start: " + line);
      }
      return;
    }
    const size_t colon = line.rfind(':');
    if (line.find("listening on") == std::string::npos || colon == std::string::npos) {
      throw std::runtime_error("presgen serve did not start: " + line);
    }
    port_ = std::stoi(line.substr(colon + 1));
  }
  ~ServeProcess() { Kill(SIGKILL); }
  ServeProcess(const ServeProcess&) = delete;
  ServeProcess& operator=(const ServeProcess&) = delete;

  int port() const { return port_; }
  pid_t pid() const { return pid_; }
  // True while the server process has not exited.
  bool Alive() const {
    if (pid_ <= 0) return false;
    int status = 0;
    return waitpid(pid_, &status, WNOHANG) == 0;
  }
  // Stops the process with `sig` and waits for it; its exit status.
  int Kill(int sig) {
    if (pid_ <= 0) return -1;
    kill(pid_, sig);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    return status;
  }

 private:
  pid_t pid_ = -1;
  int port_ = 0;
};

// True once `pid` is gone or a zombie (its parent died before reaping it).
inline bool ProcessEnded(pid_t pid) {
  if (::kill(pid, 0) != 0) return true;
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  std::getline(stat, line);
  const size_t paren = line.rfind(')');
  return paren == std::string::npos || (paren + 2 < line.size() && line[paren + 2] == 'Z');
}

// The pids of `parent`'s children whose command line contains `needle` (from /proc).
inline std::vector<pid_t> ChildProcesses(pid_t parent, const std::string& needle) {
  std::vector<pid_t> found;
  DIR* proc = opendir("/proc");
  if (proc == nullptr) return found;
  while (dirent* entry = readdir(proc)) {
    const pid_t pid = static_cast<pid_t>(std::atoi(entry->d_name));
    if (pid <= 0) continue;
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
    const size_t paren = text.rfind(')');
    if (paren == std::string::npos) continue;
    std::istringstream rest(text.substr(paren + 2));
    char state = 0;
    pid_t ppid = 0;
    rest >> state >> ppid;
    if (ppid != parent || state == 'Z') continue;
    std::ifstream cmd("/proc/" + std::to_string(pid) + "/cmdline");
    std::string cmdline((std::istreambuf_iterator<char>(cmd)), std::istreambuf_iterator<char>());
    if (cmdline.find(needle) != std::string::npos) found.push_back(pid);
  }
  closedir(proc);
  return found;
}

}  // namespace presgen::testing

// Process-level facts: wall-clock stopwatch, peak resident memory, core count; a file lock.
#pragma once

#include <chrono>
#include <string>

#include "core/status.h"

namespace presgen {

// An exclusive lock on a file (flock), held while the object lives: one process per data
// folder. Released by the kernel when the process dies, however it dies.
class FileLock {
 public:
  // Takes the lock on `path` (created if missing) and writes this process's pid into it.
  // Errors: kInvalidInput naming the path and the pid that holds it, or why it cannot open.
  static Result<FileLock> Acquire(const std::string& path);
  FileLock(FileLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  FileLock& operator=(FileLock&& other) noexcept;
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;
  ~FileLock();

 private:
  explicit FileLock(int fd) : fd_(fd) {}
  int fd_ = -1;
};

class Stopwatch {
 public:
  Stopwatch() : start_(std::chrono::steady_clock::now()) {}
  double ElapsedSeconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  }

 private:
  std::chrono::steady_clock::time_point start_;
};

// Peak resident set size of this process in MiB (VmHWM), 0 if unknown.
double PeakRssMb();
// Resident set size of this process now in MiB (VmRSS), 0 if unknown.
double CurrentRssMb();
// CPU time this process has used so far (user + system, all threads), in seconds.
double ProcessCpuSeconds();

// Cores this process may use (at least 1).
int AvailableCores();

// Bytes an unprivileged writer may still use on the filesystem holding `path`; -1 unknown.
int64_t FreeBytes(const std::string& path);

}  // namespace presgen

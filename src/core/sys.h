// Process-level facts: wall-clock stopwatch, peak resident memory, core count.
#pragma once

#include <chrono>

namespace presgen {

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

// Cores this process may use (at least 1).
int AvailableCores();

}  // namespace presgen

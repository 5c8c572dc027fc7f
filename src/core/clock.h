// The time seam (LevelDB's Env): code that waits, expires or cools down asks a Clock, so
// tests drive it with a FakeClock instead of sleeping.
#pragma once

#include <atomic>
#include <cstdint>

namespace presgen {

class Clock {
 public:
  virtual ~Clock() = default;
  // Milliseconds on a monotonic scale (not wall time).
  virtual int64_t NowMs() const = 0;
};

// The machine's steady clock; lives for the whole process.
const Clock& SystemClock();

// A clock that moves only when told (tests). Thread-safe.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(int64_t start_ms = 1'000'000) : now_ms_(start_ms) {}
  int64_t NowMs() const override { return now_ms_.load(); }
  void AdvanceMs(int64_t ms) { now_ms_ += ms; }

 private:
  std::atomic<int64_t> now_ms_;
};

}  // namespace presgen

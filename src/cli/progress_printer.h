// Job progress on stderr: a redrawn bar on a terminal, one line per stage otherwise.
#pragma once

#include <mutex>
#include <string>

namespace presgen {

class ProgressPrinter {
 public:
  explicit ProgressPrinter(bool enabled);
  void Update(const std::string& stage, double fraction);
  void Finish();

 private:
  std::mutex mu_;
  bool enabled_;
  bool tty_;
  std::string last_stage_;
  int last_percent_ = -1;
};

}  // namespace presgen

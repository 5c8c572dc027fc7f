// Job progress on stderr: a redrawn bar on a terminal, one line per stage otherwise.
// A stage's line is written once the stage is under way (it reports progress, or
// the next stage starts), so a job that fails at its first step prints only
// its one error line.
#pragma once

#include <mutex>
#include <string>

namespace presgen {

class ProgressPrinter {
 public:
  explicit ProgressPrinter(bool enabled);
  void Update(const std::string& stage, double fraction);
  // Ends the display: a finished job keeps its last line, a failed one has
  // its bar erased (terminal) or its unstarted stage dropped (log).
  void Finish(bool succeeded);

 private:
  void WritePendingLine();

  std::mutex mu_;
  bool enabled_;
  bool tty_;
  std::string last_stage_;
  std::string pending_line_;
  int last_percent_ = -1;
};

}  // namespace presgen

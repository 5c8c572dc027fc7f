#include "cli/progress_printer.h"

#include <unistd.h>

#include <cstdio>

namespace presgen {

ProgressPrinter::ProgressPrinter(bool enabled) : enabled_(enabled), tty_(::isatty(2) != 0) {}

void ProgressPrinter::WritePendingLine() {
  if (pending_line_.empty()) return;
  std::fputs(pending_line_.c_str(), stderr);
  pending_line_.clear();
}

void ProgressPrinter::Update(const std::string& stage, double fraction) {
  if (!enabled_) return;
  std::lock_guard<std::mutex> lock(mu_);
  const int percent = static_cast<int>(fraction * 100);
  if (tty_) {
    if (percent == last_percent_ && stage == last_stage_) return;
    constexpr int kWidth = 30;
    const int filled = static_cast<int>(fraction * kWidth);
    std::string bar(filled, '#');
    bar.resize(kWidth, '.');
    std::fprintf(stderr, "\r[%s] %3d%%  %-12s", bar.c_str(), percent, stage.c_str());
    std::fflush(stderr);
  } else if (stage != last_stage_) {
    WritePendingLine();  // the previous stage ran: its line stands
    char line[96];
    std::snprintf(line, sizeof(line), "presgen: %-10s (%d%% done)\n", stage.c_str(), percent);
    pending_line_ = line;
  } else {
    WritePendingLine();
  }
  last_percent_ = percent;
  last_stage_ = stage;
}

void ProgressPrinter::Finish(bool succeeded) {
  if (!enabled_) return;
  std::lock_guard<std::mutex> lock(mu_);
  if (tty_) {
    if (last_percent_ >= 0) std::fputs(succeeded ? "\n" : "\r\033[K", stderr);
  } else if (succeeded) {
    WritePendingLine();
  }
  pending_line_.clear();
}

}  // namespace presgen

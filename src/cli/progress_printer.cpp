#include "cli/progress_printer.h"

#include <cstdio>
#include <unistd.h>

namespace presgen {

ProgressPrinter::ProgressPrinter(bool enabled) : enabled_(enabled), tty_(::isatty(2) != 0) {}

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
    std::fprintf(stderr, "presgen: %-10s (%d%% done)\n", stage.c_str(), percent);
  }
  last_percent_ = percent;
  last_stage_ = stage;
}

void ProgressPrinter::Finish() {
  if (enabled_ && tty_ && last_percent_ >= 0) std::fprintf(stderr, "\n");
}

}  // namespace presgen

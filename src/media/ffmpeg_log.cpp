#include "media/ffmpeg_log.h"

#include <cstdarg>
#include <cstring>
#include <spdlog/spdlog.h>

extern "C" {
#include <libavutil/log.h>
}

namespace presgen {
namespace {

void ForwardToSpdlog(void* avcl, int level, const char* fmt, va_list args) {
  if (level > av_log_get_level()) return;
  char line[1024];
  int print_prefix = 1;
  av_log_format_line(avcl, level, fmt, args, line, sizeof line, &print_prefix);
  size_t n = std::strlen(line);
  while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r')) line[--n] = '\0';
  if (n > 0) spdlog::debug("ffmpeg: {}", line);
}

}  // namespace

void RouteFfmpegLogs(bool verbose) {
  if (verbose) {
    av_log_set_level(AV_LOG_INFO);
    av_log_set_callback(&ForwardToSpdlog);
  } else {
    av_log_set_level(AV_LOG_QUIET);
  }
}

}  // namespace presgen

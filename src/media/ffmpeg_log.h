// FFmpeg's own log output. By default it is silenced so that a failure reaches
// the user as one line from us; with verbose logging it goes through spdlog.
#pragma once

namespace presgen {

// verbose = false: FFmpeg prints nothing. true: its messages (info and above)
// are forwarded to spdlog at debug level. Call once at start-up.
void RouteFfmpegLogs(bool verbose);

}  // namespace presgen

// The probe of an untrusted upload (ProbeInput) in a child process of the presgen binary
// (`presgen run-probe PATH`), so that a file that crashes FFmpeg's demuxers is one refused
// upload and never the server's end. Same protocol as render_process.h.
#pragma once

#include <functional>
#include <string>

#include "core/status.h"
#include "core/types.h"
#include "pipeline/render_process.h"  // RenderProcessHooks

namespace presgen {

struct UploadProbeParams {
  std::string executable;  // the presgen binary that runs `run-probe`
  int timeout_ms = 60000;
  std::function<bool()> should_abort;  // e.g. the server stopping; may be empty
};

// Errors: ProbeInput's, as the child reported them; kInvalidInput "PATH: cannot be read
// (the probe crashed: SIGSEGV)" when the file crashed the probe (SIGSEGV, SIGBUS, SIGILL,
// SIGFPE, SIGABRT); kUnavailable when the probe process ended otherwise without a result
// (killed, out of memory: not the file's fault); kTimeout; kCancelled; kNotFound.
Result<MediaInfo> ProbeUploadInChild(const std::string& path, const UploadProbeParams& params);

// The child's side, the body of `presgen run-probe PATH`; returns the exit code.
// `hooks.on_stage` is called with "upload-probe" before the file is opened.
int RunUploadProbeChild(const std::string& path, const RenderProcessHooks& hooks);

}  // namespace presgen

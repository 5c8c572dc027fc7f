// The individual checks of readiness.h (internal to the module). Each returns its
// ReadinessCheck without `seconds`, which the runner measures.
#pragma once

#include "readiness/readiness.h"

namespace presgen::readiness {

ReadinessCheck CheckWhisperModel(const ReadinessParams& params);
ReadinessCheck CheckPocketSphinx();
ReadinessCheck CheckFaceDetection();
ReadinessCheck CheckSlideFonts();
ReadinessCheck CheckChromium();
ReadinessCheck CheckLlm(const ReadinessParams& params);
ReadinessCheck CheckFfmpeg();
ReadinessCheck CheckTempStorage(const ReadinessParams& params);
ReadinessCheck CheckSmokeRender();

// A scratch folder under $TMPDIR for one check, removed with its contents.
class ScratchDir {
 public:
  ScratchDir();
  ~ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  bool ok() const { return !path_.empty(); }
  const std::string& path() const { return path_; }
  std::string error() const { return error_; }

 private:
  std::string path_;
  std::string error_;
};

}  // namespace presgen::readiness

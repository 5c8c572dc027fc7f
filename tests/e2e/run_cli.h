// The end-to-end tests' runs of presgen: the shared render of pitch.mp4 and scratch
// folders (RunPresgen itself: support/run_cli.h).
#pragma once

#include <filesystem>
#include <string>

#include "support/run_cli.h"

namespace presgen::test {

// Where render_pitch_once leaves the shared render of pitch.mp4 (out, err, code).
inline std::string PitchRenderDir() { return std::string(PRESGEN_E2E_DIR) + "/pitch"; }

inline CliRun ReadSavedRun(const std::string& dir) {
  CliRun r;
  r.out = ReadAll(dir + "/cli.out");
  r.err = ReadAll(dir + "/cli.err");
  const std::string code = ReadAll(dir + "/cli.code");
  r.exit_code = code.empty() ? -1 : std::stoi(code);
  return r;
}

inline std::string ScratchDir(const std::string& name) {
  auto dir = std::filesystem::path(PRESGEN_E2E_DIR) / name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir.string();
}

}  // namespace presgen::test

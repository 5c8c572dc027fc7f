// Runs the presgen binary as a user would and captures what it prints.
#pragma once

#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace presgen::test {

struct CliRun {
  int exit_code = -1;
  std::string out;
  std::string err;
};

inline std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline std::string Quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

// args are passed through the shell, each quoted.
inline CliRun RunPresgen(const std::vector<std::string>& args, const std::string& scratch_dir) {
  std::string cmd = Quote(PRESGEN_BINARY);
  for (const auto& a : args) cmd += " " + Quote(a);
  const std::string out = scratch_dir + "/cli.out", err = scratch_dir + "/cli.err";
  cmd += " > " + Quote(out) + " 2> " + Quote(err) + " < /dev/null";
  const int status = std::system(cmd.c_str());
  CliRun r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = ReadAll(out);
  r.err = ReadAll(err);
  return r;
}

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

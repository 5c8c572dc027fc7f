// Runs the presgen binary (PRESGEN_BINARY) as a user would and captures what it prints.
#pragma once

#include <sys/wait.h>

#include <cstdlib>
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

}  // namespace presgen::test

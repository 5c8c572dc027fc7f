// CTest fixture setup for the PitchRender tests: renders the pitch fixture once
// with the real CLI and keeps what it printed, so every test process (ctest
// runs each test alone, in parallel) reads the same finished render instead of
// rendering again or racing on one folder.
#include <cstdio>
#include <fstream>

#include "e2e/run_cli.h"
#include "support/fixtures.h"

int main() {
  using namespace presgen::test;
  const std::string dir = PitchRenderDir();
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const CliRun run = RunPresgen(
      {"render", FixturePath("pitch.mp4"), "-o", dir + "/pitch_deck.mp4", "--json", "--asr",
       "pocketsphinx"},
      dir);
  std::ofstream(dir + "/cli.code") << run.exit_code;
  std::fputs(run.err.c_str(), stderr);
  return run.exit_code;
}

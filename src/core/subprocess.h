// Runs an external program without a shell, with a wall-clock timeout: the one place the
// product starts child processes (headless Chromium for HTML slides, future helpers).
//
// The program gets argv exactly as given (no shell, no word splitting, no globbing: spaces
// and quotes in arguments arrive untouched), stdin from /dev/null, stdout and stderr
// appended to one log file (or discarded) — or stdout read line by line by the caller —,
// the parent's environment (plus any extra variables), default signal dispositions and an
// empty signal mask. It runs in a new process group of its own; on timeout or abort the
// whole group is killed with SIGKILL (after a SIGTERM and a grace period, if asked), and
// when the program exits any helper it left behind in its group is killed too, so nothing
// outlives the call.
//
// Thread-safety: RunSubprocess may be called from several threads at once (it reaps only
// the child it started). It relies on SIGCHLD not being ignored (SIG_IGN) by the process.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "core/status.h"

namespace presgen {

struct SubprocessOptions {
  int timeout_ms = 60000;  // wall clock from the spawn; must be > 0
  // stdout and stderr of the program are appended to this file (created if missing);
  // empty: both go to /dev/null.
  std::string log_path;
  std::string working_dir;  // empty: the caller's working directory
  // Polled while the program runs (about every 10 ms); returning true kills the group and
  // the call returns kCancelled. May be empty.
  std::function<bool()> should_abort;
  // On abort: SIGTERM to the group first, SIGKILL only if it is still running this long
  // after. 0 = SIGKILL at once. A timeout always kills at once.
  int abort_grace_ms = 0;
  // When set, the program's stdout is a pipe and each line it writes (without the '\n')
  // is passed here, on the calling thread, as it arrives; a last line without '\n' is
  // passed too. stderr still goes to log_path. Lines longer than 1 MiB are cut.
  std::function<void(const std::string& line)> on_stdout_line;
  // Called once with the program's pid right after it started (e.g. to log it).
  std::function<void(int pid)> on_started;
  // "NAME=value" entries added to (or replacing those of) the parent's environment.
  std::vector<std::string> extra_env;
};

struct SubprocessResult {
  int exit_code = -1;   // the program's exit status when it exited normally, else -1
  int term_signal = 0;  // the signal that ended it, else 0
  double elapsed_s = 0;

  bool Succeeded() const { return term_signal == 0 && exit_code == 0; }
  // "exit code 3" or "killed by signal 11 (Segmentation fault)".
  std::string Describe() const;
};

// How the programs this process starts are grouped, for the whole process.
//  kOwnGroup (the default): each in a new process group of its own, killed as a group on
//    timeout, abort and exit.
//  kCallerGroup: in this process's own group — for a process that is itself supervised as
//    a group (a `presgen run-job` process): whoever kills that group kills its helpers too.
//    A helper's timeout or abort then kills the helper alone.
enum class SubprocessGrouping { kOwnGroup, kCallerGroup };
void SetSubprocessGrouping(SubprocessGrouping grouping);  // call at start-up, before any spawn

// The absolute path of `program`: a name containing '/' is checked as given, any other
// name is looked up in $PATH. Returns "" when no executable regular file is found.
std::string FindExecutable(const std::string& program);

// Starts argv[0] (looked up in $PATH when it has no '/') with `argv` and waits for it.
// A non-zero exit status or a crash is not an error of this call: it is reported in the
// result for the caller to judge.
// Errors: kInvalidInput for an empty argv or timeout_ms <= 0; kNotFound when the program
// does not exist or is not executable (message names it); kTimeout when it ran longer
// than timeout_ms (the group was killed); kCancelled when should_abort returned true;
// kInternal when the log file cannot be opened or the spawn fails for another reason.
Result<SubprocessResult> RunSubprocess(const std::vector<std::string>& argv,
                                       const SubprocessOptions& options);

}  // namespace presgen

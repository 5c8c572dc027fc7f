// The test build's fault injection for `presgen run-job` (see src/cli/fault_injection.h),
// linked only into presgen_with_faults, never into the shipped presgen.
//
//   PRESGEN_FAULT=KIND@STAGE[#ATTEMPT]   when STAGE starts (on ATTEMPT only, if given;
//                                        "upload-probe" is `run-probe` of an upload):
//     segv   raise SIGSEGV        abort  std::abort() (SIGABRT)
//     kill   SIGKILL itself, as the OOM killer would
//     exit   _exit(3) without reporting a result
//     hang   the stage's engine stops at its first step until its abort check turns true
//            (the job's cancel or the stage's deadline), as a stuck engine would
//   PRESGEN_FAULT_WHILE=FILE             only while FILE exists (a test arms and disarms it)
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "cli/fault_injection.h"

namespace presgen {
namespace {

struct Fault {
  std::string kind, stage;
  int attempt = 0;  // 0 = every attempt
};

Fault ParseFault(const char* text) {
  Fault f;
  std::string s = text != nullptr ? text : "";
  const size_t at = s.find('@');
  if (at == std::string::npos) return f;
  f.kind = s.substr(0, at);
  std::string rest = s.substr(at + 1);
  const size_t hash = rest.find('#');
  if (hash != std::string::npos) {
    f.attempt = std::atoi(rest.c_str() + hash + 1);
    rest.resize(hash);
  }
  f.stage = rest;
  return f;
}

bool Armed() {
  const char* file = std::getenv("PRESGEN_FAULT_WHILE");
  return file == nullptr || ::access(file, F_OK) == 0;
}

}  // namespace

RenderProcessHooks FaultInjectionHooks() {
  RenderProcessHooks hooks;
  const Fault fault = ParseFault(std::getenv("PRESGEN_FAULT"));
  if (fault.kind.empty()) return hooks;
  if (fault.kind == "hang") {
    hooks.on_step = [fault](const std::string& stage, const std::function<bool()>& should_abort) {
      if (stage != fault.stage || !Armed()) return;
      std::fprintf(stderr, "fault injection: hang at %s\n", stage.c_str());
      while (!should_abort()) ::usleep(5000);
    };
    return hooks;
  }
  hooks.on_stage = [fault](const std::string& stage, int attempt) {
    if (stage != fault.stage || (fault.attempt != 0 && attempt != fault.attempt) || !Armed()) {
      return;
    }
    std::fprintf(stderr, "fault injection: %s at %s (attempt %d)\n", fault.kind.c_str(),
                 stage.c_str(), attempt);
    if (fault.kind == "segv") ::raise(SIGSEGV);
    if (fault.kind == "abort") std::abort();
    if (fault.kind == "kill") ::raise(SIGKILL);
    if (fault.kind == "exit") ::_exit(3);
  };
  return hooks;
}

}  // namespace presgen

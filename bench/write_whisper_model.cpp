// Writes a random-weight ggml Whisper model for benchmarks: the encoder's and
// decoder's cost depends on the dimensions, not on the weight values.
//   write_whisper_model OUT.bin [base.en|tiny]
#include <cstdio>
#include <string>

#include "support/tiny_whisper_model.h"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s OUT.bin [base.en|tiny]\n", argv[0]);
    return 2;
  }
  const std::string size = argc > 2 ? argv[2] : "base.en";
  presgen::test::TinyWhisperSpec spec;
  if (size == "base.en") {
    spec = presgen::test::BaseEnDimensions();
  } else if (size != "tiny") {
    std::fprintf(stderr, "unknown size %s\n", size.c_str());
    return 2;
  }
  std::string error;
  if (!presgen::test::WriteTinyWhisperModel(argv[1], spec, &error)) {
    std::fprintf(stderr, "write_whisper_model: %s\n", error.c_str());
    return 1;
  }
  return 0;
}

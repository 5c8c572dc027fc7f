// Writes a random-weight ggml Whisper model (support/tiny_whisper_model.h) for tests that
// run the real presgen binary on the whisper path.
//
//   write_tiny_whisper_model OUT.bin [f16|q5_1]
#include <cstdio>
#include <string>

#include "support/tiny_whisper_model.h"

int main(int argc, char** argv) {
  if (argc < 2 || argc > 3) {
    std::fprintf(stderr, "usage: write_tiny_whisper_model OUT.bin [f16|q5_1]\n");
    return 2;
  }
  presgen::test::TinyWhisperSpec spec;
  const std::string type = argc == 3 ? argv[2] : "f16";
  if (type == "q5_1") {
    spec.type = presgen::test::TinyWhisperSpec::Type::kQ5_1;
  } else if (type != "f16") {
    std::fprintf(stderr, "write_tiny_whisper_model: unknown type %s\n", type.c_str());
    return 2;
  }
  std::string error;
  if (!presgen::test::WriteTinyWhisperModel(argv[1], spec, &error)) {
    std::fprintf(stderr, "write_tiny_whisper_model: %s\n", error.c_str());
    return 1;
  }
  return 0;
}

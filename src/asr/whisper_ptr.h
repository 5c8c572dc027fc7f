// RAII handle for whisper.cpp contexts. No raw whisper_free elsewhere.
#pragma once

#include <whisper.h>

#include <memory>

namespace presgen {

struct WhisperContextDeleter {
  void operator()(whisper_context* ctx) const { whisper_free(ctx); }
};
using WhisperContextPtr = std::unique_ptr<whisper_context, WhisperContextDeleter>;

}  // namespace presgen

// An API error: the HTTP status, a stable snake_case code and one clear line.
#pragma once

#include <string>

#include "core/status.h"

namespace presgen {

struct HttpError {
  int status = 500;
  std::string code;     // "payload_too_large", "unsupported_media", ...
  std::string message;  // one line for the user: what, which file, why
};

// The HTTP error for a pipeline Status: bad input 422, not a video 415,
// missing 404, busy 503, the rest 500.
inline HttpError HttpErrorFromStatus(const Status& st) {
  switch (st.code()) {
    case StatusCode::kInvalidInput: return {422, "invalid_input", st.message()};
    case StatusCode::kUnsupported: return {415, "unsupported_media", st.message()};
    case StatusCode::kNotFound: return {404, "not_found", st.message()};
    case StatusCode::kUnavailable: return {503, "unavailable", st.message()};
    case StatusCode::kTimeout: return {504, "timeout", st.message()};
    default: return {500, "internal", st.message()};
  }
}

}  // namespace presgen

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

// The HTTP error for a Status (the job manager's and the pipeline's): bad input 422, not
// a video 415, missing 404, wrong state 409, expired 410, queue full 429 (disk full 507),
// busy 503, the rest 500. The Status's reason, when it has one, is the error's code.
inline HttpError HttpErrorFromStatus(const Status& st) {
  HttpError e;
  switch (st.code()) {
    case StatusCode::kInvalidInput: e = {422, "invalid_input", ""}; break;
    case StatusCode::kUnsupported: e = {415, "unsupported_media", ""}; break;
    case StatusCode::kNotFound: e = {404, "not_found", ""}; break;
    case StatusCode::kConflict: e = {409, "conflict", ""}; break;
    case StatusCode::kGone: e = {410, "expired", ""}; break;
    case StatusCode::kResourceExhausted:
      e = st.reason() == "storage" ? HttpError{507, "storage", ""} : HttpError{429, "queue_full", ""};
      break;
    case StatusCode::kUnavailable: e = {503, "unavailable", ""}; break;
    case StatusCode::kTimeout: e = {504, "timeout", ""}; break;
    default: e = {500, "internal", ""}; break;
  }
  if (!st.reason().empty()) e.code = st.reason();
  e.message = st.message();
  return e;
}

}  // namespace presgen

#include "core/status.h"

namespace presgen {

const char* StatusCodeName(StatusCode code) {
  switch (code) {
    case StatusCode::kOk: return "ok";
    case StatusCode::kInvalidInput: return "invalid_input";
    case StatusCode::kUnsupported: return "unsupported";
    case StatusCode::kNotFound: return "not_found";
    case StatusCode::kTimeout: return "timeout";
    case StatusCode::kCancelled: return "cancelled";
    case StatusCode::kUnavailable: return "unavailable";
    case StatusCode::kInternal: return "internal";
    case StatusCode::kConflict: return "conflict";
    case StatusCode::kGone: return "gone";
    case StatusCode::kResourceExhausted: return "resource_exhausted";
  }
  return "unknown";
}

StatusCode StatusCodeFromName(const std::string& name) {
  for (StatusCode code : {StatusCode::kOk, StatusCode::kInvalidInput, StatusCode::kUnsupported,
                          StatusCode::kNotFound, StatusCode::kTimeout, StatusCode::kCancelled,
                          StatusCode::kUnavailable, StatusCode::kInternal, StatusCode::kConflict,
                          StatusCode::kGone, StatusCode::kResourceExhausted}) {
    if (name == StatusCodeName(code)) return code;
  }
  return StatusCode::kInternal;
}

std::string Status::ToString() const {
  if (ok()) return "ok";
  return std::string(StatusCodeName(code_)) + ": " + message_;
}

}  // namespace presgen

// Status and Result<T>: expected failures as values (LevelDB-style).
//
// A Status is either OK or carries a code and a one-line message meant for the
// user ("what, which file, why"). Result<T> holds a value or a non-OK Status.
// Neither type throws; exceptions are reserved for broken invariants and are
// caught at the edges (thread entry points, CLI main).
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace presgen {

enum class StatusCode {
  kOk = 0,
  kInvalidInput,  // bad input file or argument: exit code 2
  kUnsupported,   // well-formed but not something we handle: exit code 2
  kNotFound,      // a file or resource is missing: exit code 2
  kTimeout,
  kCancelled,
  kUnavailable,   // an engine/model/resource cannot be used right now
  kInternal,      // a processing failure on our side: exit code 1
  kConflict,      // the thing is not in a state that allows this now (busy, no deck yet)
  kGone,          // it existed but has expired
  kResourceExhausted,  // a queue or the disk is full: try again later
};

const char* StatusCodeName(StatusCode code);
// The code whose StatusCodeName() is `name`; kInternal for a name it does not know.
StatusCode StatusCodeFromName(const std::string& name);

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return {}; }
  static Status InvalidInput(std::string m) { return {StatusCode::kInvalidInput, std::move(m)}; }
  static Status Unsupported(std::string m) { return {StatusCode::kUnsupported, std::move(m)}; }
  static Status NotFound(std::string m) { return {StatusCode::kNotFound, std::move(m)}; }
  static Status Timeout(std::string m) { return {StatusCode::kTimeout, std::move(m)}; }
  static Status Cancelled(std::string m) { return {StatusCode::kCancelled, std::move(m)}; }
  static Status Unavailable(std::string m) { return {StatusCode::kUnavailable, std::move(m)}; }
  static Status Internal(std::string m) { return {StatusCode::kInternal, std::move(m)}; }
  static Status Conflict(std::string m) { return {StatusCode::kConflict, std::move(m)}; }
  static Status Gone(std::string m) { return {StatusCode::kGone, std::move(m)}; }
  static Status ResourceExhausted(std::string m) {
    return {StatusCode::kResourceExhausted, std::move(m)};
  }

  // A finer, stable snake_case name of the failure for front ends that show one
  // ("idempotency_mismatch", "queue_full", "storage"); "" = the code's own name.
  Status WithReason(std::string reason) && {
    reason_ = std::move(reason);
    return std::move(*this);
  }
  const std::string& reason() const { return reason_; }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // True for failures caused by the input or the invocation (exit code 2).
  bool IsUserError() const {
    return code_ == StatusCode::kInvalidInput || code_ == StatusCode::kUnsupported ||
           code_ == StatusCode::kNotFound;
  }
  std::string ToString() const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
  std::string reason_;
};

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : data_(std::move(value)) {}          // NOLINT: implicit by design
  Result(Status status) : data_(std::move(status)) {     // NOLINT: implicit by design
    assert(!std::get<Status>(data_).ok() && "Result from an OK status has no value");
  }

  bool ok() const { return std::holds_alternative<T>(data_); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(data_);
  }
  T& value() & { return std::get<T>(data_); }
  const T& value() const& { return std::get<T>(data_); }
  T&& value() && { return std::get<T>(std::move(data_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> data_;
};

// Keeps the first error seen (FFmpeg's err_merge): later errors are usually consequences.
inline void MergeStatus(Status& first, const Status& next) {
  if (first.ok() && !next.ok()) first = next;
}

}  // namespace presgen

#define PRESGEN_RETURN_IF_ERROR(expr)      \
  do {                                     \
    ::presgen::Status _st = (expr);        \
    if (!_st.ok()) return _st;             \
  } while (0)

#include "service/upload_receiver.h"

#include <openssl/rand.h>

#include <cstdio>
#include <memory>

namespace presgen {
namespace {

constexpr int64_t kMultipartSlack = 64 * 1024;
constexpr size_t kMaxOptionsBytes = 64 * 1024;

struct FileCloser {
  void operator()(FILE* f) const { std::fclose(f); }
};

// Writes the upload, counting bytes against the limit.
class UploadSink {
 public:
  UploadSink(std::string path, int64_t max_bytes) : path_(std::move(path)), max_(max_bytes) {}
  ~UploadSink() {
    if (!kept_) {
      file_.reset();
      std::remove(path_.c_str());
    }
  }

  bool Open() {
    file_.reset(std::fopen(path_.c_str(), "wb"));
    return file_ != nullptr;
  }
  bool Write(const char* data, size_t n) {
    bytes_ += static_cast<int64_t>(n);
    if (bytes_ > max_) {
      too_large_ = true;
      return false;
    }
    if (std::fwrite(data, 1, n, file_.get()) != n) {
      write_failed_ = true;
      return false;
    }
    return true;
  }
  bool Close() {
    const bool ok = std::fflush(file_.get()) == 0;
    file_.reset();
    return ok;
  }
  void Keep() { kept_ = true; }

  int64_t bytes() const { return bytes_; }
  bool too_large() const { return too_large_; }
  bool write_failed() const { return write_failed_; }

 private:
  std::string path_;
  int64_t max_;
  std::unique_ptr<FILE, FileCloser> file_;
  int64_t bytes_ = 0;
  bool too_large_ = false;
  bool write_failed_ = false;
  bool kept_ = false;
};

// Cuts off a body that arrives slower than UploadParams allows: fewer than stall_min_bytes
// over a whole stall_ms window.
class StallGuard {
 public:
  explicit StallGuard(const UploadParams& p)
      : clock_(*p.clock), window_ms_(p.stall_ms), min_bytes_(p.stall_min_bytes),
        window_start_ms_(clock_.NowMs()) {}

  // Counts `n` more bytes; false once the client is too slow.
  bool Received(size_t n) {
    total_ += static_cast<int64_t>(n);
    const int64_t now = clock_.NowMs();
    if (window_ms_ <= 0 || now - window_start_ms_ < window_ms_) return true;
    if (total_ - window_bytes_ < min_bytes_) {
      stalled_ = true;
      return false;
    }
    window_start_ms_ = now;
    window_bytes_ = total_;
    return true;
  }
  bool stalled() const { return stalled_; }

 private:
  const Clock& clock_;
  int64_t window_ms_, min_bytes_;
  int64_t window_start_ms_;
  int64_t window_bytes_ = 0;
  int64_t total_ = 0;
  bool stalled_ = false;
};

HttpError TooLarge(int64_t max_bytes) {
  return {413, "payload_too_large",
          "the upload is larger than the limit of " + std::to_string(max_bytes / (1024 * 1024)) +
              " MB"};
}

}  // namespace

Result<std::string> RandomHex(size_t bytes) {
  std::string raw(bytes, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(raw.data()), static_cast<int>(bytes)) != 1) {
    // Ids open jobs when there is no API key: never make up weak ones.
    return Status::Unavailable("no random numbers available");
  }
  static const char* kDigits = "0123456789abcdef";
  std::string out;
  for (unsigned char c : raw) {
    out += kDigits[c >> 4];
    out += kDigits[c & 15];
  }
  return out;
}

std::string CleanFileName(const std::string& name) {
  std::string base = name;
  if (auto slash = base.find_last_of("/\\"); slash != std::string::npos) base = base.substr(slash + 1);
  // Printable ASCII and whole, valid UTF-8 characters; at most 120 bytes, never cut inside a
  // character (the name goes into JSON, which must stay valid UTF-8).
  std::string out;
  for (size_t i = 0; i < base.size();) {
    const unsigned char c = static_cast<unsigned char>(base[i]);
    size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    bool valid = len > 0 && i + len <= base.size();
    for (size_t k = 1; valid && k < len; ++k) {
      valid = (static_cast<unsigned char>(base[i + k]) & 0xC0) == 0x80;
    }
    if (!valid) {
      ++i;
      continue;
    }
    const bool control = len == 1 && (c < 0x20 || c == 0x7f || c == '"');
    if (!control) {
      if (out.size() + len > 120) break;
      out.append(base, i, len);
    }
    i += len;
  }
  while (!out.empty() && (out.front() == '.' || out.front() == ' ')) out.erase(0, 1);
  return out.empty() ? "video" : out;
}

bool AnnouncesTooLarge(const httplib::Request& req, int64_t max_bytes) {
  if (!req.has_header("Content-Length")) return false;
  const std::string value = req.get_header_value("Content-Length");
  char* end = nullptr;
  const long long length = std::strtoll(value.c_str(), &end, 10);
  const int64_t allowed = req.is_multipart_form_data() ? max_bytes + kMultipartSlack : max_bytes;
  return end != value.c_str() && length > allowed;
}

std::optional<HttpError> ReceiveUpload(const httplib::Request& req,
                                       const httplib::ContentReader& reader,
                                       const UploadParams& params, ReceivedUpload* out) {
  if (AnnouncesTooLarge(req, params.max_bytes)) return TooLarge(params.max_bytes);
  const auto name = RandomHex(12);
  if (!name.ok()) return HttpError{500, "internal", name.status().message()};
  const std::string path = params.dir + "/" + *name + ".part";
  UploadSink sink(path, params.max_bytes);
  if (!sink.Open()) return HttpError{500, "storage", "cannot store the upload"};

  StallGuard guard(params);
  bool read_ok = false;
  bool saw_file = false;
  if (req.is_multipart_form_data()) {
    std::string field;
    bool options_too_long = false;
    read_ok = reader(
        [&](const httplib::MultipartFormData& part) {
          field = part.name;
          if (field == "file") {
            if (saw_file) return false;  // one video per job
            saw_file = true;
            out->filename = CleanFileName(part.filename);
          }
          return true;
        },
        [&](const char* data, size_t n) {
          if (!guard.Received(n)) return false;
          if (field == "file") return sink.Write(data, n);
          if (field == "options") {
            out->options_text.append(data, n);
            if (out->options_text.size() > kMaxOptionsBytes) options_too_long = true;
            return !options_too_long;
          }
          return true;  // other fields are ignored
        });
    if (options_too_long) return HttpError{400, "bad_request", "the options field is too long"};
  } else {
    saw_file = true;
    out->filename = CleanFileName(req.get_param_value("filename"));
    read_ok = reader(
        [&](const char* data, size_t n) { return guard.Received(n) && sink.Write(data, n); });
  }
  if (sink.too_large()) return TooLarge(params.max_bytes);
  if (guard.stalled()) {
    return HttpError{408, "upload_too_slow",
                     "the upload sent less than " + std::to_string(params.stall_min_bytes / 1024) +
                         " KB in " + std::to_string(params.stall_ms / 1000) + " s; try again"};
  }
  if (sink.write_failed()) return HttpError{507, "storage", "the server's disk is full"};
  if (!read_ok) return HttpError{400, "bad_request", "the upload was cut off or malformed"};
  if (!sink.Close()) return HttpError{507, "storage", "the server's disk is full"};
  if (!saw_file) {
    return HttpError{400, "missing_file", "no `file` field in the multipart upload"};
  }
  if (sink.bytes() == 0) return HttpError{400, "empty_upload", "the uploaded file is empty"};
  sink.Keep();
  out->path = path;
  out->bytes = sink.bytes();
  return std::nullopt;
}

}  // namespace presgen

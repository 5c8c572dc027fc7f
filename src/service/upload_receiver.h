// Receives a video upload — multipart/form-data (field `file`, optional field
// `options`) or a raw body — streaming it to a file with a generated name,
// never holding it in memory. The size limit is checked from Content-Length
// before anything is read and again while streaming (chunked bodies).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <httplib.h>

#include "core/clock.h"
#include "service/http_error.h"

namespace presgen {

struct UploadParams {
  int64_t max_bytes = int64_t{2} << 30;  // of the video itself
  std::string dir;                       // where the file is written (exists)
  // A client that sends less than stall_min_bytes in any stall_ms is cut off (408), so a
  // body trickled a byte at a time does not hold a connection thread for hours. (A client
  // that sends nothing at all meets the server's read timeout first.)
  int64_t stall_ms = 30'000;
  int64_t stall_min_bytes = 16 * 1024;
  const Clock* clock = &SystemClock();
};

struct ReceivedUpload {
  std::string path;          // dir/<random>.part
  int64_t bytes = 0;
  std::string filename;      // the client's file name, cleaned, for display only
  std::string options_text;  // the `options` field; "" = none
};

// Errors: 413 too large, 408 too slow (UploadParams::stall_ms), 400 no file / empty body /
// a broken multipart body, 507 the disk is full.
// On error no file is left behind.
std::optional<HttpError> ReceiveUpload(const httplib::Request& req,
                                       const httplib::ContentReader& reader,
                                       const UploadParams& params, ReceivedUpload* out);

// Whether the request announces a body larger than the limit allows (413
// before reading; multipart framing gets 64 KiB of slack).
bool AnnouncesTooLarge(const httplib::Request& req, int64_t max_bytes);

// A display name from a client's file name: the last path part, printable
// characters only, at most 120 bytes; "video" when nothing is left.
std::string CleanFileName(const std::string& name);

// 16 random bytes as hex, for job ids and stored file names.
// Errors: kUnavailable when OpenSSL has no randomness to give.
Result<std::string> RandomHex(size_t bytes = 8);

}  // namespace presgen

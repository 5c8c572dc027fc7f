// Signed download links: an HMAC-SHA256 over the job id and an expiry time,
// so a link works without other credentials until it expires. The secret is
// 32 random bytes kept in the data folder (0600), made on first start.
#pragma once

#include <cstdint>
#include <string>

#include "core/status.h"

namespace presgen {

class LinkSigner {
 public:
  // Reads `path` or creates it with a new random secret.
  // Errors: kUnavailable when it can be neither read nor written.
  static Result<LinkSigner> LoadOrCreate(const std::string& path);
  explicit LinkSigner(std::string secret) : secret_(std::move(secret)) {}

  // Lowercase hex HMAC-SHA256 of "id\nexpires". Errors: kInternal when OpenSSL fails.
  Result<std::string> Sign(const std::string& id, int64_t expires) const;
  // Checks a link's signature (constant-time) and expiry against `now`.
  // Errors: kInvalidInput "expired" or "bad signature".
  Status Verify(const std::string& id, int64_t expires, const std::string& signature,
                int64_t now) const;

 private:
  std::string secret_;
};

}  // namespace presgen

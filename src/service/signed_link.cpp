#include "service/signed_link.h"

#include <fcntl.h>
#include <openssl/crypto.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

namespace presgen {
namespace {

constexpr size_t kSecretBytes = 32;

std::string ToHex(const unsigned char* data, size_t n) {
  static const char* kDigits = "0123456789abcdef";
  std::string out(2 * n, '0');
  for (size_t i = 0; i < n; ++i) {
    out[2 * i] = kDigits[data[i] >> 4];
    out[2 * i + 1] = kDigits[data[i] & 15];
  }
  return out;
}

}  // namespace

Result<LinkSigner> LinkSigner::LoadOrCreate(const std::string& path) {
  {
    std::ifstream in(path, std::ios::binary);
    if (in) {
      std::ostringstream text;
      text << in.rdbuf();
      if (text.str().size() == kSecretBytes) return LinkSigner(text.str());
    }
  }
  unsigned char bytes[kSecretBytes];
  if (RAND_bytes(bytes, sizeof(bytes)) != 1) {
    return Status::Unavailable("no random bytes for the link secret");
  }
  const std::string tmp = path + ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (fd < 0) return Status::Unavailable(path + ": cannot write the link secret");
  const bool written = ::write(fd, bytes, sizeof(bytes)) == static_cast<ssize_t>(sizeof(bytes)) &&
                       ::fsync(fd) == 0;
  ::close(fd);
  if (!written || ::rename(tmp.c_str(), path.c_str()) != 0) {
    ::unlink(tmp.c_str());
    return Status::Unavailable(path + ": cannot write the link secret");
  }
  return LinkSigner(std::string(reinterpret_cast<char*>(bytes), sizeof(bytes)));
}

Result<std::string> LinkSigner::Sign(const std::string& id, int64_t expires) const {
  const std::string message = id + "\n" + std::to_string(expires);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (HMAC(EVP_sha256(), secret_.data(), static_cast<int>(secret_.size()),
           reinterpret_cast<const unsigned char*>(message.data()), message.size(), mac,
           &size) == nullptr) {
    return Status::Internal("cannot sign a download link");
  }
  return ToHex(mac, size);
}

Status LinkSigner::Verify(const std::string& id, int64_t expires, const std::string& signature,
                          int64_t now) const {
  const auto expected = Sign(id, expires);
  if (!expected.ok()) return expected.status();
  // Compare the whole length whatever the input; only then look at the expiry, so
  // timing tells nothing about the signature.
  const bool same = signature.size() == expected->size() &&
                    CRYPTO_memcmp(signature.data(), expected->data(), expected->size()) == 0;
  if (!same) return Status::InvalidInput("bad signature");
  if (now > expires) return Status::InvalidInput("the link has expired");
  return Status::Ok();
}

}  // namespace presgen

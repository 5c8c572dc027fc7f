#include "service/storage_reserve.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <system_error>

namespace presgen {

bool StorageReserve::Replenish() {
  std::lock_guard lock(mu_);
  namespace fs = std::filesystem;
  std::error_code ec;
  if (fs::exists(path_, ec)) return true;
  const auto space = fs::space(fs::path(path_).parent_path(), ec);
  if (ec) return false;
  const int64_t size = std::min<int64_t>(bytes_, static_cast<int64_t>(space.available / 8));
  if (size < 4096) return false;
  const std::string partial = path_ + ".tmp";
  const int fd = ::open(partial.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return false;
  // Really allocated (a sparse file would give nothing back).
  const bool ok = ::posix_fallocate(fd, 0, size) == 0;
  ::close(fd);
  if (!ok || ::rename(partial.c_str(), path_.c_str()) != 0) {
    ::unlink(partial.c_str());
    return false;
  }
  return true;
}

bool StorageReserve::Release() {
  std::lock_guard lock(mu_);
  return ::unlink(path_.c_str()) == 0;
}

}  // namespace presgen

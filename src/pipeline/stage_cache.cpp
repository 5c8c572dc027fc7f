#include "pipeline/stage_cache.h"

#include <openssl/evp.h>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>

#include "core/json_io.h"

namespace fs = std::filesystem;

namespace presgen {
namespace {

struct EvpMdCtxDeleter {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};
using EvpMdCtxPtr = std::unique_ptr<EVP_MD_CTX, EvpMdCtxDeleter>;

std::string Hex(const unsigned char* bytes, unsigned int n) {
  static const char* kDigits = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < n; ++i) {
    out += kDigits[bytes[i] >> 4];
    out += kDigits[bytes[i] & 15];
  }
  return out;
}

// Feeds `read(buffer, capacity)` (returns bytes read, 0 at the end, -1 on error)
// through SHA-256.
template <typename ReadFn>
Result<std::string> Sha256(ReadFn read) {
  EvpMdCtxPtr ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1) {
    return Status::Internal("SHA-256 is not available");
  }
  std::vector<char> buffer(1 << 20);
  for (;;) {
    const long n = read(buffer.data(), buffer.size());
    if (n < 0) return Status::Internal("read error while hashing");
    if (n == 0) break;
    if (EVP_DigestUpdate(ctx.get(), buffer.data(), static_cast<size_t>(n)) != 1) {
      return Status::Internal("cannot hash the input");
    }
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (EVP_DigestFinal_ex(ctx.get(), digest, &size) != 1 || size == 0) {
    return Status::Internal("cannot hash the input");  // never an empty (shared) cache key
  }
  return Hex(digest, size);
}

}  // namespace

Result<std::string> Sha256OfFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound(path + ": cannot open file");
  auto digest = Sha256([&](char* buf, size_t cap) -> long {
    in.read(buf, static_cast<std::streamsize>(cap));
    if (in.bad()) return -1;
    return static_cast<long>(in.gcount());
  });
  if (!digest.ok()) return Status::Internal(path + ": " + digest.status().message());
  return digest;
}

std::string Sha256OfText(const std::string& text) {
  bool done = false;
  auto digest = Sha256([&](char* buf, size_t cap) -> long {
    if (done) return 0;
    done = true;
    const size_t n = std::min(cap, text.size());
    std::copy(text.begin(), text.begin() + static_cast<long>(n), buf);
    return static_cast<long>(n);
  });
  // Texts here are keys of a few hundred bytes, never over one block.
  return digest.ok() ? *digest : std::string();
}

std::string StageCache::DefaultDir() {
  if (const char* dir = std::getenv("PRESGEN_CACHE_DIR")) return dir;
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg)
    return std::string(xdg) + "/presgen";
  if (const char* home = std::getenv("HOME"); home && *home)
    return std::string(home) + "/.cache/presgen";
  return "";
}

StageCache::StageCache(std::string dir, std::string input_sha256)
    : dir_(std::move(dir)), input_sha256_(std::move(input_sha256)) {}

std::string StageCache::EntryPath(const std::string& stage, const std::string& params) const {
  return dir_ + "/" + input_sha256_ + "/" + stage + "-" + Sha256OfText(stage + "\n" + params) +
         ".json";
}

std::optional<nlohmann::json> StageCache::ReadEntry(const std::string& stage,
                                                    const std::string& params) const {
  if (!enabled()) return std::nullopt;
  const std::string path = EntryPath(stage, params);
  std::error_code ec;
  if (!fs::exists(path, ec)) return std::nullopt;
  auto j = ReadJsonFile(path);
  if (!j.ok()) return std::nullopt;
  return std::move(j).value();
}

void StageCache::WriteEntry(const std::string& stage, const std::string& params,
                            const nlohmann::json& entry) const {
  if (!enabled()) return;
  const std::string path = EntryPath(stage, params);
  std::error_code ec;
  fs::create_directories(fs::path(path).parent_path(), ec);
  if (Status st = WriteJsonFile(path, entry); !st.ok()) {
    spdlog::warn("stage cache: {}", st.message());
  }
}

std::optional<CachedSpeech> StageCache::LoadSpeech(const std::string& params) const {
  const auto j = ReadEntry("speech", params);
  if (!j) return std::nullopt;
  try {
    CachedSpeech out;
    out.transcript = j->at("transcript").get<Transcript>();
    out.engine = j->at("engine").get<std::string>();
    out.degraded = j->at("degraded").get<std::vector<Degradation>>();
    return out;
  } catch (const nlohmann::json::exception& e) {
    spdlog::warn("ignoring a damaged speech cache entry: {}", e.what());
    return std::nullopt;
  }
}

void StageCache::StoreSpeech(const std::string& params, const CachedSpeech& speech) const {
  WriteEntry("speech", params,
             {{"transcript", speech.transcript},
              {"engine", speech.engine},
              {"degraded", speech.degraded}});
}

std::optional<CachedFaceTrack> StageCache::LoadFaceTrack(const std::string& params) const {
  const auto j = ReadEntry("face", params);
  if (!j) return std::nullopt;
  try {
    CachedFaceTrack out;
    out.track = j->at("face_track").get<FaceTrack>();
    out.degraded = j->at("degraded").get<std::vector<Degradation>>();
    if (out.track.crop_path.empty()) return std::nullopt;
    return out;
  } catch (const nlohmann::json::exception& e) {
    spdlog::warn("ignoring a damaged face cache entry: {}", e.what());
    return std::nullopt;
  }
}

void StageCache::StoreFaceTrack(const std::string& params, const CachedFaceTrack& face) const {
  if (face.track.crop_path.empty()) return;
  WriteEntry("face", params, {{"face_track", face.track}, {"degraded", face.degraded}});
}

}  // namespace presgen

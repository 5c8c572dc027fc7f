// temp_storage: the folders a render writes to are writable and have room for a 3-minute
// job, and leftovers of crashed runs (temporary files whose process is gone, browser work
// folders) are found — and removed when asked.
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <regex>

#include "core/sys.h"
#include "pipeline/stage_cache.h"
#include "readiness/checks.h"

namespace fs = std::filesystem;

namespace presgen::readiness {
namespace {

constexpr int64_t kTempNeedMb = 256;  // $TMPDIR: the HTML renderer's work folder, helpers
constexpr auto kStaleBrowserFolderAge = std::chrono::hours(6);

std::string TempRoot() {
  const char* tmp = std::getenv("TMPDIR");
  return tmp != nullptr && *tmp != '\0' ? tmp : "/tmp";
}

// "" when `dir` takes a file; else why not.
std::string WriteProbe(const std::string& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (!fs::is_directory(dir, ec)) return dir + " is not a folder" + (ec ? " (" + ec.message() + ")" : "");
  const std::string probe = dir + "/.presgen-doctor-" + std::to_string(::getpid());
  {
    std::ofstream out(probe, std::ios::binary | std::ios::trunc);
    const std::string block(64 * 1024, 'p');
    out << block;
    out.flush();
    if (!out) {
      const std::string why = std::strerror(errno);
      fs::remove(probe, ec);
      return "cannot write in " + dir + " (" + why + ")";
    }
  }
  fs::remove(probe, ec);
  return "";
}

int64_t FreeMb(const std::string& dir) {
  const int64_t bytes = FreeBytes(dir);
  return bytes < 0 ? -1 : bytes >> 20;
}

bool ProcessGone(long pid) { return pid > 0 && ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH; }

// A temporary file of presgen's whose writer is gone: Mp4Writer's ".NAME.part<pid>.mp4",
// WriteFileAtomic's "NAME.tmp.<pid>".
bool StaleTempFile(const std::string& name) {
  static const std::regex part(R"(^\..+\.part([0-9]+)\.mp4$)");
  static const std::regex tmp(R"(^.+\.tmp\.([0-9]+)$)");
  std::smatch m;
  if (std::regex_match(name, m, part) || std::regex_match(name, m, tmp)) {
    return ProcessGone(std::stol(m[1].str()));
  }
  return false;
}

struct Leftovers {
  std::vector<fs::path> paths;
  uintmax_t bytes = 0;
};

void FindStaleFiles(const std::string& root, int depth, Leftovers* found) {
  std::error_code ec;
  if (depth < 0 || !fs::is_directory(root, ec)) return;
  for (const auto& entry : fs::directory_iterator(root, fs::directory_options::skip_permission_denied, ec)) {
    const std::string name = entry.path().filename().string();
    if (entry.is_symlink(ec)) continue;
    if (entry.is_directory(ec)) {
      FindStaleFiles(entry.path().string(), depth - 1, found);
    } else if (entry.is_regular_file(ec) && StaleTempFile(name)) {
      found->bytes += entry.file_size(ec);
      found->paths.push_back(entry.path());
    }
  }
}

// The HTML renderer's work folders ($TMPDIR/presgen-html-XXXXXX) left by a killed job.
void FindStaleBrowserFolders(const std::string& tmp, Leftovers* found) {
  std::error_code ec;
  const auto now = fs::file_time_type::clock::now();
  for (const auto& entry : fs::directory_iterator(tmp, fs::directory_options::skip_permission_denied, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("presgen-html-", 0) != 0 || !entry.is_directory(ec) || entry.is_symlink(ec)) continue;
    const auto written = fs::last_write_time(entry.path(), ec);
    if (ec || now - written < kStaleBrowserFolderAge) continue;
    for (const auto& f : fs::recursive_directory_iterator(entry.path(), ec)) {
      if (f.is_regular_file(ec)) found->bytes += f.file_size(ec);
    }
    found->paths.push_back(entry.path());
  }
}

}  // namespace

ScratchDir::ScratchDir() {
  std::string pattern = (fs::path(TempRoot()) / "presgen-doctor-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    error_ = "cannot create a folder in " + TempRoot() + " (" + std::strerror(errno) + ")";
    return;
  }
  path_ = pattern;
}

ScratchDir::~ScratchDir() {
  std::error_code ec;
  if (!path_.empty()) fs::remove_all(path_, ec);
}

ReadinessCheck CheckTempStorage(const ReadinessParams& params) {
  ReadinessCheck c;
  c.name = "temp_storage";
  struct Place {
    std::string dir;
    int64_t need_mb;
    const char* role;
  };
  std::vector<Place> places = {{TempRoot(), kTempNeedMb, "temporary files"}};
  if (!params.data_dir.empty()) places.push_back({params.data_dir, params.min_free_mb, "jobs"});
  std::string detail, problems;
  for (const Place& p : places) {
    if (std::string why = WriteProbe(p.dir); !why.empty()) {
      problems += (problems.empty() ? "" : "; ") + why;
      continue;
    }
    const int64_t free_mb = FreeMb(p.dir);
    if (free_mb >= 0 && free_mb < p.need_mb) {
      problems += (problems.empty() ? "" : "; ") + p.dir + " has " + std::to_string(free_mb) +
                  " MB free, a 3-minute 1080p job needs " + std::to_string(p.need_mb) + " MB";
      continue;
    }
    detail += (detail.empty() ? "" : ", ") + p.dir + " (" + p.role + ") writable, " +
              std::to_string(free_mb) + " MB free";
  }
  Leftovers stale;
  FindStaleBrowserFolders(TempRoot(), &stale);
  if (!params.data_dir.empty()) FindStaleFiles(params.data_dir, 3, &stale);
  FindStaleFiles(StageCache::DefaultDir(), 2, &stale);
  if (!stale.paths.empty()) {
    const std::string what = std::to_string(stale.paths.size()) + " leftover file(s) of crashed runs (" +
                             std::to_string(stale.bytes >> 20) + " MB)";
    if (params.remove_stale_files) {
      std::error_code ec;
      size_t removed = 0;
      for (const auto& p : stale.paths) removed += fs::remove_all(p, ec) > 0;
      detail += "; removed " + std::to_string(removed) + " of " + what;
    } else {
      detail += "; found " + what + " (presgen doctor removes them)";
    }
  } else {
    detail += "; no leftovers of crashed runs";
  }
  c.ok = problems.empty();
  c.detail = c.ok ? detail : problems;
  return c;
}

}  // namespace presgen::readiness

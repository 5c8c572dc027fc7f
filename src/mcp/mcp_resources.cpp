#include "mcp/mcp_resources.h"

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "core/json_io.h"
#include "core/transcript_format.h"

namespace fs = std::filesystem;

namespace presgen::mcp {
namespace {

using nlohmann::json;

constexpr const char* kPrefix = "presgen://jobs/";
constexpr int64_t kMaxInlineBytes = 32 << 20;  // a deck PDF is a few MB

struct Artifact {
  const char* name;       // after presgen://jobs/{id}/
  const char* file;       // in the job's work folder
  const char* mime;
  const char* description;
};

const Artifact kArtifacts[] = {
    {"deck.json", "deck.json", "application/json", "The slides: titles, bullets, start times"},
    {"transcript.json", "transcript.json", "application/json",
     "What was said: sentences and words with times and confidence"},
    {"transcript.srt", "transcript.json", "application/x-subrip", "Subtitles (SubRip)"},
    {"result.json", "result.json", "application/json",
     "The last run: timings, engines, what fell back"},
    {"deck.pdf", "deck.pdf", "application/pdf", "The slides as a PDF"},
};

std::string ReadBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string Base64(const std::string& bytes) {
  static const char* kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const uint32_t n = (uint8_t(bytes[i]) << 16) | (uint8_t(bytes[i + 1]) << 8) | uint8_t(bytes[i + 2]);
    for (int k = 18; k >= 0; k -= 6) out += kAlphabet[(n >> k) & 63];
  }
  if (i < bytes.size()) {
    uint32_t n = uint8_t(bytes[i]) << 16;
    if (i + 1 < bytes.size()) n |= uint8_t(bytes[i + 1]) << 8;
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += i + 1 < bytes.size() ? kAlphabet[(n >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

std::vector<std::string> SlideImages(const std::string& work) {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(work + "/slides", ec)) {
    const std::string n = e.path().filename().string();
    if (e.path().extension() == ".png") names.push_back(n);
  }
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace

json ResourceTemplates() {
  json list = json::array();
  for (const auto& a : kArtifacts) {
    list.push_back({{"uriTemplate", std::string(kPrefix) + "{job_id}/" + a.name},
                    {"name", a.name},
                    {"description", a.description},
                    {"mimeType", a.mime}});
  }
  list.push_back({{"uriTemplate", std::string(kPrefix) + "{job_id}/slides/{n}.png"},
                  {"name", "slide image"},
                  {"description", "Slide n (1, 2, …) as drawn in the video"},
                  {"mimeType", "image/png"}});
  return list;
}

json ListResources(JobManager& jobs, int max_jobs) {
  json list = json::array();
  auto rows = jobs.List(max_jobs);
  if (!rows.ok()) return list;
  std::error_code ec;
  for (const auto& job : *rows) {
    if (job.status == JobStatus::kExpired) continue;
    const std::string work = jobs.PathsOf(job.id).work;
    const std::string base = kPrefix + job.id + "/";
    for (const auto& a : kArtifacts) {
      if (!fs::exists(work + "/" + a.file, ec)) continue;
      list.push_back({{"uri", base + a.name},
                      {"name", job.filename + " " + a.name},
                      {"description", a.description},
                      {"mimeType", a.mime}});
    }
    for (const std::string& png : SlideImages(work)) {
      const int n = std::atoi(png.c_str());
      list.push_back({{"uri", base + "slides/" + std::to_string(n) + ".png"},
                      {"name", job.filename + " slide " + std::to_string(n)},
                      {"mimeType", "image/png"}});
    }
  }
  return list;
}

Result<json> ReadResource(JobManager& jobs, const std::string& uri) {
  static const std::regex kUri(R"(presgen://jobs/(j_[0-9a-f]{1,64})/([a-z._]+|slides/([0-9]{1,2})\.png))");
  std::smatch m;
  if (!std::regex_match(uri, m, kUri)) return Status::NotFound("no such resource: " + uri);
  const std::string id = m[1];
  auto job = jobs.Get(id);
  if (!job.ok() || job->status == JobStatus::kExpired) {
    return Status::NotFound("no such resource: " + uri + " (no job " + id + ")");
  }
  const std::string work = jobs.PathsOf(id).work;
  std::string path, mime;
  if (m[3].matched) {
    char name[16];
    std::snprintf(name, sizeof name, "%02d.png", std::atoi(m[3].str().c_str()));
    path = work + "/slides/" + name;
    mime = "image/png";
  } else {
    for (const auto& a : kArtifacts) {
      if (m[2] == a.name) {
        path = work + "/" + a.file;
        mime = a.mime;
      }
    }
  }
  std::error_code ec;
  if (path.empty() || !fs::is_regular_file(path, ec)) {
    return Status::NotFound("no such resource: " + uri + " (the job has not made it yet)");
  }
  if (static_cast<int64_t>(fs::file_size(path, ec)) > kMaxInlineBytes) {
    return Status::Unavailable(uri + " is too large to read here");
  }
  json item = {{"uri", uri}, {"mimeType", mime}};
  if (m[2] == "transcript.srt") {
    auto t = ReadJsonFile(path);
    if (!t.ok()) return t.status();
    item["text"] = ToSrt(t->get<Transcript>());
  } else if (mime == "application/json") {
    item["text"] = ReadBytes(path);
  } else {
    item["blob"] = Base64(ReadBytes(path));
  }
  return json::array({item});
}

}  // namespace presgen::mcp

// Routes for a job's files: transcript, slide images, the deck PDF and the
// video download (Range requests, signed links).
#include <filesystem>
#include <fstream>
#include <memory>

#include "service/http_api.h"

namespace fs = std::filesystem;

namespace presgen {
namespace {

std::string JobIdOf(const httplib::Request& req) { return req.matches[1].str(); }

// The job, or an error answer already written (404 unknown, 410 expired).
std::optional<JobRecord> LiveJob(JobManager& jobs, const httplib::Request& req,
                                 httplib::Response& res) {
  auto job = jobs.Get(JobIdOf(req));
  if (!job.ok()) {
    SendError(res, HttpErrorFromStatus(job.status()));
    return std::nullopt;
  }
  if (job->status == JobStatus::kExpired) {
    SendError(res, {410, "expired", "job " + job->id + " has expired; its files are removed"});
    return std::nullopt;
  }
  return std::move(job).value();
}

void NotReady(httplib::Response& res, const JobRecord& job, const std::string& what) {
  SendError(res, {409, "not_ready",
                  what + " does not exist yet (status " + ToString(job.status) + ")"});
}

// The download's name: the upload's stem, safe in a header, + "-presgen.mp4".
std::string DownloadName(const std::string& filename) {
  std::string stem = fs::path(filename).stem().string();
  std::string safe;
  for (char c : stem) {
    safe += (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_') ? c : '_';
  }
  if (safe.empty()) safe = "video";
  return safe + "-presgen.mp4";
}

}  // namespace

bool SendFile(httplib::Response& res, const std::string& path, const std::string& content_type) {
  std::error_code ec;
  const auto size = fs::file_size(path, ec);
  if (ec) return false;
  auto file = std::make_shared<std::ifstream>(path, std::ios::binary);
  if (!*file) return false;
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_content_provider(
      static_cast<size_t>(size), content_type,
      [file](size_t offset, size_t length, httplib::DataSink& sink) {
        char buffer[64 * 1024];
        file->clear();
        file->seekg(static_cast<std::streamoff>(offset));
        const size_t n = std::min(length, sizeof(buffer));
        file->read(buffer, static_cast<std::streamsize>(n));
        const auto got = file->gcount();
        if (got <= 0) return false;
        sink.write(buffer, static_cast<size_t>(got));
        return true;
      });
  return true;
}

void HttpApi::GetTranscript(const httplib::Request& req, httplib::Response& res) {
  auto job = LiveJob(jobs_, req, res);
  if (!job) return;
  const std::string format = req.has_param("format") ? req.get_param_value("format") : "json";
  const std::string base = jobs_.PathsOf(job->id).work + "/transcript.";
  std::string type;
  if (format == "json") type = "application/json";
  if (format == "srt") type = "application/x-subrip; charset=utf-8";
  if (format == "vtt") type = "text/vtt; charset=utf-8";
  if (type.empty()) {
    return SendError(res, {400, "bad_request", "format must be json, srt or vtt"});
  }
  if (!SendFile(res, base + format, type)) NotReady(res, *job, "the transcript");
}

void HttpApi::GetSlide(const httplib::Request& req, httplib::Response& res) {
  auto job = LiveJob(jobs_, req, res);
  if (!job) return;
  const int n = std::atoi(req.matches[2].str().c_str());
  if (n < 1 || n > job->slide_count) {
    return SendError(res, {404, "not_found",
                           "slide " + req.matches[2].str() + " does not exist (the deck has " +
                               std::to_string(job->slide_count) + ")"});
  }
  char name[16];
  std::snprintf(name, sizeof(name), "/%02d.png", n);
  res.set_header("Cache-Control", "no-cache");
  if (!SendFile(res, jobs_.PathsOf(job->id).work + "/slides" + name, "image/png")) {
    NotReady(res, *job, "slide " + std::to_string(n));
  }
}

void HttpApi::GetPdf(const httplib::Request& req, httplib::Response& res) {
  auto job = LiveJob(jobs_, req, res);
  if (!job) return;
  res.set_header("Content-Disposition", "inline; filename=\"deck.pdf\"");
  if (!SendFile(res, jobs_.PathsOf(job->id).work + "/deck.pdf", "application/pdf")) {
    NotReady(res, *job, "the deck PDF");
  }
}

void HttpApi::Download(const httplib::Request& req, httplib::Response& res) {
  auto job = LiveJob(jobs_, req, res);
  if (!job) return;
  if (!job->has_output) return NotReady(res, *job, "the video");
  res.set_header("Content-Disposition",
                 "attachment; filename=\"" + DownloadName(job->filename) + "\"");
  res.set_header("Cache-Control", "private, no-cache");
  if (!SendFile(res, jobs_.PathsOf(job->id).output, "video/mp4")) {
    NotReady(res, *job, "the video");
  }
}

}  // namespace presgen

// The HTTP face of `presgen serve` (docs/api.md): routes of the job API, the
// job's files, the operations endpoints and the web page, on a cpp-httplib
// server. All state lives in the JobManager.
#pragma once

#include <chrono>
#include <mutex>
#include <string>
#include <vector>

#include <httplib.h>

#include "readiness/readiness.h"
#include "service/job_manager.h"

namespace presgen {

class HttpApi {
 public:
  explicit HttpApi(JobManager& jobs) : jobs_(jobs) {}
  void Register(httplib::Server& server);

 private:
  // api_jobs.cpp
  void CreateJob(const httplib::Request& req, httplib::Response& res,
                 const httplib::ContentReader& reader);
  void GetJob(const httplib::Request& req, httplib::Response& res);
  void ListJobs(const httplib::Request& req, httplib::Response& res);
  void DeleteJob(const httplib::Request& req, httplib::Response& res);
  void StreamEvents(const httplib::Request& req, httplib::Response& res);
  void GetDeck(const httplib::Request& req, httplib::Response& res);
  void PutDeck(const httplib::Request& req, httplib::Response& res);
  void RenderJob(const httplib::Request& req, httplib::Response& res);
  // api_files.cpp
  void GetTranscript(const httplib::Request& req, httplib::Response& res);
  void GetSlide(const httplib::Request& req, httplib::Response& res);
  void GetPdf(const httplib::Request& req, httplib::Response& res);
  void Download(const httplib::Request& req, httplib::Response& res);
  // api_ops.cpp
  void Healthz(const httplib::Request& req, httplib::Response& res);
  void Readyz(const httplib::Request& req, httplib::Response& res);
  void Metrics(const httplib::Request& req, httplib::Response& res);
  void WebPage(const httplib::Request& req, httplib::Response& res);
  bool Authorized(const httplib::Request& req) const;

  JobManager& jobs_;
};

// Shared by the route files.
void SendError(httplib::Response& res, const HttpError& error);
void SendJson(httplib::Response& res, int status, const nlohmann::json& body);
// Streams a file (Range-capable); false when it does not exist.
bool SendFile(httplib::Response& res, const std::string& path, const std::string& content_type);

}  // namespace presgen

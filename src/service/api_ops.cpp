// Route table, authentication, and the operations endpoints: /healthz,
// /readyz, /metrics and the web page.
#include <openssl/crypto.h>

#include <filesystem>

#include "service/http_api.h"
#include "service/web_assets.h"

namespace presgen {
namespace {

using nlohmann::json;

constexpr size_t kMaxJsonBody = 1 << 20;  // a deck is a few KB

bool SameSecret(const std::string& given, const std::string& expected) {
  return given.size() == expected.size() &&
         CRYPTO_memcmp(given.data(), expected.data(), expected.size()) == 0;
}

std::string ProvidedKey(const httplib::Request& req) {
  const std::string auth = req.get_header_value("Authorization");
  if (auth.rfind("Bearer ", 0) == 0) return auth.substr(7);
  if (req.has_header("X-API-Key")) return req.get_header_value("X-API-Key");
  return req.get_param_value("api_key");
}

}  // namespace

bool HttpApi::Authorized(const httplib::Request& req) const {
  const std::string& key = jobs_.params().api_key;
  if (key.empty() || (req.path.rfind("/v1/", 0) != 0 && req.path != "/mcp")) return true;
  return SameSecret(ProvidedKey(req), key);
}

void HttpApi::Register(httplib::Server& server) {
  server.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    const bool signed_download = req.method == "GET" && req.has_param("sig") &&
                                 req.path.size() > 9 &&
                                 req.path.compare(req.path.size() - 9, 9, "/download") == 0;
    if (signed_download) {
      // "/v1/jobs/" ID "/download"
      const std::string id = req.path.size() > 18 ? req.path.substr(9, req.path.size() - 18) : "";
      if (Status st = jobs_.VerifyDownloadLink(id, req.get_param_value("expires"),
                                               req.get_param_value("sig"));
          !st.ok()) {
        SendError(res, {403, "forbidden", "download link: " + st.message()});
        return httplib::Server::HandlerResponse::Handled;
      }
      return httplib::Server::HandlerResponse::Unhandled;
    }
    if (!Authorized(req)) {
      res.set_header("WWW-Authenticate", "Bearer");
      SendError(res, {401, "unauthorized", "an API key is required (Authorization: Bearer KEY)"});
      return httplib::Server::HandlerResponse::Handled;
    }
    // Only the upload streams; any other body is read whole, so it must be small
    // and announce its length.
    const bool upload = req.method == "POST" && req.path == "/v1/jobs";
    if (!upload && req.has_header("Transfer-Encoding")) {
      res.set_header("Connection", "close");
      SendError(res, {411, "length_required", "send this request with a Content-Length"});
      return httplib::Server::HandlerResponse::Handled;
    }
    if (!upload && req.has_header("Content-Length") &&
        std::strtoull(req.get_header_value("Content-Length").c_str(), nullptr, 10) >
            kMaxJsonBody) {
      res.set_header("Connection", "close");
      SendError(res, {413, "payload_too_large", "the request body is larger than 1 MB"});
      return httplib::Server::HandlerResponse::Handled;
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });

  const std::string job = R"(/v1/jobs/(j_[0-9a-f]{16}))";
  using R = const httplib::Request&;
  using W = httplib::Response&;
  server.Post("/v1/jobs", [this](R req, W res, const httplib::ContentReader& reader) {
    CreateJob(req, res, reader);
  });
  server.Get("/v1/jobs", [this](R req, W res) { ListJobs(req, res); });
  server.Get(job, [this](R req, W res) { GetJob(req, res); });
  server.Delete(job, [this](R req, W res) { DeleteJob(req, res); });
  server.Get(job + "/events", [this](R req, W res) { StreamEvents(req, res); });
  server.Get(job + "/deck", [this](R req, W res) { GetDeck(req, res); });
  server.Put(job + "/deck", [this](R req, W res) { PutDeck(req, res); });
  // A content-reader route: a bodiless POST without Content-Length (curl -X POST)
  // is accepted; the body, if any, is not read.
  server.Post(job + "/render",
              [this](R req, W res, const httplib::ContentReader&) { RenderJob(req, res); });
  server.Get(job + "/transcript", [this](R req, W res) { GetTranscript(req, res); });
  server.Get(job + R"(/slides/(\d{1,3})\.png)", [this](R req, W res) { GetSlide(req, res); });
  server.Get(job + "/deck.pdf", [this](R req, W res) { GetPdf(req, res); });
  server.Get(job + "/download", [this](R req, W res) { Download(req, res); });
  server.Get("/healthz", [this](R req, W res) { Healthz(req, res); });
  server.Get("/readyz", [this](R req, W res) { Readyz(req, res); });
  server.Get("/metrics", [this](R req, W res) { Metrics(req, res); });
  server.Get(R"(/[A-Za-z0-9_.\-/]*)", [this](R req, W res) { WebPage(req, res); });
  server.set_error_handler([](R, W res) {
    if (!res.body.empty()) return;
    const char* code = res.status == 404 ? "not_found" : "error";
    SendError(res, {res.status, code, res.status == 404 ? "no such endpoint" : "request failed"});
  });
}

void HttpApi::Healthz(const httplib::Request&, httplib::Response& res) {
  SendJson(res, 200, {{"status", "ok"}});
}

void HttpApi::Readyz(const httplib::Request&, httplib::Response& res) {
  const auto checks = jobs_.CheckReadiness();
  SendJson(res, IsReady(checks) ? 200 : 503, ReadinessJson(checks));
}

void HttpApi::Metrics(const httplib::Request&, httplib::Response& res) {
  auto counts = jobs_.CountByStatus();
  res.set_content(jobs_.metrics().Render(counts.ok() ? *counts : std::map<JobStatus, int>{},
                                         jobs_.Waiting(), jobs_.Running()),
                  "text/plain; version=0.0.4");
}

void HttpApi::WebPage(const httplib::Request& req, httplib::Response& res) {
  const std::string path = req.path == "/" ? "/index.html" : req.path;
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_header("Content-Security-Policy",
                 "default-src 'self'; img-src 'self' blob: data:; media-src 'self' blob:");
  const std::string& dir = jobs_.params().web_dir;
  if (!dir.empty()) {
    if (path.find("..") == std::string::npos && SendFile(res, dir + path, ContentTypeFor(path))) {
      return;
    }
  } else if (const WebAsset* asset = FindWebAsset(path)) {
    res.set_content(reinterpret_cast<const char*>(asset->data), asset->size,
                    ContentTypeFor(path));
    return;
  }
  SendError(res, {404, "not_found", "no such page: " + req.path});
}

}  // namespace presgen

// Routes of the job API: create, read, list, delete, events, deck, render.
#include <chrono>
#include <spdlog/spdlog.h>

#include "service/http_api.h"

namespace presgen {
namespace {

using nlohmann::json;

constexpr auto kEventWait = std::chrono::seconds(15);

std::string JobIdOf(const httplib::Request& req) { return req.matches[1].str(); }

void WriteEvent(httplib::DataSink& sink, int64_t id, const std::string& type,
                const std::string& data) {
  const std::string text =
      "id: " + std::to_string(id) + "\nevent: " + type + "\ndata: " + data + "\n\n";
  sink.write(text.data(), text.size());
}

}  // namespace

void SendError(httplib::Response& res, const HttpError& error) {
  res.status = error.status;
  res.set_content(json{{"error", error.message}, {"code", error.code}}.dump(
                      -1, ' ', false, json::error_handler_t::replace),
                  "application/json");
}

void SendJson(httplib::Response& res, int status, const json& body) {
  res.status = status;
  res.set_content(body.dump(-1, ' ', false, json::error_handler_t::replace), "application/json");
}

void HttpApi::CreateJob(const httplib::Request& req, httplib::Response& res,
                        const httplib::ContentReader& reader) {
  const auto reject = [&](const HttpError& e) {
    jobs_.metrics().CountRejectedUpload(e.status);
    SendError(res, e);
  };
  const int64_t max_bytes = jobs_.params().max_upload_bytes;
  if (AnnouncesTooLarge(req, max_bytes)) {
    // Answer before reading the body; the connection cannot be reused after that.
    res.set_header("Connection", "close");
    return reject({413, "payload_too_large",
                   "the upload is larger than the limit of " +
                       std::to_string(max_bytes / (1024 * 1024)) + " MB"});
  }
  if (jobs_.QueueFull()) {
    res.set_header("Retry-After", "30");
    res.set_header("Connection", "close");
    return reject({429, "queue_full", "the render queue is full; try again later"});
  }
  const std::string key = req.get_header_value("Idempotency-Key");
  if (key.size() > 200) return reject({400, "bad_request", "Idempotency-Key is too long"});
  if (!key.empty() && !jobs_.BeginKey(key)) {
    res.set_header("Connection", "close");
    return reject({409, "idempotency_in_flight",
                   "a request with Idempotency-Key \"" + key + "\" is still being received"});
  }
  struct KeyRelease {
    JobManager& jobs;
    const std::string& key;
    ~KeyRelease() {
      if (!key.empty()) jobs.EndKey(key);
    }
  } release{jobs_, key};

  ReceivedUpload upload;
  if (!req.is_multipart_form_data()) upload.options_text = req.get_param_value("options");
  UploadParams up;
  up.max_bytes = max_bytes;
  up.dir = jobs_.UploadDir();
  up.stall_ms = jobs_.params().upload_stall_s * 1000;
  if (auto error = ReceiveUpload(req, reader, up, &upload)) {
    if (error->status == 413 || error->status == 408) res.set_header("Connection", "close");
    return reject(*error);
  }
  auto created = jobs_.Create(upload, key);
  if (!created.ok()) return reject(HttpErrorFromStatus(created.status()));
  const auto& done = *created;
  if (done.replayed) res.set_header("Idempotent-Replayed", "true");
  res.set_header("Location", "/v1/jobs/" + done.job.id);
  SendJson(res, 202, jobs_.ToJson(done.job));
}

void HttpApi::GetJob(const httplib::Request& req, httplib::Response& res) {
  auto job = jobs_.Get(JobIdOf(req));
  if (!job.ok()) return SendError(res, HttpErrorFromStatus(job.status()));
  SendJson(res, 200, jobs_.ToJson(*job));
}

void HttpApi::ListJobs(const httplib::Request& req, httplib::Response& res) {
  int limit = 100;
  if (req.has_param("limit")) limit = std::clamp(std::atoi(req.get_param_value("limit").c_str()), 1, 1000);
  auto rows = jobs_.List(limit);
  if (!rows.ok()) return SendError(res, HttpErrorFromStatus(rows.status()));
  json list = json::array();
  for (const auto& job : *rows) list.push_back(jobs_.ToJson(job));
  SendJson(res, 200, {{"jobs", list}});
}

void HttpApi::DeleteJob(const httplib::Request& req, httplib::Response& res) {
  if (Status st = jobs_.Delete(JobIdOf(req)); !st.ok()) {
    return SendError(res, HttpErrorFromStatus(st));
  }
  res.status = 204;
}

void HttpApi::StreamEvents(const httplib::Request& req, httplib::Response& res) {
  const std::string id = JobIdOf(req);
  auto job = jobs_.Get(id);
  if (!job.ok()) return SendError(res, HttpErrorFromStatus(job.status()));
  struct StreamState {
    int64_t last = -1;
    bool started = false;
  };
  auto state = std::make_shared<StreamState>();
  if (req.has_header("Last-Event-ID")) {
    state->last = std::atoll(req.get_header_value("Last-Event-ID").c_str());
  }
  res.set_header("Cache-Control", "no-cache");
  res.set_header("X-Accel-Buffering", "no");
  res.set_chunked_content_provider(
      "text/event-stream", [this, id, state](size_t, httplib::DataSink& sink) {
        // The job as it is now, when the reader has missed something we no longer
        // hold. Returns false when the stream is over (nothing may follow done()).
        auto snapshot = [&]() -> bool {
          auto row = jobs_.Get(id);
          if (!row.ok()) {
            sink.done();
            return false;
          }
          if (row->event_seq > state->last) {
            WriteEvent(sink, row->event_seq, "status",
                       jobs_.ToJson(*row).dump(-1, ' ', false, json::error_handler_t::replace));
            state->last = row->event_seq;
          }
          if (IsFinal(row->status)) {
            sink.done();
            return false;
          }
          return true;
        };
        // A new reader starts from a snapshot; a resuming one from what it missed.
        const bool first = !state->started;
        state->started = true;
        if (first && state->last < 0) {
          snapshot();
          return true;
        }
        auto batch = jobs_.events().WaitAfter(id, state->last,
                                              first ? std::chrono::seconds(0) : kEventWait);
        if (!sink.is_writable()) return false;
        if (jobs_.stopping()) {
          sink.done();  // the client reconnects to the next instance with Last-Event-ID
          return true;
        }
        if (batch.events.empty() || batch.gap) {
          const int64_t before = state->last;
          if (snapshot() && state->last == before) {
            const char* ping = ": ping\n\n";
            sink.write(ping, 8);
          }
          return true;
        }
        for (const auto& e : batch.events) {
          WriteEvent(sink, e.id, e.type, e.data);
          state->last = e.id;
          if (e.final) {
            sink.done();
            break;
          }
        }
        return true;
      });
}

void HttpApi::GetDeck(const httplib::Request& req, httplib::Response& res) {
  const std::string id = JobIdOf(req);
  auto job = jobs_.Get(id);
  if (!job.ok()) return SendError(res, HttpErrorFromStatus(job.status()));
  if (job->status == JobStatus::kExpired) {
    return SendError(res, {410, "expired", "job " + id + " has expired; its files are removed"});
  }
  if (job->deck_version == 0 ||
      !SendFile(res, jobs_.PathsOf(id).work + "/deck.json", "application/json")) {
    SendError(res, {409, "not_ready", "the job has no deck yet (status " +
                                          std::string(ToString(job->status)) + ")"});
  }
}

void HttpApi::PutDeck(const httplib::Request& req, httplib::Response& res) {
  auto put = jobs_.PutDeck(JobIdOf(req), req.body);
  if (!put.ok()) return SendError(res, HttpErrorFromStatus(put.status()));
  SendJson(res, 200, jobs_.ToJson(*put));
}

void HttpApi::RenderJob(const httplib::Request& req, httplib::Response& res) {
  auto rendered = jobs_.Render(JobIdOf(req));
  if (!rendered.ok()) {
    const HttpError error = HttpErrorFromStatus(rendered.status());
    if (error.status == 429) res.set_header("Retry-After", "30");
    return SendError(res, error);
  }
  const auto& job = *rendered;
  res.set_header("Location", "/v1/jobs/" + job.id);
  SendJson(res, 202, jobs_.ToJson(job));
}

}  // namespace presgen

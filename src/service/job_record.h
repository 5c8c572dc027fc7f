// One job of `presgen serve`: its row in the job store and its JSON for the API.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace presgen {

// queued -> running -> (review ->) rendering/succeeded | failed; expired after the TTL.
// A job in review or succeeded can be edited and sent to `rendering` again.
enum class JobStatus { kQueued, kRunning, kReview, kRendering, kSucceeded, kFailed, kExpired };

const char* ToString(JobStatus status);
std::optional<JobStatus> ParseJobStatus(const std::string& text);
// Terminal for the current run: nothing is working on the job.
bool IsIdle(JobStatus status);
// succeeded, failed or expired: an event stream of the job ends there.
bool IsFinal(JobStatus status);

// What the worker does with a job it picks up.
enum class JobTask { kNone, kAnalyse, kRender };
const char* ToString(JobTask task);
JobTask ParseJobTask(const std::string& text);

struct JobRecord {
  std::string id;
  JobStatus status = JobStatus::kQueued;
  JobTask task = JobTask::kNone;   // queued work: analyse (the first run) or render a deck
  std::string stage;               // the running stage, "" when idle
  double progress = 0;             // of the current run, 0..1
  bool review = false;
  std::string filename;            // the client's file name, for display and downloads only
  std::string options_json = "{}"; // the accepted options (service/job_options.h)
  double duration_s = 0;           // of the input video
  int64_t created_at = 0;          // unix seconds
  int64_t updated_at = 0;
  int64_t expires_at = 0;
  int deck_version = 0;            // +1 for each new deck (made or edited)
  int slide_count = 0;
  bool has_output = false;         // the MP4 exists
  std::string error;               // the failure's one line; "" = none
  std::string result_json;         // the last run's result.json; "" = none
  std::string idempotency_key;     // "" = none
  std::string body_sha256;         // upload + options, to compare replays
  int attempts = 0;                // runs started for the queued (or the last) task
  int64_t event_seq = 0;           // id of the last event published for this job
};

}  // namespace presgen

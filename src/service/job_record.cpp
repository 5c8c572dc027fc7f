#include "service/job_record.h"

#include <array>
#include <utility>

namespace presgen {
namespace {

constexpr std::array<std::pair<JobStatus, const char*>, 7> kStatusNames = {{
    {JobStatus::kQueued, "queued"},
    {JobStatus::kRunning, "running"},
    {JobStatus::kReview, "review"},
    {JobStatus::kRendering, "rendering"},
    {JobStatus::kSucceeded, "succeeded"},
    {JobStatus::kFailed, "failed"},
    {JobStatus::kExpired, "expired"},
}};

}  // namespace

const char* ToString(JobStatus status) {
  for (const auto& [s, name] : kStatusNames)
    if (s == status) return name;
  return "unknown";
}

std::optional<JobStatus> ParseJobStatus(const std::string& text) {
  for (const auto& [s, name] : kStatusNames)
    if (text == name) return s;
  return std::nullopt;
}

bool IsIdle(JobStatus status) {
  return status == JobStatus::kReview || status == JobStatus::kSucceeded ||
         status == JobStatus::kFailed || status == JobStatus::kExpired;
}

bool IsFinal(JobStatus status) {
  return status == JobStatus::kSucceeded || status == JobStatus::kFailed ||
         status == JobStatus::kExpired;
}

const char* ToString(JobTask task) {
  switch (task) {
    case JobTask::kAnalyse: return "analyse";
    case JobTask::kRender: return "render";
    case JobTask::kNone: break;
  }
  return "";
}

JobTask ParseJobTask(const std::string& text) {
  if (text == "analyse") return JobTask::kAnalyse;
  if (text == "render") return JobTask::kRender;
  return JobTask::kNone;
}

}  // namespace presgen

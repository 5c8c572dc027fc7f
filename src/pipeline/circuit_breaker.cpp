#include "pipeline/circuit_breaker.h"

#include <cmath>

#include "core/log.h"

namespace presgen {

const char* ToString(BreakerState state) {
  switch (state) {
    case BreakerState::kClosed: return "closed";
    case BreakerState::kOpen: return "open";
    case BreakerState::kHalfOpen: return "half_open";
  }
  return "closed";
}

CircuitBreaker::CircuitBreaker(std::string name, BreakerParams params, const Clock& clock)
    : name_(std::move(name)), params_(params), clock_(clock) {}

void CircuitBreaker::OnTransition(TransitionFn fn) {
  std::lock_guard lock(mu_);
  on_transition_ = std::move(fn);
}

void CircuitBreaker::SetStateLocked(BreakerState next, std::vector<std::function<void()>>* notify) {
  if (next == state_) return;
  const BreakerState before = state_;
  state_ = next;
  if (on_transition_) {
    notify->push_back([fn = on_transition_, name = name_, before, next] { fn(name, before, next); });
  }
}

CircuitBreaker::Permit CircuitBreaker::Allow() {
  std::vector<std::function<void()>> notify;
  Permit permit;
  {
    std::lock_guard lock(mu_);
    const int64_t now = clock_.NowMs();
    if (state_ == BreakerState::kOpen && now - opened_at_ms_ >= params_.cooldown_ms) {
      SetStateLocked(BreakerState::kHalfOpen, &notify);
      probe_out_ = false;
    }
    if (state_ == BreakerState::kHalfOpen && probe_out_ &&
        now - probe_at_ms_ >= params_.cooldown_ms) {
      probe_out_ = false;  // that probe never reported (its job died first)
    }
    if (state_ == BreakerState::kClosed) {
      permit.allowed = true;
    } else if (state_ == BreakerState::kHalfOpen && !probe_out_) {
      permit.allowed = true;
      permit.probe = true;
      probe_out_ = true;
      probe_at_ms_ = now;
    } else {
      permit.allowed = false;
      const int64_t wait_ms =
          state_ == BreakerState::kOpen ? opened_at_ms_ + params_.cooldown_ms - now
                                        : probe_at_ms_ + params_.cooldown_ms - now;
      const int64_t wait_s = std::max<int64_t>(1, (wait_ms + 999) / 1000);
      permit.reason = state_ == BreakerState::kOpen
                          ? "circuit open after " + std::to_string(failures_) +
                                " failures; next try in " + std::to_string(wait_s) + " s"
                          : "circuit half-open: another job is probing; next try in " +
                                std::to_string(wait_s) + " s";
    }
  }
  for (auto& n : notify) n();
  return permit;
}

void CircuitBreaker::RecordSuccess() {
  std::vector<std::function<void()>> notify;
  {
    std::lock_guard lock(mu_);
    failures_ = 0;
    probe_out_ = false;
    SetStateLocked(BreakerState::kClosed, &notify);
  }
  for (auto& n : notify) n();
}

void CircuitBreaker::RecordFailure() {
  std::vector<std::function<void()>> notify;
  {
    std::lock_guard lock(mu_);
    ++failures_;
    probe_out_ = false;
    if (state_ == BreakerState::kHalfOpen || failures_ >= params_.failure_threshold) {
      opened_at_ms_ = clock_.NowMs();
      SetStateLocked(BreakerState::kOpen, &notify);
    }
  }
  for (auto& n : notify) n();
}

BreakerState CircuitBreaker::state() const {
  std::lock_guard lock(mu_);
  return state_;
}

int CircuitBreaker::consecutive_failures() const {
  std::lock_guard lock(mu_);
  return failures_;
}

BreakerSet::BreakerSet(int64_t cooldown_ms, const Clock& clock) {
  const std::pair<const char*, int> stages[] = {
      {kBreakerAudioExtraction, 3}, {kBreakerFaceDetection, 3}, {kBreakerTranscription, 2},
      {kBreakerSlideGeneration, 2}, {kBreakerSummarization, 2}};
  for (const auto& [name, threshold] : stages) {
    breakers_[name] = std::make_unique<CircuitBreaker>(
        name, BreakerParams{threshold, cooldown_ms}, clock);
  }
}

namespace {
int64_t g_cooldown_ms = 60000;
}

void BreakerSet::Configure(int64_t cooldown_ms) { g_cooldown_ms = cooldown_ms; }

BreakerSet& BreakerSet::Process() {
  static BreakerSet& set = [] () -> BreakerSet& {
    static BreakerSet s(g_cooldown_ms, SystemClock());
    s.OnTransition([](const std::string& name, BreakerState from, BreakerState to) {
      LogEvent(spdlog::level::warn, "circuit_state",
               "breaker " + name + " " + ToString(from) + " -> " + ToString(to),
               {{"breaker", name}, {"from", ToString(from)}, {"to", ToString(to)}});
    });
    return s;
  }();
  return set;
}

CircuitBreaker* BreakerSet::Find(const std::string& name) {
  auto it = breakers_.find(name);
  return it == breakers_.end() ? nullptr : it->second.get();
}

std::vector<CircuitBreaker*> BreakerSet::All() {
  std::vector<CircuitBreaker*> all;
  for (auto& [name, b] : breakers_) all.push_back(b.get());
  return all;
}

void BreakerSet::OnTransition(const CircuitBreaker::TransitionFn& fn) {
  for (auto& [name, b] : breakers_) b->OnTransition(fn);
}

std::map<std::string, std::string> BreakerSet::Refusals(const std::vector<std::string>& wanted) {
  std::map<std::string, std::string> refused;
  for (const std::string& name : wanted) {
    CircuitBreaker* b = Find(name);
    if (!b) continue;
    CircuitBreaker::Permit permit = b->Allow();
    if (!permit.allowed) refused[name] = permit.reason;
  }
  return refused;
}

void BreakerSet::Record(const std::map<std::string, bool>& outcomes) {
  for (const auto& [name, ok] : outcomes) {
    CircuitBreaker* b = Find(name);
    if (!b) continue;
    if (ok) {
      b->RecordSuccess();
    } else {
      b->RecordFailure();
    }
  }
}

std::vector<std::string> BreakersCalledBy(const RenderOptions& opt) {
  std::vector<std::string> names = {kBreakerAudioExtraction, kBreakerFaceDetection};
  if (opt.asr != "pocketsphinx") names.push_back(kBreakerTranscription);
  if (opt.slides_renderer == "html") names.push_back(kBreakerSlideGeneration);
  if (opt.summarizer == "llm") names.push_back(kBreakerSummarization);
  return names;
}

void ApplyOpenBreakers(BreakerSet& breakers, RenderOptions* options) {
  options->open_breakers = breakers.Refusals(BreakersCalledBy(*options));
}

std::map<std::string, bool> EngineOutcomesOf(const nlohmann::json& result) {
  std::map<std::string, bool> out;
  if (!result.is_object() || !result.contains("engine_outcomes") ||
      !result["engine_outcomes"].is_object()) {
    return out;
  }
  for (const auto& [name, v] : result["engine_outcomes"].items()) {
    if (v.is_string()) out[name] = v.get<std::string>() == "worked";
  }
  return out;
}

}  // namespace presgen

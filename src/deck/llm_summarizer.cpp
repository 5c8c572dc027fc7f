#include "deck/llm_summarizer.h"

#include <httplib.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <future>
#include <nlohmann/json.hpp>
#include <optional>

#include "deck/deck_repair.h"
#include "deck/llm_prompt.h"

namespace presgen {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

constexpr size_t kMaxAnswerBytes = size_t{8} << 20;
constexpr auto kPollInterval = std::chrono::milliseconds(20);
constexpr size_t kMaxQuotedChars = 160;

// "$0.0612", "$0.05": four decimals, trailing zeros dropped down to two.
std::string Usd(double usd) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4f", usd);
  std::string s = buf;
  while (s.size() > 1 && s.back() == '0' && s.size() - s.find('.') > 3) s.pop_back();
  return "$" + s;
}

// One line, at most kMaxQuotedChars bytes (cut on a UTF-8 boundary).
std::string OneLine(const std::string& text) {
  std::string out;
  for (char c : text) {
    const bool space = std::isspace(static_cast<unsigned char>(c));
    if (space && (out.empty() || out.back() == ' ')) continue;
    out += space ? ' ' : c;
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  if (out.size() > kMaxQuotedChars) {
    size_t n = kMaxQuotedChars;
    while (n > 0 && (static_cast<unsigned char>(out[n]) & 0xC0) == 0x80) --n;
    out = out.substr(0, n) + "...";
  }
  return out;
}

struct Endpoint {
  std::string origin;  // scheme://host[:port]: what error messages show
  std::string target;  // path (+ query) to POST to
};

Result<Endpoint> ParseEndpoint(const std::string& url) {
  const size_t sep = url.find("://");
  std::string scheme = sep == std::string::npos ? "" : url.substr(0, sep);
  std::transform(scheme.begin(), scheme.end(), scheme.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (scheme != "http" && scheme != "https") {
    return Status::InvalidInput("LLM URL must start with http:// or https://: " + OneLine(url));
  }
  const size_t host_begin = sep + 3;
  const size_t path_begin = std::min(url.find_first_of("/?#", host_begin), url.size());
  const std::string authority = url.substr(host_begin, path_begin - host_begin);
  if (authority.empty()) return Status::InvalidInput("LLM URL has no host: " + OneLine(url));
  if (authority.find('@') != std::string::npos) {
    return Status::InvalidInput(
        "LLM URL must not carry a user or password; put the key in PRESGEN_LLM_API_KEY");
  }
  std::string rest = url.substr(path_begin);
  rest = rest.substr(0, rest.find('#'));
  const size_t query_begin = std::min(rest.find('?'), rest.size());
  std::string path = rest.substr(0, query_begin);
  while (!path.empty() && path.back() == '/') path.pop_back();
  static const std::string kSuffix = "/chat/completions";
  if (path.size() < kSuffix.size() ||
      path.compare(path.size() - kSuffix.size(), kSuffix.size(), kSuffix) != 0) {
    path += kSuffix;
  }
  return Endpoint{scheme + "://" + authority, path + rest.substr(query_begin)};
}

struct HttpReply {
  int status = 0;
  std::string body;
};

// POSTs body, enforcing timeout_ms over the whole exchange and polling
// should_abort: the request runs on a helper thread while this one watches the
// clock, and ClientImpl::stop() (thread-safe) shuts the socket to end it early.
Result<HttpReply> PostJson(const Endpoint& endpoint, const std::string& body,
                           const LlmParams& llm) {
  httplib::Client client(endpoint.origin);
  if (!client.is_valid()) return Status::InvalidInput("LLM URL is not usable: " + endpoint.origin);
  const auto timeout = std::chrono::milliseconds(std::max(1, llm.timeout_ms));
  client.set_connection_timeout(timeout);
  client.set_read_timeout(timeout);
  client.set_write_timeout(timeout);
  client.set_follow_location(false);

  httplib::Request request;
  request.method = "POST";
  request.path = endpoint.target;
  request.headers = {{"Content-Type", "application/json"}, {"Accept", "application/json"}};
  if (!llm.api_key.empty()) request.headers.emplace("Authorization", "Bearer " + llm.api_key);
  request.body = body;
  HttpReply reply;
  bool too_large = false;
  request.content_receiver = [&](const char* data, size_t size, uint64_t, uint64_t) {
    too_large = reply.body.size() + size > kMaxAnswerBytes;
    if (!too_large) reply.body.append(data, size);
    return !too_large;
  };

  enum class Stop { kNo, kDeadline, kAbort };
  Stop stop = Stop::kNo;
  const auto start = Clock::now();
  auto pending = std::async(std::launch::async, [&] { return client.send(request); });
  while (pending.wait_for(kPollInterval) != std::future_status::ready) {
    if (stop == Stop::kNo && llm.should_abort && llm.should_abort()) stop = Stop::kAbort;
    if (stop == Stop::kNo && Clock::now() - start >= timeout) stop = Stop::kDeadline;
    // Repeated: a stop() before the socket is connected has nothing to shut yet.
    if (stop != Stop::kNo) client.stop();
  }
  const httplib::Result result = pending.get();
  const auto error = result.error();
  const bool slow = Clock::now() - start >= timeout;

  if (stop == Stop::kAbort) return Status::Cancelled("LLM request cancelled");
  if (stop == Stop::kDeadline || error == httplib::Error::ConnectionTimeout ||
      (slow && (error == httplib::Error::Read || error == httplib::Error::Write))) {
    return Status::Timeout("LLM server " + endpoint.origin + " did not answer within " +
                           std::to_string(timeout.count()) + " ms");
  }
  if (too_large) {
    return Status::Unavailable("LLM server " + endpoint.origin + " sent an answer over " +
                               std::to_string(kMaxAnswerBytes >> 20) + " MB");
  }
  if (error == httplib::Error::Connection) {
    return Status::Unavailable("cannot connect to LLM server " + endpoint.origin +
                               " (connection refused or host unreachable)");
  }
  if (error != httplib::Error::Success || !result) {
    return Status::Unavailable("LLM request to " + endpoint.origin +
                               " failed: " + httplib::to_string(error));
  }
  reply.status = result->status;
  return reply;
}

// The server's own explanation, from an OpenAI error body or the raw text.
std::string ServerMessage(const std::string& body) {
  const json j = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (j.is_object()) {
    const auto err = j.find("error");
    if (err != j.end() && err->is_object()) {
      const auto msg = err->find("message");
      if (msg != err->end() && msg->is_string()) return OneLine(msg->get<std::string>());
    }
    if (err != j.end() && err->is_string()) return OneLine(err->get<std::string>());
  }
  return OneLine(body);
}

Status HttpFailure(int status, const std::string& body, const std::string& origin) {
  const std::string said = ServerMessage(body);
  const std::string detail = said.empty() ? "" : ": " + said;
  const std::string code = "HTTP " + std::to_string(status);
  if (status == 429) {
    return Status::Unavailable("LLM server " + origin + " is rate-limiting or out of quota (" +
                               code + ")" + detail);
  }
  if (status >= 500)
    return Status::Unavailable("LLM server " + origin + " failed (" + code + ")" + detail);
  if (status == 401 || status == 403) {
    return Status::InvalidInput("LLM server " + origin + " refused the API key (" + code +
                                "; check PRESGEN_LLM_API_KEY)" + detail);
  }
  if (status >= 400) {
    return Status::InvalidInput("LLM server " + origin + " rejected the request (" + code + ")" +
                                detail);
  }
  return Status::Unavailable("unexpected " + code + " from LLM server " + origin);
}

struct ChatAnswer {
  std::string content;
  std::string finish_reason;
  std::string model;
  std::optional<int> prompt_tokens;
  std::optional<int> completion_tokens;
};

std::optional<int> TokenCount(const json& usage, const char* name) {
  const auto it = usage.find(name);
  if (it == usage.end() || !it->is_number() || it->get<double>() < 0) return std::nullopt;
  return static_cast<int>(std::min(it->get<double>(), 1e9));
}

Result<ChatAnswer> ParseChatReply(const std::string& body) {
  const json j = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return Status::Internal("LLM answer: the server's reply is not JSON");
  ChatAnswer answer;
  try {
    if (const auto model = j.find("model"); model != j.end() && model->is_string()) {
      answer.model = model->get<std::string>();
    }
    if (const auto usage = j.find("usage"); usage != j.end() && usage->is_object()) {
      answer.prompt_tokens = TokenCount(*usage, "prompt_tokens");
      answer.completion_tokens = TokenCount(*usage, "completion_tokens");
    }
    const auto choices = j.find("choices");
    if (choices == j.end() || !choices->is_array() || choices->empty() ||
        !(*choices)[0].is_object()) {
      return Status::Internal("LLM answer: the reply has no choices");
    }
    const json& choice = (*choices)[0];
    if (const auto reason = choice.find("finish_reason");
        reason != choice.end() && reason->is_string()) {
      answer.finish_reason = reason->get<std::string>();
    }
    const auto message = choice.find("message");
    if (message == choice.end() || !message->is_object()) {
      return Status::Internal("LLM answer: the first choice has no message");
    }
    if (const auto refusal = message->find("refusal");
        refusal != message->end() && refusal->is_string() && !refusal->empty()) {
      return Status::Internal("LLM answer: the model refused: " +
                              OneLine(refusal->get<std::string>()));
    }
    const auto content = message->find("content");
    if (content == message->end() || !content->is_string()) {
      return Status::Internal("LLM answer: the message has no text content");
    }
    answer.content = content->get<std::string>();
  } catch (const json::exception& e) {  // the parse boundary: no exception leaves it
    return Status::Internal(std::string("LLM answer: unexpected reply shape: ") + e.what());
  }
  return answer;
}

double CostUsd(int prompt_tokens, int completion_tokens, const LlmParams& llm) {
  return (prompt_tokens * llm.price_in_per_mtok_usd +
          completion_tokens * llm.price_out_per_mtok_usd) /
         1e6;
}

bool HasSpeech(const Transcript& t) {
  return std::any_of(t.segments.begin(), t.segments.end(), [](const Segment& s) {
    return s.text.find_first_not_of(" \t\r\n") != std::string::npos;
  });
}

}  // namespace

LlmCostEstimate EstimateLlmCost(const Transcript& transcript, double duration_s,
                                const SummarizerParams& params, const LlmParams& llm) {
  const json request =
      BuildLlmDeckRequest(transcript, duration_s, params, llm.model, llm.max_output_tokens);
  LlmCostEstimate e;
  e.prompt_tokens = EstimatePromptTokens(request);
  e.completion_tokens = std::max(0, llm.max_output_tokens);
  e.cost_usd = CostUsd(e.prompt_tokens, e.completion_tokens, llm);
  return e;
}

Result<LlmDeckResult> SummarizeWithLlm(const Transcript& transcript, double duration_s,
                                       const SummarizerParams& params, const LlmParams& llm) {
  if (!HasSpeech(transcript)) {
    return Status::InvalidInput("transcript has no sentences to summarise");
  }
  if (llm.base_url.empty()) return Status::InvalidInput("LLM URL is empty (--llm-url)");
  if (llm.model.empty()) return Status::InvalidInput("LLM model name is empty (--llm-model)");
  auto endpoint = ParseEndpoint(llm.base_url);
  if (!endpoint.ok()) return endpoint.status();

  const json request =
      BuildLlmDeckRequest(transcript, duration_s, params, llm.model, llm.max_output_tokens);
  const int estimated_prompt_tokens = EstimatePromptTokens(request);
  const double estimate_usd =
      CostUsd(estimated_prompt_tokens, std::max(0, llm.max_output_tokens), llm);
  if (estimate_usd > llm.max_cost_usd) {
    return Status::Unavailable("LLM: estimated cost " + Usd(estimate_usd) +
                               " exceeds the per-job cap " + Usd(llm.max_cost_usd));
  }
  if (llm.should_abort && llm.should_abort()) return Status::Cancelled("LLM request cancelled");
  spdlog::debug("llm: POST {}{} model {}, ~{} prompt tokens, at most {}", endpoint->origin,
                endpoint->target, llm.model, estimated_prompt_tokens, Usd(estimate_usd));

  auto reply = PostJson(*endpoint, request.dump(), llm);
  if (!reply.ok()) return reply.status();
  if (reply->status < 200 || reply->status > 299) {
    return HttpFailure(reply->status, reply->body, endpoint->origin);
  }
  auto answer = ParseChatReply(reply->body);
  if (!answer.ok()) return answer.status();

  LlmDeckResult result;
  result.model = answer->model.empty() ? llm.model : answer->model;
  result.usage_estimated = !answer->prompt_tokens || !answer->completion_tokens;
  result.prompt_tokens = answer->prompt_tokens.value_or(estimated_prompt_tokens);
  result.completion_tokens =
      answer->completion_tokens.value_or(static_cast<int>((answer->content.size() + 3) / 4));
  result.cost_usd = CostUsd(result.prompt_tokens, result.completion_tokens, llm);
  if (result.usage_estimated) {
    result.repairs.push_back("the server reported no token usage; cost estimated from text length");
  }
  spdlog::debug("llm: {} prompt + {} completion tokens{}, {}", result.prompt_tokens,
                result.completion_tokens, result.usage_estimated ? " (estimated)" : "",
                Usd(result.cost_usd));

  auto draft = ParseDraftDeck(answer->content);
  if (!draft.ok()) {
    if (answer->finish_reason == "length") {
      return Status::Internal("LLM answer: cut off at max_tokens (" +
                              std::to_string(llm.max_output_tokens) + ")");
    }
    return draft.status();
  }
  auto repaired = RepairDeck(*draft, transcript, duration_s, params);
  if (!repaired.ok()) return repaired.status();
  result.deck = std::move(repaired->deck);
  result.repairs.insert(result.repairs.end(), repaired->repairs.begin(), repaired->repairs.end());
  return result;
}

}  // namespace presgen

#include "mcp/mcp_server.h"

#include <algorithm>

#include "mcp/mcp_resources.h"

namespace presgen::mcp {
namespace {

constexpr const char* kMetaVersion = "io.modelcontextprotocol/protocolVersion";
constexpr const char* kMetaCapabilities = "io.modelcontextprotocol/clientCapabilities";
constexpr const char* kMetaServerInfo = "io.modelcontextprotocol/serverInfo";
constexpr const char* kMetaRelatedTask = "io.modelcontextprotocol/related-task";
constexpr int64_t kListTtlMs = 0;          // tools and resources change with every job
constexpr int64_t kDiscoverTtlMs = 3600 * 1000;

const char* kInstructions =
    "presgen turns a recorded pitch video into a presentation video: the speaker on the left, "
    "slides of what they say on the right. render_video does it all; for edits, start_render "
    "with review: true, then get_deck, update_deck and render_job.";

json ServerInfo() { return {{"name", "presgen"}, {"title", "presgen"}, {"version", "0.1.0"}}; }

RpcError Invalid(const std::string& message) { return {kInvalidParams, message, nullptr}; }

// params[key] when it is a string, else "" (a wrong type is the caller's mistake to report).
std::string StringParam(const json& params, const char* key) {
  if (!params.is_object() || !params.contains(key) || !params[key].is_string()) return "";
  return params[key].get<std::string>();
}

// The request's params object (an empty one when absent).
const json& ParamsOf(const json& request) {
  static const json kEmpty = json::object();
  auto it = request.find("params");
  return it != request.end() && it->is_object() ? *it : kEmpty;
}

// The request's progress token, or null.
json ProgressToken(const json& params) {
  if (!params.contains("_meta") || !params["_meta"].is_object()) return nullptr;
  const json& t = params["_meta"].value("progressToken", json());
  return t.is_string() || t.is_number_integer() ? t : json();
}

// Marks a result of the 2026-07-28 era.
json Modernize(json result, bool cacheable, int64_t ttl_ms = kListTtlMs) {
  result["resultType"] = "complete";
  result["_meta"][kMetaServerInfo] = ServerInfo();
  if (cacheable) {
    result["ttlMs"] = ttl_ms;
    result["cacheScope"] = "private";
  }
  return result;
}

}  // namespace

const std::vector<std::string>& LegacyVersions() {
  static const std::vector<std::string> v = {"2025-11-25", "2025-06-18", "2025-03-26"};
  return v;
}

const std::vector<std::string>& SupportedVersions() {
  static const std::vector<std::string> v = {"2026-07-28", "2025-11-25", "2025-06-18",
                                             "2025-03-26"};
  return v;
}

McpServer::McpServer(JobManager& jobs, McpToolParams params)
    : jobs_(jobs), tools_(jobs, std::move(params)) {}

std::optional<std::string> McpServer::ModernVersion(const json& request) {
  const json& params = ParamsOf(request);
  auto meta = params.find("_meta");
  if (meta == params.end() || !meta->is_object()) return std::nullopt;
  auto v = meta->find(kMetaVersion);
  if (v == meta->end() || !v->is_string()) return std::nullopt;
  return v->get<std::string>();
}

std::optional<json> McpServer::ModernEnvelopeError(const json& request) {
  const auto version = ModernVersion(request);
  if (!version) return std::nullopt;
  const json& id = request["id"];
  if (*version != kModernVersion) {
    return ErrorMessage(id, {kUnsupportedProtocolVersion, "Unsupported protocol version",
                             {{"supported", SupportedVersions()}, {"requested", *version}}});
  }
  const json& meta = ParamsOf(request)["_meta"];
  auto caps = meta.find(kMetaCapabilities);
  if (caps == meta.end() || !caps->is_object()) {
    return ErrorMessage(id, Invalid("params._meta[\"" + std::string(kMetaCapabilities) +
                                    "\"] is required"));
  }
  return std::nullopt;
}

json McpServer::HandleRequest(const json& request, LegacySession* session,
                              const RequestChannel& channel) {
  const json& id = request["id"];
  const std::string method = request["method"];
  try {
    if (method != "initialize") {
      if (auto version = ModernVersion(request)) return Modern(request, *version, channel);
    }
    if (method == "server/discover") {
      return ErrorMessage(id, Invalid("server/discover needs params._meta[\"" +
                                      std::string(kMetaVersion) + "\"]"));
    }
    if (!session) {
      return ErrorMessage(id, {kInvalidRequest,
                               "no session: send initialize first, or use protocol version " +
                                   std::string(kModernVersion) + " with _meta on every request",
                               nullptr});
    }
    return Legacy(request, *session, channel);
  } catch (const std::exception& e) {
    // A broken invariant in one call is that call's error, never the server's end.
    return ErrorMessage(id, {kInternalError, std::string("internal error: ") + e.what(), nullptr});
  }
}

void McpServer::HandleNotification(const json& notification, LegacySession* session) {
  if (session && notification["method"] == "notifications/initialized") {
    session->initialized = true;
  }
}

json McpServer::Initialize(const json& id, const json& params, LegacySession& session) {
  const std::string asked = StringParam(params, "protocolVersion");
  if (asked.empty()) return ErrorMessage(id, Invalid("initialize needs params.protocolVersion"));
  const auto& known = LegacyVersions();
  session.protocol_version =
      std::find(known.begin(), known.end(), asked) != known.end() ? asked : kLegacyLatestVersion;
  session.client_capabilities =
      params.contains("capabilities") && params["capabilities"].is_object() ? params["capabilities"]
                                                                          : json::object();
  json capabilities = {{"tools", {{"listChanged", false}}},
                       {"resources", {{"listChanged", false}, {"subscribe", false}}}};
  if (session.protocol_version == kLegacyLatestVersion) {
    capabilities["tasks"] = {{"list", json::object()},
                             {"cancel", json::object()},
                             {"requests", {{"tools", {{"call", json::object()}}}}}};
  }
  return ResultMessage(id, {{"protocolVersion", session.protocol_version},
                            {"capabilities", capabilities},
                            {"serverInfo", ServerInfo()},
                            {"instructions", kInstructions}});
}

json McpServer::Discover() {
  return Modernize({{"supportedVersions", SupportedVersions()},
                    {"capabilities", {{"tools", json::object()}, {"resources", json::object()}}},
                    {"instructions", kInstructions}},
                   true, kDiscoverTtlMs);
}

json McpServer::Legacy(const json& request, LegacySession& session,
                       const RequestChannel& channel) {
  const json& id = request["id"];
  const std::string method = request["method"];
  const json& params = ParamsOf(request);
  if (method == "initialize") return Initialize(id, params, session);
  if (method == "ping") return ResultMessage(id, json::object());
  if (session.protocol_version.empty()) {
    return ErrorMessage(id, {kInvalidRequest, "send initialize before " + method, nullptr});
  }
  if (method == "tools/list") return ResultMessage(id, ToolList(false));
  if (method == "tools/call") {
    if (params.contains("task")) return CallToolAsTask(id, params, channel);
    auto result = CallTool(params, channel);
    if (const RpcError* e = std::get_if<RpcError>(&result)) return ErrorMessage(id, *e);
    return ResultMessage(id, std::get<json>(result));
  }
  if (auto answer = Resources(id, method, params, false)) return *answer;
  if (method.rfind("tasks/", 0) == 0) return TaskMethod(id, method, params, channel);
  return ErrorMessage(id, {kMethodNotFound, "method not found: " + method, nullptr});
}

json McpServer::Modern(const json& request, const std::string& version,
                       const RequestChannel& channel) {
  (void)version;
  const json& id = request["id"];
  const std::string method = request["method"];
  const json& params = ParamsOf(request);
  if (auto bad = ModernEnvelopeError(request)) return *bad;
  if (method == "server/discover") return ResultMessage(id, Discover());
  if (method == "tools/list") return ResultMessage(id, Modernize(ToolList(true), true));
  if (method == "tools/call") {
    auto result = CallTool(params, channel);
    if (const RpcError* e = std::get_if<RpcError>(&result)) return ErrorMessage(id, *e);
    return ResultMessage(id, Modernize(std::get<json>(result), false));
  }
  if (auto answer = Resources(id, method, params, true)) return *answer;
  return ErrorMessage(id, {kMethodNotFound, "method not found: " + method, nullptr});
}

json McpServer::ToolList(bool modern) const {
  json list = json::array();
  for (const auto& s : tools_.specs()) {
    json t = {{"name", s.name},
              {"title", s.title},
              {"description", s.description},
              {"inputSchema", s.input_schema},
              {"outputSchema", s.output_schema},
              {"annotations",
               {{"title", s.title},
                {"readOnlyHint", s.read_only},
                {"destructiveHint", s.destructive},
                {"openWorldHint", false}}}};
    if (!modern) t["execution"] = {{"taskSupport", s.long_running ? "optional" : "forbidden"}};
    list.push_back(std::move(t));
  }
  return {{"tools", list}};
}

std::variant<json, RpcError> McpServer::CallTool(const json& params,
                                                 const RequestChannel& channel) {
  if (!params.contains("name") || !params["name"].is_string()) {
    return Invalid("tools/call needs params.name");
  }
  const std::string name = params["name"];
  if (!tools_.Find(name)) return Invalid("Unknown tool: " + name);
  const json arguments = params.value("arguments", json::object());
  if (!arguments.is_object()) return Invalid("tools/call params.arguments must be an object");
  ToolContext ctx;
  ctx.cancelled = channel.cancelled;
  ctx.base_url = channel.base_url;
  const json token = ProgressToken(params);
  if (!token.is_null() && channel.notify) {
    auto last = std::make_shared<double>(-1);
    ctx.progress = [token, notify = channel.notify, last](double fraction, const std::string& what) {
      const double p = std::clamp(fraction, 0.0, 1.0) * 100;
      if (p <= *last) return;  // progress must increase
      *last = p;
      notify(NotificationMessage("notifications/progress", {{"progressToken", token},
                                                            {"progress", p},
                                                            {"total", 100},
                                                            {"message", what}}));
    };
  }
  ToolOutcome out = tools_.Call(name, arguments, ctx);
  json content = json::array({{{"type", "text"}, {"text", out.text}}});
  for (const auto& c : out.extra_content) content.push_back(c);
  json result = {{"content", content}, {"isError", out.is_error}};
  if (!out.is_error) result["structuredContent"] = out.structured;
  return result;
}

json McpServer::CallToolAsTask(const json& id, const json& params, const RequestChannel& channel) {
  const std::string name = StringParam(params, "name");
  const ToolSpec* spec = tools_.Find(name);
  if (!spec) return ErrorMessage(id, Invalid("Unknown tool: " + name));
  if (!spec->long_running) {
    return ErrorMessage(id, {kMethodNotFound, "tool " + name + " does not run as a task", nullptr});
  }
  const json& task_params = params["task"];
  int64_t ttl = 0;
  if (task_params.is_object() && task_params.contains("ttl")) {
    if (!task_params["ttl"].is_number_integer() || task_params["ttl"].get<int64_t>() < 0) {
      return ErrorMessage(id, Invalid("params.task.ttl must be a number of milliseconds"));
    }
    ttl = task_params["ttl"].get<int64_t>();
  }
  json call = params;
  call.erase("task");
  // A task outlives the request that started it (and its stream): it sends no progress;
  // the client polls tasks/get.
  call.erase("_meta");
  const std::string base_url = channel.base_url;
  auto started = tasks_.Start(
      channel.owner,
      [this, call, base_url](const std::function<bool()>& cancelled, bool* failed) {
        auto result = CallTool(call, {nullptr, cancelled, base_url, /*owner=*/""});
        if (const RpcError* e = std::get_if<RpcError>(&result)) {
          *failed = true;
          return json{{"content", {{{"type", "text"}, {"text", e->message}}}}, {"isError", true}};
        }
        *failed = std::get<json>(result).value("isError", false);
        return std::get<json>(result);
      },
      ttl);
  if (!started.ok()) return ErrorMessage(id, {kInternalError, started.status().message(), nullptr});
  return ResultMessage(id, {{"task", *started}});
}

json McpServer::TaskMethod(const json& id, const std::string& method, const json& params,
                           const RequestChannel& channel) {
  if (method == "tasks/list") return ResultMessage(id, {{"tasks", tasks_.List(channel.owner)}});
  const std::string task_id = StringParam(params, "taskId");
  if (task_id.empty()) return ErrorMessage(id, Invalid(method + " needs params.taskId"));
  auto answer = [&](const Result<json>& r) {
    if (r.ok()) return ResultMessage(id, *r);
    return ErrorMessage(id, Invalid(r.status().message()));
  };
  if (method == "tasks/get") return answer(tasks_.Get(channel.owner, task_id));
  if (method == "tasks/cancel") return answer(tasks_.Cancel(channel.owner, task_id));
  if (method == "tasks/result") {
    auto r = tasks_.WaitResult(channel.owner, task_id, channel.cancelled);
    if (!r.ok()) return ErrorMessage(id, Invalid(r.status().message()));
    json result = *r;
    result["_meta"][kMetaRelatedTask] = {{"taskId", task_id}};
    return ResultMessage(id, result);
  }
  return ErrorMessage(id, {kMethodNotFound, "method not found: " + method, nullptr});
}

std::optional<json> McpServer::Resources(const json& id, const std::string& method,
                                         const json& params, bool modern) {
  auto finish = [&](json result) {
    return ResultMessage(id, modern ? Modernize(std::move(result), true) : std::move(result));
  };
  if (method == "resources/list") return finish({{"resources", ListResources(jobs_)}});
  if (method == "resources/templates/list") {
    return finish({{"resourceTemplates", ResourceTemplates()}});
  }
  if (method != "resources/read") return std::nullopt;
  const std::string uri = StringParam(params, "uri");
  auto contents = ReadResource(jobs_, uri);
  if (!contents.ok()) {
    const int code = contents.status().code() == StatusCode::kNotFound && !modern
                         ? kResourceNotFound
                         : kInvalidParams;
    return ErrorMessage(id, {code, contents.status().message(), {{"uri", uri}}});
  }
  return finish({{"contents", *contents}});
}

}  // namespace presgen::mcp

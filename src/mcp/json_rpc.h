// JSON-RPC 2.0 as MCP uses it: telling requests, notifications and responses apart, and
// building answers. Transport-free (stdio lines and HTTP bodies both come through here).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace presgen::mcp {

using nlohmann::json;

// JSON-RPC and MCP error codes.
enum RpcCode : int {
  kParseError = -32700,
  kInvalidRequest = -32600,
  kMethodNotFound = -32601,
  kInvalidParams = -32602,
  kInternalError = -32603,
  kResourceNotFound = -32002,            // 2025-11-25 (2026-07-28 uses kInvalidParams)
  kHeaderMismatch = -32020,              // 2026-07-28, HTTP headers vs body
  kUnsupportedProtocolVersion = -32022,  // 2026-07-28
};

struct RpcError {
  int code = kInternalError;
  std::string message;
  json data;  // null = none
};

enum class MessageKind { kRequest, kNotification, kResponse, kInvalid };

// What `message` is; kInvalid for anything that is not a JSON-RPC 2.0 object with a string
// method (request/notification) or an id with result/error (response).
MessageKind Classify(const json& message);

json ResultMessage(const json& id, json result);
json ErrorMessage(const json& id, const RpcError& error);
json NotificationMessage(const std::string& method, json params);

// Whether `text` nests arrays and objects at most `max_depth` deep (strings skipped). A
// message is checked before it is parsed: copying a deeply nested value recurses.
bool NestingWithin(const std::string& text, int max_depth);
inline constexpr int kMaxMessageDepth = 64;

// Parses one message: discarded (is_discarded) when it is not JSON or nests too deep.
json ParseMessage(const std::string& text);

// Checks `value` against the subset of JSON Schema that presgen's tools use (type object /
// string / integer / number / boolean / array, properties, required, additionalProperties
// false, enum, minimum, maximum, minItems, maxItems, items). `where` names the value in the
// message: "arguments.job_id must be a string". Returns "" when it conforms.
std::string SchemaViolation(const json& schema, const json& value, const std::string& where);

}  // namespace presgen::mcp

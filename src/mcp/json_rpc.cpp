#include "mcp/json_rpc.h"

namespace presgen::mcp {

MessageKind Classify(const json& m) {
  if (!m.is_object() || m.value("jsonrpc", json()) != "2.0") return MessageKind::kInvalid;
  const bool has_id = m.contains("id");
  if (has_id && !m["id"].is_string() && !m["id"].is_number_integer()) {
    return MessageKind::kInvalid;
  }
  if (m.contains("method")) {
    if (!m["method"].is_string()) return MessageKind::kInvalid;
    if (m.contains("params") && !m["params"].is_object()) return MessageKind::kInvalid;
    return has_id ? MessageKind::kRequest : MessageKind::kNotification;
  }
  if (has_id && (m.contains("result") || m.contains("error"))) return MessageKind::kResponse;
  return MessageKind::kInvalid;
}

bool NestingWithin(const std::string& text, int max_depth) {
  int depth = 0;
  bool in_string = false, escaped = false;
  for (char c : text) {
    if (in_string) {
      if (escaped) escaped = false;
      else if (c == '\\') escaped = true;
      else if (c == '"') in_string = false;
      continue;
    }
    if (c == '"') in_string = true;
    else if (c == '[' || c == '{') {
      if (++depth > max_depth) return false;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return true;
}

json ParseMessage(const std::string& text) {
  if (!NestingWithin(text, kMaxMessageDepth)) return json(json::value_t::discarded);
  return json::parse(text, nullptr, /*allow_exceptions=*/false);
}

json ResultMessage(const json& id, json result) {
  return {{"jsonrpc", "2.0"}, {"id", id}, {"result", std::move(result)}};
}

json ErrorMessage(const json& id, const RpcError& error) {
  json e = {{"code", error.code}, {"message", error.message}};
  if (!error.data.is_null()) e["data"] = error.data;
  return {{"jsonrpc", "2.0"}, {"id", id}, {"error", std::move(e)}};
}

json NotificationMessage(const std::string& method, json params) {
  return {{"jsonrpc", "2.0"}, {"method", method}, {"params", std::move(params)}};
}

namespace {

bool HasType(const json& value, const std::string& type) {
  if (type == "object") return value.is_object();
  if (type == "array") return value.is_array();
  if (type == "string") return value.is_string();
  if (type == "integer") return value.is_number_integer();
  if (type == "number") return value.is_number();
  if (type == "boolean") return value.is_boolean();
  if (type == "null") return value.is_null();
  return true;
}

const char* Article(const std::string& type) {
  return type == "object" || type == "array" || type == "integer" ? "an " : "a ";
}

}  // namespace

std::string SchemaViolation(const json& schema, const json& value, const std::string& where) {
  if (!schema.is_object()) return "";
  if (schema.contains("type") && schema["type"].is_string()) {
    const std::string type = schema["type"];
    if (!HasType(value, type)) {
      return where + " must be " + Article(type) + (type == "boolean" ? "true or false" : type);
    }
  }
  if (schema.contains("enum")) {
    bool found = false;
    std::string list;
    for (const auto& e : schema["enum"]) {
      found = found || e == value;
      list += (list.empty() ? "" : ", ") + (e.is_string() ? e.get<std::string>() : e.dump());
    }
    if (!found) return where + " must be one of " + list;
  }
  if (value.is_number()) {
    if (schema.contains("minimum") && value.get<double>() < schema["minimum"].get<double>()) {
      return where + " must be at least " + schema["minimum"].dump();
    }
    if (schema.contains("maximum") && value.get<double>() > schema["maximum"].get<double>()) {
      return where + " must be at most " + schema["maximum"].dump();
    }
  }
  if (value.is_array()) {
    if (schema.contains("minItems") && value.size() < schema["minItems"].get<size_t>()) {
      return where + " must have at least " + schema["minItems"].dump() + " items";
    }
    if (schema.contains("maxItems") && value.size() > schema["maxItems"].get<size_t>()) {
      return where + " must have at most " + schema["maxItems"].dump() + " items";
    }
    if (schema.contains("items")) {
      for (size_t i = 0; i < value.size(); ++i) {
        std::string v = SchemaViolation(schema["items"], value[i],
                                        where + "[" + std::to_string(i) + "]");
        if (!v.empty()) return v;
      }
    }
  }
  if (value.is_object()) {
    const json props = schema.value("properties", json::object());
    for (const auto& name : schema.value("required", json::array())) {
      if (!value.contains(name.get<std::string>())) {
        return where + "." + name.get<std::string>() + " is required";
      }
    }
    for (const auto& [key, v] : value.items()) {
      if (props.contains(key)) {
        std::string bad = SchemaViolation(props[key], v, where + "." + key);
        if (!bad.empty()) return bad;
      } else if (schema.value("additionalProperties", json(true)) == json(false)) {
        return where + "." + key + " is not a known field";
      }
    }
  }
  return "";
}

}  // namespace presgen::mcp

#include "pipeline/render_option_schema.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <regex>

#include "slides/slide_theme.h"

namespace presgen {
namespace {

using nlohmann::json;

Status ApplySize(const json& value, RenderOptions* render) {
  int w = 0, h = 0;
  std::sscanf(value.get_ref<const std::string&>().c_str(), "%dx%d", &w, &h);
  if (w < 320 || h < 180 || w > 3840 || h > 2160 || w % 4 != 0 || h % 2 != 0) {
    return Status::InvalidInput(
        "must be between 320x180 and 3840x2160, the width a multiple of 4 and the height even");
  }
  render->width = w;
  render->height = h;
  return Status::Ok();
}

// A setter of one string member.
std::function<Status(const json&, RenderOptions*)> SetText(std::string RenderOptions::*member) {
  return [member](const json& value, RenderOptions* render) {
    render->*member = value.get<std::string>();
    return Status::Ok();
  };
}

std::function<Status(const json&, RenderOptions*)> SetInt(int RenderOptions::*member) {
  return [member](const json& value, RenderOptions* render) {
    render->*member = value.get<int>();
    return Status::Ok();
  };
}

std::vector<RenderOptionField> MakeFields() {
  std::vector<RenderOptionField> f;
  f.push_back({"review", "", OptionKind::kBool,
               "Stop after the deck is made, for review and edits, before the video is rendered",
               0, 0, {}, "", nullptr});
  f.push_back({"size", "--size", OptionKind::kText, "Output size WIDTHxHEIGHT, e.g. 1280x720", 0,
               0, {}, "^[0-9]{2,5}x[0-9]{2,5}$", ApplySize});
  f.push_back({"template", "--template", OptionKind::kChoice, "Slide design", 0, 0,
               SlideThemeNames(), "", SetText(&RenderOptions::template_name)});
  f.push_back({"max_slides", "--slides", OptionKind::kInt,
               "Most slides, the title slide included (fewer for short talks)", 1, 8, {}, "",
               SetInt(&RenderOptions::max_slides)});
  f.push_back({"max_bullets", "--max-bullets", OptionKind::kInt, "Most bullets per slide", 0, 6,
               {}, "", SetInt(&RenderOptions::max_bullets)});
  f.push_back({"title_slide", "--title-slide", OptionKind::kChoice,
               "auto: a title slide when the speaker introduces themselves or the company", 0, 0,
               {"auto", "on", "off"}, "", SetText(&RenderOptions::title_slide)});
  f.push_back({"brand_color", "--brand-color", OptionKind::kText, "Accent colour #RRGGBB (the # may be left out)", 0, 0,
               {}, "^#?[0-9A-Fa-f]{6}$", SetText(&RenderOptions::brand_color)});
  f.push_back({"asr", "--asr", OptionKind::kChoice,
               "Speech engine: auto uses Whisper when a model is installed, else PocketSphinx",
               0, 0, {"auto", "whisper", "pocketsphinx"}, "", SetText(&RenderOptions::asr)});
  f.push_back({"summarizer", "--summarizer", OptionKind::kChoice,
               "How slides are written: extractive (local) or llm (only when the operator "
               "configured an LLM)",
               0, 0, {"extractive", "llm"}, "",
               [](const json& value, RenderOptions* render) {
                 const std::string v = value.get<std::string>();
                 if (v == "llm" && (render->llm_url.empty() || render->llm_model.empty())) {
                   return Status::InvalidInput(
                       "\"llm\" is not available: this server has no LLM configured");
                 }
                 render->summarizer = v;
                 return Status::Ok();
               }});
  return f;
}

std::string Join(const std::vector<std::string>& items, const char* sep) {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : sep) + s;
  return out;
}

// Checks `value` against the field's type and range; the message says what it must be.
Status CheckValue(const RenderOptionField& field, const json& value) {
  switch (field.kind) {
    case OptionKind::kBool:
      if (!value.is_boolean()) return Status::InvalidInput("must be true or false");
      return Status::Ok();
    case OptionKind::kInt:
      if (!value.is_number_integer() || value.get<int64_t>() < field.min ||
          value.get<int64_t>() > field.max) {
        return Status::InvalidInput("must be an integer from " + std::to_string(field.min) +
                                    " to " + std::to_string(field.max));
      }
      return Status::Ok();
    case OptionKind::kChoice: {
      const bool known = value.is_string() &&
                         std::find(field.choices.begin(), field.choices.end(),
                                   value.get<std::string>()) != field.choices.end();
      if (!known) return Status::InvalidInput("must be one of " + Join(field.choices, ", "));
      return Status::Ok();
    }
    case OptionKind::kText:
      if (!value.is_string()) return Status::InvalidInput("must be a string");
      if (!field.pattern.empty() &&
          !std::regex_search(value.get<std::string>(), std::regex(field.pattern))) {
        return Status::InvalidInput("must match " + field.pattern);
      }
      return Status::Ok();
  }
  return Status::Internal("unknown option kind");
}

}  // namespace

const std::vector<RenderOptionField>& ClientOptionFields() {
  static const std::vector<RenderOptionField> fields = MakeFields();
  return fields;
}

const RenderOptionField& ClientOptionField(const std::string& key) {
  for (const auto& field : ClientOptionFields()) {
    if (field.key == key) return field;
  }
  std::abort();  // a key not in the table: a typo in the caller
}

json ClientOptionsJsonSchema() {
  json properties = json::object();
  for (const auto& field : ClientOptionFields()) {
    json p = {{"description", field.description}};
    switch (field.kind) {
      case OptionKind::kBool: p["type"] = "boolean"; break;
      case OptionKind::kInt:
        p["type"] = "integer";
        p["minimum"] = field.min;
        p["maximum"] = field.max;
        break;
      case OptionKind::kChoice:
        p["type"] = "string";
        p["enum"] = field.choices;
        break;
      case OptionKind::kText:
        p["type"] = "string";
        if (!field.pattern.empty()) p["pattern"] = field.pattern;
        break;
    }
    properties[field.key] = std::move(p);
  }
  return {{"type", "object"}, {"properties", properties}, {"additionalProperties", false}};
}

Result<ClientOptions> ApplyClientOptions(const json& options, RenderOptions* render,
                                         const std::string& prefix) {
  ClientOptions out;
  if (options.is_null()) return out;
  const std::string object_name = prefix.empty() ? "options" : prefix.substr(0, prefix.size() - 1);
  if (!options.is_object()) return Status::InvalidInput(object_name + " must be a JSON object");
  const auto& fields = ClientOptionFields();
  for (const auto& item : options.items()) {
    const std::string& key = item.key();
    const json& value = item.value();
    auto field = std::find_if(fields.begin(), fields.end(),
                              [&](const RenderOptionField& f) { return f.key == key; });
    if (field == fields.end()) {
      std::vector<std::string> known;
      for (const auto& f : fields) known.push_back(f.key);
      return Status::InvalidInput(prefix + key + " is not an option (known: " +
                                  Join(known, ", ") + ")");
    }
    Status st = CheckValue(*field, value);
    if (st.ok() && field->apply) st = field->apply(value, render);
    if (!st.ok()) return Status::InvalidInput(prefix + key + " " + st.message());
    if (key == "review") out.review = value.get<bool>();
    out.accepted[key] = value;
  }
  return out;
}

}  // namespace presgen

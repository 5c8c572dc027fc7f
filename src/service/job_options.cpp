#include "service/job_options.h"

#include <nlohmann/json.hpp>


namespace presgen {
namespace {

using nlohmann::json;

Status WrongType(const std::string& key, const char* type) {
  return Status::InvalidInput("options." + key + " must be " + type);
}

Status ParseSize(const std::string& text, RenderOptions* render) {
  int w = 0, h = 0;
  char x = 0;
  if (std::sscanf(text.c_str(), "%d%c%d", &w, &x, &h) != 3 || x != 'x') {
    return Status::InvalidInput("options.size must look like \"1280x720\"");
  }
  render->width = w;
  render->height = h;
  return Status::Ok();
}

}  // namespace

Result<JobOptions> ApplyJobOptions(const std::string& text, RenderOptions* render) {
  JobOptions out;
  if (text.find_first_not_of(" \t\r\n") == std::string::npos) return out;
  const json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) {
    return Status::InvalidInput("options must be a JSON object");
  }
  for (const auto& [key, value] : j.items()) {
    if (key == "review") {
      if (!value.is_boolean()) return WrongType(key, "true or false");
      out.review = value.get<bool>();
    } else if (key == "max_slides" || key == "max_bullets") {
      if (!value.is_number_integer()) return WrongType(key, "an integer");
      const int n = value.get<int>();
      const bool slides = key == "max_slides";
      if (slides ? (n < 1 || n > 8) : (n < 0 || n > 6)) {
        return WrongType(key, slides ? "1 to 8" : "0 to 6");
      }
      (slides ? render->max_slides : render->max_bullets) = n;
    } else if (key == "size") {
      if (!value.is_string()) return WrongType(key, "a string");
      PRESGEN_RETURN_IF_ERROR(ParseSize(value.get<std::string>(), render));
    } else if (key == "template" || key == "title_slide" || key == "brand_color" ||
               key == "asr" || key == "summarizer") {
      if (!value.is_string()) return WrongType(key, "a string");
      const std::string v = value.get<std::string>();
      if (key == "template") render->template_name = v;
      if (key == "title_slide") render->title_slide = v;
      if (key == "brand_color") render->brand_color = v;
      if (key == "asr") render->asr = v;
      if (key == "summarizer") {
        if (v == "llm" && (render->llm_url.empty() || render->llm_model.empty())) {
          return Status::InvalidInput(
              "options.summarizer \"llm\" is not available: this server has no LLM configured");
        }
        render->summarizer = v;
      }
    } else {
      return Status::InvalidInput("unknown option \"" + key + "\"");
    }
  }
  if (Status st = ValidateRenderOptions(*render); !st.ok()) {
    return Status::InvalidInput("options: " + st.message());
  }
  out.normalized_json = j.dump();
  return out;
}

}  // namespace presgen

#include "slides/slide_text.h"

#include <glib.h>

#include <cstring>

#include "slides/cairo_ptr.h"

namespace presgen {
namespace {

constexpr char kZeroWidthSpace[] = "\u200B";
// Longer than real words, short enough to bound the reshaping cost; Pango still breaks
// inside a chunk when even the chunk is wider than the line.
constexpr size_t kLongWordChars = 48;

bool EndsWith(const std::string& s, const char* suffix) {
  const size_t n = std::strlen(suffix);
  return s.size() >= n && s.compare(s.size() - n, n, suffix) == 0;
}

}  // namespace

std::string CleanSlideText(const std::string& raw, size_t max_chars, bool* truncated) {
  GCharPtr valid(g_utf8_make_valid(raw.data(), static_cast<gssize>(raw.size())));
  std::string out;
  size_t chars = 0, word_chars = 0;
  bool pending_space = false;
  for (const char* p = valid.get(); *p;) {
    const unsigned char c = static_cast<unsigned char>(*p);
    if (c <= 0x20 || c == 0x7F) {
      pending_space = !out.empty();
      ++p;
      continue;
    }
    if (chars + (pending_space ? 1 : 0) >= max_chars) {
      out += kEllipsis;
      *truncated = true;
      break;
    }
    if (pending_space || c == '-' || c == '/') word_chars = 0;  // natural break points
    if (pending_space) {
      out += ' ';
      ++chars;
      pending_space = false;
    }
    if (++word_chars > kLongWordChars && word_chars % kLongWordChars == 1) {
      out += kZeroWidthSpace;
    }
    const char* next = g_utf8_next_char(p);
    out.append(p, next);
    ++chars;
    p = next;
  }
  return out;
}

std::vector<std::string> EllipsizedWordPrefixes(const std::string& text) {
  std::vector<std::string> out;
  for (size_t end = 0; end <= text.size(); ++end) {
    if (end != text.size() && text[end] != ' ') continue;
    std::string prefix = text.substr(0, end);
    for (bool trimmed = true; trimmed && !prefix.empty();) {
      trimmed = false;
      if (std::strchr(" ,;:.-", prefix.back()) != nullptr) {
        prefix.pop_back();
        trimmed = true;
      } else if (EndsWith(prefix, kEllipsis)) {
        prefix.resize(prefix.size() - std::strlen(kEllipsis));
        trimmed = true;
      }
    }
    if (prefix.empty()) continue;
    prefix += kEllipsis;
    if (out.empty() || out.back() != prefix) out.push_back(std::move(prefix));
  }
  return out;
}

}  // namespace presgen

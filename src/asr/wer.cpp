#include "asr/wer.h"

#include <algorithm>
#include <cctype>

namespace presgen {

std::vector<std::string> NormalizeWords(const std::string& text) {
  std::vector<std::string> words;
  std::string cur;
  auto flush = [&] {
    while (!cur.empty() && cur.back() == '\'') cur.pop_back();
    if (!cur.empty()) words.push_back(cur);
    cur.clear();
  };
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) || c >= 0x80) {
      cur.push_back(static_cast<char>(c < 0x80 ? std::tolower(c) : c));
    } else if (c == '\'' && !cur.empty()) {
      cur.push_back('\'');
    } else {
      flush();
    }
  }
  flush();
  return words;
}

double WordErrorRate(const std::string& reference, const std::string& hypothesis) {
  const auto ref = NormalizeWords(reference);
  const auto hyp = NormalizeWords(hypothesis);
  if (ref.empty()) return hyp.empty() ? 0.0 : 1.0;
  // Levenshtein distance over words, one row at a time.
  std::vector<size_t> prev(hyp.size() + 1), cur(hyp.size() + 1);
  for (size_t j = 0; j <= hyp.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= ref.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= hyp.size(); ++j) {
      const size_t sub = prev[j - 1] + (ref[i - 1] == hyp[j - 1] ? 0 : 1);
      cur[j] = std::min({sub, prev[j] + 1, cur[j - 1] + 1});
    }
    std::swap(prev, cur);
  }
  return static_cast<double>(prev[hyp.size()]) / static_cast<double>(ref.size());
}

}  // namespace presgen

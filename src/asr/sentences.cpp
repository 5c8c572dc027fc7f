#include "asr/sentences.h"

#include <algorithm>
#include <cctype>
#include <string>

#include "core/text_case.h"

namespace presgen {
namespace {

bool EndsSentence(const std::string& w) {
  if (w.empty()) return false;
  // Closing quotes or brackets may follow the full stop: `"right."`
  size_t i = w.size();
  while (i > 0 && (w[i - 1] == '"' || w[i - 1] == '\'' || w[i - 1] == ')')) --i;
  if (i == 0) return false;
  const char c = w[i - 1];
  return c == '.' || c == '?' || c == '!';
}

// "i", "i'm", "i've", "i'd", "i'll" -> capital I.
std::string FixPronounI(std::string w) {
  if (w == "i" || (w.size() > 2 && w[0] == 'i' && w[1] == '\'')) w[0] = 'I';
  return w;
}

Segment MakeSegment(std::vector<Word> words) {
  Segment seg;
  seg.start_s = words.front().start_s;
  seg.end_s = words.back().end_s;
  for (size_t i = 0; i < words.size(); ++i) {
    words[i].text = FixPronounI(words[i].text);
    if (i == 0) words[i].text = CapitalizeFirst(words[i].text);
    if (i) seg.text += ' ';
    seg.text += words[i].text;
  }
  if (!EndsSentence(words.back().text)) {
    while (!seg.text.empty() && (seg.text.back() == ',' || seg.text.back() == ';' ||
                                 seg.text.back() == ':' || seg.text.back() == '-')) {
      seg.text.pop_back();
    }
    seg.text += '.';
  }
  seg.words = std::move(words);
  return seg;
}

// Index (1..n-1) at which to cut an over-long run: after its longest pause.
size_t LongestPauseCut(const std::vector<Word>& run) {
  size_t best = run.size() / 2;
  double best_gap = -1;
  for (size_t i = 1; i < run.size(); ++i) {
    const double gap = run[i].start_s - run[i - 1].end_s;
    if (gap > best_gap) {
      best_gap = gap;
      best = i;
    }
  }
  return std::clamp<size_t>(best, 1, run.size() - 1);
}

}  // namespace

std::vector<Segment> SegmentSentences(const std::vector<Word>& words,
                                      const SentenceParams& params) {
  std::vector<Segment> out;
  std::vector<Word> cur;
  auto flush = [&] {
    if (!cur.empty()) out.push_back(MakeSegment(std::move(cur)));
    cur.clear();
  };
  for (size_t i = 0; i < words.size(); ++i) {
    if (words[i].text.empty()) continue;
    cur.push_back(words[i]);
    const bool last = i + 1 == words.size();
    const double gap = last ? 0 : words[i + 1].start_s - words[i].end_s;
    const int n = static_cast<int>(cur.size());
    if (EndsSentence(words[i].text) ||
        (gap >= params.pause_split_s && n >= params.min_words)) {
      flush();
    } else if (n >= params.max_words) {
      const size_t cut = LongestPauseCut(cur);
      std::vector<Word> rest(cur.begin() + static_cast<long>(cut), cur.end());
      cur.resize(cut);
      flush();
      cur = std::move(rest);
    }
  }
  flush();
  return out;
}

std::vector<Word> AllWords(const Transcript& transcript) {
  std::vector<Word> words;
  for (const auto& seg : transcript.segments) {
    words.insert(words.end(), seg.words.begin(), seg.words.end());
  }
  return words;
}

}  // namespace presgen

#include "deck/text_tools.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <map>
#include <optional>
#include <set>
#include <sstream>

namespace presgen {
namespace {

const std::map<std::string, long long> kUnits = {
    {"zero", 0},     {"one", 1},      {"two", 2},        {"three", 3},     {"four", 4},
    {"five", 5},     {"six", 6},      {"seven", 7},      {"eight", 8},     {"nine", 9},
    {"ten", 10},     {"eleven", 11},  {"twelve", 12},    {"thirteen", 13}, {"fourteen", 14},
    {"fifteen", 15}, {"sixteen", 16}, {"seventeen", 17}, {"eighteen", 18}, {"nineteen", 19},
    {"twenty", 20},  {"thirty", 30},  {"forty", 40},     {"fifty", 50},    {"sixty", 60},
    {"seventy", 70}, {"eighty", 80},  {"ninety", 90}};
const std::map<std::string, long long> kScales = {
    {"hundred", 100}, {"thousand", 1000}, {"million", 1000000}, {"billion", 1000000000}};

bool IsNumberWord(const std::string& b) { return kUnits.count(b) || kScales.count(b); }

std::string TrailingPunctuation(const std::string& token) {
  size_t i = token.size();
  while (i > 0 && std::ispunct(static_cast<unsigned char>(token[i - 1])) && token[i - 1] != '%')
    --i;
  return token.substr(i);
}

std::string Trimmed(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  std::string s = buf;
  if (s.size() > 2 && s.substr(s.size() - 2) == ".0") s.resize(s.size() - 2);
  return s;
}

std::string WithThousands(long long v) {
  std::string digits = std::to_string(v), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

// Compact form for money and big counts: 2000000 -> "2M", 10000 -> "10K".
std::string Compact(double v, bool money) {
  if (v >= 1e9) return Trimmed(v / 1e9) + "B";
  if (v >= 1e6) return Trimmed(v / 1e6) + "M";
  if (money && v >= 1e3) return Trimmed(v / 1e3) + "K";
  if (v == std::floor(v)) return WithThousands(static_cast<long long>(v));
  return Trimmed(v);
}

struct ParsedNumber {
  double value = 0;
  size_t consumed = 0;  // tokens
  bool has_scale = false;
};

// Whether a unit word may extend the number spoken so far: "twenty" + "four",
// "three hundred" + "twelve", but not "five" + "twelve" (two numbers).
bool CanAppendUnit(double group, long long unit) {
  if (group != std::floor(group)) return false;  // "three point five" is complete
  const auto g = static_cast<long long>(group);
  if (g % 100 == 0) return true;
  return unit < 10 && g % 10 == 0 && g % 100 >= 20;
}

// Parses "three hundred and twenty thousand", "two point five million", "a
// million", "half a million", "two and a half million" starting at tokens[i].
std::optional<ParsedNumber> ParseNumber(const std::vector<std::string>& tokens, size_t i) {
  double total = 0, group = 0;
  bool any = false, has_scale = false;
  size_t j = i;
  auto bare = [&](size_t k) { return k < tokens.size() ? BareWord(tokens[k]) : std::string(); };
  if (bare(j) == "a" && kScales.count(bare(j + 1))) {
    group = 1;
    any = true;
    ++j;
  } else if (bare(j) == "half" && bare(j + 1) == "a" && kScales.count(bare(j + 2)) &&
             bare(j + 2) != "hundred") {
    group = 0.5;
    any = true;
    j += 2;
  }
  for (; j < tokens.size(); ++j) {
    const std::string b = BareWord(tokens[j]);
    if (auto u = kUnits.find(b); u != kUnits.end()) {
      if (any && !CanAppendUnit(group, u->second)) break;
      group += double(u->second);
      any = true;
    } else if (auto s = kScales.find(b); s != kScales.end() && any) {
      has_scale = true;
      if (s->second == 100) {
        group = (group == 0 ? 1 : group) * 100;
      } else {
        total += (group == 0 ? 1 : group) * double(s->second);
        group = 0;
      }
    } else if (b == "and" && has_scale && kUnits.count(bare(j + 1)) &&
               TrailingPunctuation(tokens[j]).empty()) {
      continue;  // "one hundred and twenty"
    } else if (b == "and" && any && group > 0 && group == std::floor(group) && bare(j + 1) == "a" &&
               bare(j + 2) == "half" && TrailingPunctuation(tokens[j]).empty() &&
               TrailingPunctuation(tokens[j + 1]).empty()) {
      group += 0.5;  // "two and a half million"
      j += 2;
    } else if (b == "point" && any && kUnits.count(bare(j + 1)) && kUnits.at(bare(j + 1)) < 10) {
      group += double(kUnits.at(bare(j + 1))) / 10.0;
      ++j;
    } else {
      break;
    }
    if (!TrailingPunctuation(tokens[j]).empty()) {  // "forty," ends the number
      ++j;
      break;
    }
  }
  if (!any) return std::nullopt;
  return ParsedNumber{total + group, j - i, has_scale};
}

// "twenty twenty four" -> 2024, "nineteen ninety nine" -> 1999: spoken years.
// Returns the year and the tokens it used, or nullopt.
std::optional<std::pair<long long, size_t>> ParseYear(const std::vector<std::string>& tokens,
                                                      size_t i) {
  auto unit = [&](size_t k) -> long long {
    if (k >= tokens.size() || (k > i && !TrailingPunctuation(tokens[k - 1]).empty())) return -1;
    const auto it = kUnits.find(BareWord(tokens[k]));
    return it == kUnits.end() ? -1 : it->second;
  };
  const long long century = unit(i);
  if (century != 19 && century != 20) return std::nullopt;
  long long rest = unit(i + 1);
  if (rest < 10) return std::nullopt;
  size_t used = 2;
  if (rest >= 20 && rest % 10 == 0) {
    if (const long long u = unit(i + 2); u > 0 && u < 10) {
      rest += u;
      used = 3;
    }
  }
  // "twenty twenty million" is not a year.
  if (i + used < tokens.size() && kScales.count(BareWord(tokens[i + used]))) return std::nullopt;
  return std::make_pair(century * 100 + rest, used);
}

// "ninety-nine" -> "ninety" "nine" when every part is a number word.
std::vector<SourcedToken> SplitHyphenatedNumbers(const std::vector<SourcedToken>& tokens) {
  std::vector<SourcedToken> out;
  for (const auto& t : tokens) {
    const auto dash = t.text.find('-');
    if (dash != std::string::npos && dash > 0 && IsNumberWord(BareWord(t.text.substr(0, dash))) &&
        IsNumberWord(BareWord(t.text.substr(dash + 1)))) {
      out.push_back({t.text.substr(0, dash), t.first, t.last});
      out.push_back({t.text.substr(dash + 1), t.first, t.last});
    } else {
      out.push_back(t);
    }
  }
  return out;
}

const std::string& TextOf(const std::string& t) { return t; }
const std::string& TextOf(const SourcedToken& t) { return t.text; }

template <typename Token>
std::vector<Token> StripOpeners(std::vector<Token> tokens) {
  static const std::vector<std::vector<std::string>> kOpeners = {{"so"},
                                                                 {"and"},
                                                                 {"but"},
                                                                 {"well"},
                                                                 {"um"},
                                                                 {"uh"},
                                                                 {"now"},
                                                                 {"okay"},
                                                                 {"basically"},
                                                                 {"actually"},
                                                                 {"like"},
                                                                 {"you", "know"},
                                                                 {"i", "think"},
                                                                 {"hello"},
                                                                 {"hi"},
                                                                 {"hey"},
                                                                 {"everyone"},
                                                                 {"everybody"},
                                                                 {"good", "morning"},
                                                                 {"good", "afternoon"},
                                                                 {"good", "evening"},
                                                                 {"so", "yeah"},
                                                                 {"yeah"},
                                                                 {"right"}};
  bool changed = true;
  while (changed && !tokens.empty()) {
    changed = false;
    for (const auto& op : kOpeners) {
      if (tokens.size() <= op.size()) continue;
      bool match = true;
      for (size_t k = 0; k < op.size() && match; ++k) match = BareWord(TextOf(tokens[k])) == op[k];
      if (match) {
        tokens.erase(tokens.begin(), tokens.begin() + static_cast<long>(op.size()));
        changed = true;
        break;
      }
    }
  }
  return tokens;
}

}  // namespace

std::vector<std::string> SplitTokens(const std::string& text) {
  std::istringstream in(text);
  std::vector<std::string> out;
  for (std::string t; in >> t;) out.push_back(t);
  return out;
}

std::string JoinTokens(const std::vector<std::string>& tokens) {
  std::string out;
  for (const auto& t : tokens) {
    if (!out.empty()) out += ' ';
    out += t;
  }
  return out;
}

std::string BareWord(const std::string& token) {
  std::string out;
  for (char ch : token) {
    const auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) || c == '\'' || c >= 0x80) out += static_cast<char>(std::tolower(c));
  }
  return out;
}

bool IsStopWord(const std::string& bare) {
  static const std::set<std::string> kStop = {
      "a",      "an",       "the",       "and",   "or",     "but",   "so",    "of",     "to",
      "in",     "on",       "at",        "for",   "with",   "by",    "from",  "as",     "is",
      "are",    "was",      "were",      "be",    "been",   "being", "am",    "it",     "its",
      "it's",   "this",     "that",      "these", "those",  "there", "here",  "i",      "i'm",
      "we",     "we're",    "our",       "us",    "you",    "your",  "they",  "their",  "them",
      "he",     "she",      "his",       "her",   "my",     "me",    "do",    "does",   "did",
      "have",   "has",      "had",       "will",  "would",  "can",   "could", "should", "just",
      "very",   "really",   "also",      "then",  "than",   "what",  "which", "who",    "how",
      "when",   "where",    "why",       "all",   "any",    "some",  "each",  "every",  "more",
      "most",   "much",     "many",      "now",   "not",    "no",    "yes",   "if",     "about",
      "into",   "out",      "up",        "down",  "over",   "again", "um",    "uh",     "like",
      "know",   "think",    "going",     "get",   "got",    "want",  "let",   "let's",  "thank",
      "thanks", "hello",    "hi",        "hey",   "name",   "today", "one",   "well",   "okay",
      "right",  "actually", "basically", "lot",   "things", "thing", "way",   "make",   "made",
      "said",   "say"};
  return bare.empty() || kStop.count(bare) > 0;
}

std::vector<SourcedToken> SplitSourcedTokens(const std::string& text) {
  std::vector<SourcedToken> out;
  for (const auto& t : SplitTokens(text)) {
    const int i = static_cast<int>(out.size());
    out.push_back({t, i, i});
  }
  return out;
}

std::vector<std::string> TokenTexts(const std::vector<SourcedToken>& tokens) {
  std::vector<std::string> out;
  out.reserve(tokens.size());
  for (const auto& t : tokens) out.push_back(t.text);
  return out;
}

std::vector<std::string> StripLeadingFillers(std::vector<std::string> tokens) {
  return StripOpeners(std::move(tokens));
}
std::vector<SourcedToken> StripLeadingFillers(std::vector<SourcedToken> tokens) {
  return StripOpeners(std::move(tokens));
}

std::vector<SourcedToken> DropFillers(std::vector<SourcedToken> tokens) {
  static const std::set<std::string> kHesitations = {"um", "uh", "er", "erm", "uhm", "hmm", "ah"};
  static const std::vector<std::pair<std::string, std::string>> kPairs = {{"you", "know"},
                                                                          {"i", "mean"}};
  std::vector<SourcedToken> out;
  for (size_t i = 0; i < tokens.size(); ++i) {
    const std::string b = BareWord(tokens[i].text);
    const std::string punct = TrailingPunctuation(tokens[i].text);
    size_t skip = kHesitations.count(b) ? 1 : 0;
    for (const auto& [w1, w2] : kPairs) {
      // Only a parenthetical "you know" ("we, you know, grew"), not "you know the answer".
      if (skip == 0 && b == w1 && i + 1 < tokens.size() && BareWord(tokens[i + 1].text) == w2 &&
          (TrailingPunctuation(tokens[i + 1].text) == "," ||
           (i > 0 && TrailingPunctuation(tokens[i - 1].text) == ","))) {
        skip = 2;
      }
    }
    if (skip == 0) {
      out.push_back(tokens[i]);
      continue;
    }
    // Keep sentence-ending punctuation the filler carried ("we grew, um." -> "we grew.").
    const std::string tail = TrailingPunctuation(tokens[i + skip - 1].text);
    if (!out.empty() && (tail == "." || tail == "?" || tail == "!")) {
      out.back().text = TrimTrailingPunctuation(out.back().text) + tail;
    }
    i += skip - 1;
  }
  return out;
}

std::vector<std::string> NumbersToFigures(const std::vector<std::string>& tokens) {
  std::vector<SourcedToken> sourced;
  for (const auto& t : tokens) sourced.push_back({t, 0, 0});
  return TokenTexts(NumbersToFigures(sourced));
}

std::vector<SourcedToken> NumbersToFigures(const std::vector<SourcedToken>& input) {
  const std::vector<SourcedToken> tokens = SplitHyphenatedNumbers(input);
  const std::vector<std::string> texts = TokenTexts(tokens);
  std::vector<SourcedToken> out;
  auto emit = [&](std::string text, size_t from, size_t to) {  // tokens [from, to)
    out.push_back({std::move(text), tokens[from].first, tokens[to - 1].last});
  };
  for (size_t i = 0; i < tokens.size();) {
    const std::string b = BareWord(texts[i]);
    if (const auto year = ParseYear(texts, i)) {
      const size_t end = i + year->second;
      emit(std::to_string(year->first) + TrailingPunctuation(texts[end - 1]), i, end);
      i = end;
      continue;
    }
    const bool starts = IsNumberWord(b) || b == "a" || b == "half";
    auto num = starts ? ParseNumber(texts, i) : std::nullopt;
    if (!num || num->consumed == 0 || ((b == "a" || b == "half") && !num->has_scale)) {
      emit(texts[i], i, i + 1);
      ++i;
      continue;
    }
    size_t end = i + num->consumed;
    std::string punct = TrailingPunctuation(texts[end - 1]);
    const std::string next = end < texts.size() ? BareWord(texts[end]) : "";
    std::string figure;
    if (punct.empty() && (next == "percent" || next == "per")) {
      const bool per_cent =
          next == "per" && end + 1 < texts.size() && BareWord(texts[end + 1]) == "cent";
      if (next == "percent" || per_cent) {
        end += per_cent ? 2 : 1;
        punct = TrailingPunctuation(texts[end - 1]);
        figure = Trimmed(num->value) + "%";
      }
    }
    if (figure.empty() && punct.empty() &&
        (next == "dollars" || next == "dollar" || next == "bucks")) {
      ++end;
      punct = TrailingPunctuation(texts[end - 1]);
      figure = "$" + Compact(num->value, true);
    }
    if (figure.empty()) {
      if (num->value < 10 && !num->has_scale && num->consumed == 1) {
        emit(texts[i], i, i + 1);  // "one", "two": words read better than digits
        ++i;
        continue;
      }
      figure = Compact(num->value, false);
    }
    emit(figure + punct, i, end);
    i = end;
  }
  return out;
}

std::string TitleCase(const std::string& s) {
  static const std::set<std::string> kSmall = {"a",  "an", "the", "and",  "or", "of", "to",
                                               "in", "on", "for", "with", "by", "at"};
  auto tokens = SplitTokens(s);
  for (size_t i = 0; i < tokens.size(); ++i) {
    if (i == 0 || !kSmall.count(BareWord(tokens[i]))) tokens[i] = CapitalizeFirst(tokens[i]);
  }
  return JoinTokens(tokens);
}

std::string TrimTrailingPunctuation(std::string s) {
  while (!s.empty() && (s.back() == '.' || s.back() == ',' || s.back() == ';' || s.back() == ':' ||
                        s.back() == '!' || s.back() == '?' || s.back() == ' '))
    s.pop_back();
  return s;
}

}  // namespace presgen

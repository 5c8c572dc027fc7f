#include "deck/deck_titles.h"

#include <algorithm>
#include <map>

#include "deck/text_tools.h"

namespace presgen {
namespace {

std::string Stem(const std::string& bare) { return bare.substr(0, 6); }

bool Matches(const std::vector<std::string>& tokens, size_t i,
             const std::vector<std::string>& phrase) {
  if (i + phrase.size() > tokens.size()) return false;
  for (size_t k = 0; k < phrase.size(); ++k)
    if (BareWord(tokens[i + k]) != phrase[k]) return false;
  return true;
}

// Up to three name words after tokens[i]: stops at stop words and punctuation.
std::string NameAt(const std::vector<std::string>& tokens, size_t i) {
  std::vector<std::string> name;
  for (size_t j = i; j < tokens.size() && name.size() < 3; ++j) {
    const auto b = BareWord(tokens[j]);
    if ((IsStopWord(b) && !(name.empty() && b == "the")) || b.empty()) break;
    if (b != "the") name.push_back(TrimTrailingPunctuation(tokens[j]));
    if (tokens[j].back() == '.' || tokens[j].back() == ',') break;
  }
  return TitleCase(JoinTokens(name));
}

std::string RoleOf(const std::vector<std::string>& tokens) {
  std::vector<std::string> roles;
  for (const auto& t : tokens) {
    const auto b = BareWord(t);
    std::string role;
    if (b == "cofounder" || t.find("co-founder") != std::string::npos) role = "Co-founder";
    else if (b == "founder") role = "Founder";
    else if (b == "ceo" || b == "cto" || b == "coo" || b == "cfo") role = b;
    if (role.size() == 3) std::transform(role.begin(), role.end(), role.begin(), ::toupper);
    if (!role.empty() && std::find(roles.begin(), roles.end(), role) == roles.end())
      roles.push_back(role);
  }
  std::string out;
  for (const auto& r : roles) out += (out.empty() ? "" : " & ") + r;
  return out;
}

}  // namespace

SpeakerIntro FindSpeakerIntro(const std::vector<Segment>& sentences, size_t max_sentences) {
  static const std::vector<std::vector<std::string>> kCompanyLeads = {
      {"founder", "of"}, {"ceo", "of"}, {"welcome", "to"}, {"founders", "of"},
      {"here", "from"},  {"cofounder", "of"}, {"co-founder", "of"}, {"founded"}};
  SpeakerIntro intro;
  for (size_t s = 0; s < sentences.size() && s < max_sentences; ++s) {
    const auto tokens = SplitTokens(sentences[s].text);
    bool said = false;
    for (size_t i = 0; i < tokens.size(); ++i) {
      if (intro.speaker.empty() && Matches(tokens, i, {"my", "name", "is"})) {
        intro.speaker = NameAt(tokens, i + 3);
        said |= !intro.speaker.empty();
      }
      for (const auto& lead : kCompanyLeads) {
        if (intro.company.empty() && Matches(tokens, i, lead)) {
          intro.company = NameAt(tokens, i + lead.size());
          said |= !intro.company.empty();
        }
      }
    }
    if (said) {
      intro.sentence = static_cast<int>(s);
      if (intro.role.empty()) intro.role = RoleOf(tokens);
    }
  }
  return intro;
}

std::string IntroSubtitle(const SpeakerIntro& intro) {
  if (!intro.speaker.empty() && !intro.role.empty()) return intro.speaker + ", " + intro.role;
  return intro.speaker.empty() ? intro.role : intro.speaker;
}

TalkNames NamesOf(const SpeakerIntro& intro) {
  TalkNames names;
  for (const auto& w : SplitTokens(intro.company + " " + intro.speaker)) names.insert(BareWord(w));
  return names;
}

std::string KeywordTitle(const std::vector<Segment>& group, const std::vector<Segment>& talk,
                         int max_words) {
  std::map<std::string, double> talk_weight;  // repeated words are the talk's topic
  for (const auto& s : talk)
    for (const auto& t : SplitTokens(s.text))
      if (const auto b = BareWord(t); !IsStopWord(b) && b.size() > 2) talk_weight[Stem(b)] += 1;
  std::map<std::string, double> score;
  std::map<std::string, std::pair<size_t, std::string>> first;  // stem -> (position, word)
  size_t pos = 0;
  for (const auto& s : group) {
    for (const auto& t : NumbersToFigures(SplitTokens(s.text))) {
      const auto b = BareWord(t);
      ++pos;
      if (IsStopWord(b) || b.size() <= 2) continue;
      score[Stem(b)] += talk_weight.count(Stem(b)) ? talk_weight.at(Stem(b)) : 1;
      first.try_emplace(Stem(b), pos, TrimTrailingPunctuation(t));
    }
  }
  std::vector<std::pair<double, std::string>> ranked;
  for (const auto& [stem, sc] : score) ranked.push_back({sc, stem});
  std::sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  });
  const size_t n = std::min<size_t>(ranked.size(), std::min(3, max_words));
  std::vector<std::pair<size_t, std::string>> picked;
  for (size_t i = 0; i < n; ++i) picked.push_back(first.at(ranked[i].second));
  std::sort(picked.begin(), picked.end());
  std::vector<std::string> words;
  for (const auto& p : picked) words.push_back(p.second);
  return words.empty() ? "Overview" : TitleCase(JoinTokens(words));
}

}  // namespace presgen

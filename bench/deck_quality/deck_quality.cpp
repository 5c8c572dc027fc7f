// Scores renders of the deck-quality corpus against their truth and prints the table of
// bench/deck_quality/run.sh (per recording and overall, each figure against its target).
//
//   deck_quality [--json OUT.json] [--markdown OUT.md] [--label TEXT] [--summarize]
//                [--wer NAME=REFERENCE.txt=HYPOTHESIS] ... TRUTH.json=WORKDIR ...
//
// TRUTH.json is make_corpus.py's NAME.json, WORKDIR the render's workdir (transcript.json,
// deck.json). --wer scores another transcript (a transcript.json, or plain text such as
// the PocketSphinx command line's output) against a reference text. --summarize makes each
// deck anew from the transcript with the extractive summariser's defaults (a quick loop
// while working on the summariser) instead of reading deck.json.
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "asr/wer.h"
#include "bench/deck_quality/deck_score.h"
#include "core/json_io.h"
#include "deck/summarizer.h"

namespace {

using nlohmann::json;
using presgen::bench::DeckScore;

std::string ReadText(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A transcript.json's words, or a text file as it is.
std::string HypothesisText(const std::string& path) {
  if (path.size() > 5 && path.substr(path.size() - 5) == ".json") {
    auto t = presgen::ReadJsonFile(path);
    if (!t.ok()) return "";
    std::string text;
    for (const auto& s : (*t)["segments"])
      for (const auto& w : s["words"]) text += w.value("word", "") + " ";
    return text;
  }
  return ReadText(path);
}

std::vector<std::string> Split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  for (std::string part; std::getline(ss, part, sep);) out.push_back(part);
  return out;
}

double Pct(int n, int d) { return d > 0 ? 100.0 * n / d : 0.0; }

struct Totals {
  double wer_errors = 0;
  int ref_words = 0, initial = 0, initial_lost = 0, facts = 0, found = 0, slides = 0, titles = 0,
      words = 0, unsaid = 0, bullets = 0, dangling = 0, starts = 0, starts_off = 0;
  double worst_offset = 0;
  void Add(const DeckScore& s) {
    wer_errors += s.wer * s.ref_words;
    ref_words += s.ref_words;
    initial += s.initial_words;
    initial_lost += s.initial_words_lost;
    facts += s.facts;
    found += s.facts_found;
    slides += s.slides;
    titles += s.titles_right;
    words += s.slide_words;
    unsaid += s.unsaid_words;
    bullets += s.bullets;
    dangling += s.dangling_bullets;
    starts += s.starts;
    starts_off += s.starts_late_or_early;
    worst_offset = std::max(worst_offset, s.worst_start_offset_s);
  }
  double wer() const { return ref_words > 0 ? 100 * wer_errors / ref_words : 0; }
};

}  // namespace

int main(int argc, char** argv) {
  std::string json_out, markdown_out, label = "presgen";
  bool summarize = false;
  std::vector<std::pair<std::string, std::string>> cases;
  std::vector<std::vector<std::string>> wers;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--json" && i + 1 < argc) {
      json_out = argv[++i];
    } else if (a == "--markdown" && i + 1 < argc) {
      markdown_out = argv[++i];
    } else if (a == "--summarize") {
      summarize = true;
    } else if (a == "--label" && i + 1 < argc) {
      label = argv[++i];
    } else if (a == "--wer" && i + 1 < argc) {
      auto parts = Split(argv[++i], '=');
      if (parts.size() != 3) return std::fprintf(stderr, "bad --wer %s\n", argv[i]), 2;
      wers.push_back(parts);
    } else if (a.find('=') != std::string::npos) {
      cases.emplace_back(a.substr(0, a.find('=')), a.substr(a.find('=') + 1));
    } else {
      std::fprintf(stderr, "usage: deck_quality [--json F] [--markdown F] [--label T] "
                           "[--wer NAME=REF=HYP]... TRUTH.json=WORKDIR...\n");
      return 2;
    }
  }
  std::ostringstream md;
  md << "| recording | WER | first words lost | key facts | titles right | unsaid slide words | "
        "dangling bullets | slide starts off (worst) |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n";
  json rows = json::array();
  Totals all;
  for (const auto& [truth_path, workdir] : cases) {
    auto truth = presgen::bench::ReadPitchTruth(truth_path);
    auto transcript_json = presgen::ReadJsonFile(workdir + "/transcript.json");
    auto deck_json = summarize ? presgen::Result<json>(json::object())
                               : presgen::ReadJsonFile(workdir + "/deck.json");
    if (!truth.ok() || !transcript_json.ok() || !deck_json.ok()) {
      std::fprintf(stderr, "deck_quality: cannot read %s or %s\n", truth_path.c_str(), workdir.c_str());
      return 1;
    }
    const auto transcript = transcript_json->get<presgen::Transcript>();
    presgen::Deck deck;
    if (summarize) {
      auto made = presgen::SummarizeExtractive(transcript, transcript.duration_s,
                                               presgen::DefaultSummarizerParams());
      if (!made.ok()) {
        std::fprintf(stderr, "deck_quality: %s: %s\n", workdir.c_str(), made.status().ToString().c_str());
        return 1;
      }
      deck = std::move(made).value();
    } else {
      deck = deck_json->get<presgen::Deck>();
    }
    const DeckScore s = presgen::bench::ScoreDeck(*truth, transcript, deck);
    all.Add(s);
    const std::string name = workdir.substr(workdir.find_last_of('/') + 1);
    char row[512];
    std::snprintf(row, sizeof row, "| %s | %.1f%% | %d/%d | %d/%d | %d/%d | %d/%d | %d/%d | %d/%d (%.2f s) |\n",
                  name.c_str(), 100 * s.wer, s.initial_words_lost, s.initial_words, s.facts_found,
                  s.facts, s.titles_right, s.slides, s.unsaid_words, s.slide_words,
                  s.dangling_bullets, s.bullets, s.starts_late_or_early, s.starts,
                  s.worst_start_offset_s);
    md << row;
    json j = s.ToJson();
    j["name"] = name;
    j["slides_text"] = json::array();
    for (const auto& slide : deck.slides) {
      std::string text = slide.title + (slide.subtitle.empty() ? "" : " / " + slide.subtitle);
      char at[32];
      std::snprintf(at, sizeof at, "%.2f ", slide.start_s);
      for (const auto& b : slide.bullets) text += " | " + b;
      j["slides_text"].push_back(at + text);
    }
    rows.push_back(j);
  }
  json summary = {
      {"label", label},
      {"recordings", cases.size()},
      {"wer_pct", all.wer()},
      {"initial_words_lost", all.initial_lost},
      {"initial_words", all.initial},
      {"key_fact_recall_pct", Pct(all.found, all.facts)},
      {"titles_right_pct", Pct(all.titles, all.slides)},
      {"unsaid_words_pct", Pct(all.unsaid, all.words)},
      {"dangling_bullets", all.dangling},
      {"bullets", all.bullets},
      {"slide_starts_off", all.starts_off},
      {"slide_starts", all.starts},
      {"worst_start_offset_s", all.worst_offset}};
  std::ostringstream totals;
  char line[1024];
  std::snprintf(line, sizeof line,
                "\n| overall (%zu recordings) | value | target |\n| --- | ---: | --- |\n"
                "| WER over the synthetic corpus | %.1f%% | ≤ 12%% |\n"
                "| first words of sentences after a pause lost | %d of %d | 0 |\n"
                "| key-fact recall | %.1f%% (%d of %d) | ≥ 85%% |\n"
                "| section titles right | %.1f%% (%d of %d slides) | ≥ 80%% |\n"
                "| slide words never said | %.1f%% (%d of %d) | ≤ 3%% |\n"
                "| bullets opening with a dangling word | %d of %d | 0 |\n"
                "| slides starting > 0.5 s from their section | %d of %d (worst %.2f s) | 0 |\n",
                cases.size(), all.wer(), all.initial_lost, all.initial, Pct(all.found, all.facts),
                all.found, all.facts, Pct(all.titles, all.slides), all.titles, all.slides,
                Pct(all.unsaid, all.words), all.unsaid, all.words, all.dangling, all.bullets,
                all.starts_off, all.starts, all.worst_offset);
  totals << line;
  json wer_rows = json::array();
  if (!wers.empty()) totals << "\n| transcript | WER | words |\n| --- | ---: | ---: |\n";
  for (const auto& w : wers) {
    const std::string ref = ReadText(w[1]);
    const double wer = presgen::WordErrorRate(ref, HypothesisText(w[2]));
    const size_t n = presgen::NormalizeWords(ref).size();
    std::snprintf(line, sizeof line, "| %s | %.1f%% | %zu |\n", w[0].c_str(), 100 * wer, n);
    totals << line;
    wer_rows.push_back({{"name", w[0]}, {"wer_pct", 100 * wer}, {"words", n}});
  }
  summary["wer"] = wer_rows;
  std::printf("%s%s", md.str().c_str(), totals.str().c_str());
  if (!markdown_out.empty()) std::ofstream(markdown_out) << md.str() << totals.str();
  if (!json_out.empty()) std::ofstream(json_out) << json{{"summary", summary}, {"rows", rows}}.dump(1);
  return 0;
}

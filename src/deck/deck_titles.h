// Titles for a deck: the company and speaker an opening names, or a topic's keywords.
// (Section titles of pitches: pitch_sections.h.)
#pragma once

#include <string>
#include <vector>

#include "core/types.h"
#include "deck/bullet_writer.h"  // TalkNames

namespace presgen {

// Who opens the talk: "my name is anna and I am the founder of green box" ->
// {company "Green Box", speaker "Anna", role "Founder", sentence 0}.
struct SpeakerIntro {
  std::string company;   // title-cased; empty if not said
  std::string speaker;   // capitalised; empty if not said
  std::string role;      // "Founder", "Co-founder", "CEO", "Founder & CEO", ...
  int sentence = -1;     // index of the last sentence that introduced them, -1 if none
};

// Looks at the first `max_sentences` sentences only.
SpeakerIntro FindSpeakerIntro(const std::vector<Segment>& sentences, size_t max_sentences = 3);

// "Anna, Founder", "Anna", "Founder" or "".
std::string IntroSubtitle(const SpeakerIntro& intro);

// Names to capitalise in bullets: the company's and the speaker's words.
TalkNames NamesOf(const SpeakerIntro& intro);

// The group's most weighted content words in the order they are spoken, at
// most min(3, max_words), title-cased; "Overview" if it has none.
std::string KeywordTitle(const std::vector<Segment>& group, const std::vector<Segment>& talk,
                         int max_words);

}  // namespace presgen

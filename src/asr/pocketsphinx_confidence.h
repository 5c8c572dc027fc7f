// Word confidence for PocketSphinx from the lattice of the utterance just decoded: the
// summed posterior of every lattice link that carries the same word through the middle of
// the word's time. (A word's own best-path posterior is split among the many links that
// differ only in their start and end frames, so on its own it says little.)
#pragma once

#include <pocketsphinx.h>

#include <string>
#include <vector>

namespace presgen {

class LatticeConfidence {
 public:
  // Reads the decoder's lattice; call after ps_end_utt() and ps_get_prob() (which computes
  // the posteriors). With no lattice every word gets confidence 1.
  explicit LatticeConfidence(ps_decoder_t* ps);

  // 0–1: how much of the lattice's probability mass says `baseword` at the middle frame
  // of [start_frame, end_frame].
  double Of(const std::string& baseword, int start_frame, int end_frame) const;

 private:
  struct Link {
    std::string word;
    int start_frame, end_frame;
    double posterior;
  };
  std::vector<Link> links_;
  bool have_lattice_ = false;
};

}  // namespace presgen

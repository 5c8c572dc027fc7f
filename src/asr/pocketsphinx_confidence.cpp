#include "asr/pocketsphinx_confidence.h"

#include <algorithm>

#include "asr/pocketsphinx_ptr.h"

namespace presgen {

LatticeConfidence::LatticeConfidence(ps_decoder_t* ps) {
  ps_lattice_t* dag = ps_get_lattice(ps);  // owned by the decoder
  if (dag == nullptr) return;
  have_lattice_ = true;
  logmath_t* lmath = ps_lattice_get_logmath(dag);
  for (PsLatnodeIterPtr nodes(ps_latnode_iter(dag)); nodes;) {
    ps_latnode_t* node = ps_latnode_iter_node(nodes.get());
    for (PsLatlinkIterPtr exits(ps_latnode_exits(node)); exits;) {
      ps_latlink_t* link = ps_latlink_iter_link(exits.get());
      int16 start = 0;
      const int end = ps_latlink_times(link, &start);
      int32 ascr = 0;
      const char* word = ps_latlink_baseword(dag, link);
      const double posterior = logmath_exp(lmath, ps_latlink_prob(dag, link, &ascr));
      if (word != nullptr) links_.push_back({word, start, end, posterior});
      exits.reset(ps_latlink_iter_next(exits.release()));
    }
    nodes.reset(ps_latnode_iter_next(nodes.release()));
  }
}

double LatticeConfidence::Of(const std::string& baseword, int start_frame, int end_frame) const {
  if (!have_lattice_) return 1;
  const int middle = (start_frame + end_frame) / 2;
  double sum = 0;
  for (const Link& l : links_) {
    if (l.start_frame <= middle && middle <= l.end_frame && l.word == baseword) sum += l.posterior;
  }
  return std::clamp(sum, 0.0, 1.0);
}

}  // namespace presgen

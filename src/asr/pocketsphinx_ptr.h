// RAII handles for PocketSphinx / SphinxBase C objects: one deleter and one
// unique_ptr alias per type. No raw ps_free / cmd_ln_free_r elsewhere.
#pragma once

#include <pocketsphinx.h>
#include <ps_lattice.h>

#include <memory>

namespace presgen {

struct PsDecoderDeleter {
  void operator()(ps_decoder_t* ps) const { ps_free(ps); }
};
struct CmdLnDeleter {
  void operator()(cmd_ln_t* config) const { cmd_ln_free_r(config); }
};
struct PsSegDeleter {
  void operator()(ps_seg_t* seg) const { ps_seg_free(seg); }
};

// Lattice iterators: *_iter_next() frees an iterator at its end and returns null, so these
// free only one left before its end.
struct PsLatnodeIterDeleter {
  void operator()(ps_latnode_iter_t* it) const { ps_latnode_iter_free(it); }
};
struct PsLatlinkIterDeleter {
  void operator()(ps_latlink_iter_t* it) const { ps_latlink_iter_free(it); }
};

using PsDecoderPtr = std::unique_ptr<ps_decoder_t, PsDecoderDeleter>;
using PsLatnodeIterPtr = std::unique_ptr<ps_latnode_iter_t, PsLatnodeIterDeleter>;
using PsLatlinkIterPtr = std::unique_ptr<ps_latlink_iter_t, PsLatlinkIterDeleter>;
using CmdLnPtr = std::unique_ptr<cmd_ln_t, CmdLnDeleter>;
using PsSegPtr = std::unique_ptr<ps_seg_t, PsSegDeleter>;

}  // namespace presgen

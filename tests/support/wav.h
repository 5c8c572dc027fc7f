// Minimal reader for the 16-bit PCM WAV files the fixtures and Debian's
// pocketsphinx-testdata ship; test-only (the product reads media via FFmpeg).
#pragma once

#include <cstdint>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "core/types.h"

namespace presgen::test {

// Mono float PCM (channels averaged); sample_rate 0 on any error.
inline PcmAudio ReadWav16(const std::string& path) {
  PcmAudio out;
  out.sample_rate = 0;
  std::ifstream in(path, std::ios::binary);
  std::vector<char> data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (data.size() < 12 || std::memcmp(data.data(), "RIFF", 4) || std::memcmp(data.data() + 8, "WAVE", 4))
    return out;
  int channels = 0, rate = 0, bits = 0;
  for (size_t pos = 12; pos + 8 <= data.size();) {
    uint32_t size = 0;
    std::memcpy(&size, data.data() + pos + 4, 4);
    const char* body = data.data() + pos + 8;
    const size_t avail = std::min<size_t>(size, data.size() - pos - 8);
    if (!std::memcmp(data.data() + pos, "fmt ", 4) && avail >= 16) {
      uint16_t ch = 0, b = 0;
      uint32_t r = 0;
      std::memcpy(&ch, body + 2, 2);
      std::memcpy(&r, body + 4, 4);
      std::memcpy(&b, body + 14, 2);
      channels = ch;
      rate = static_cast<int>(r);
      bits = b;
    } else if (!std::memcmp(data.data() + pos, "data", 4) && channels > 0 && bits == 16) {
      const size_t frames = avail / (2 * static_cast<size_t>(channels));
      out.samples.resize(frames);
      for (size_t i = 0; i < frames; ++i) {
        float sum = 0;
        for (int c = 0; c < channels; ++c) {
          int16_t v = 0;
          std::memcpy(&v, body + (i * channels + c) * 2, 2);
          sum += v / 32768.0f;
        }
        out.samples[i] = sum / channels;
      }
      out.sample_rate = rate;
      return out;
    }
    pos += 8 + size + (size & 1);
  }
  return out;
}

}  // namespace presgen::test

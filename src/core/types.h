// Value types that flow between stages. Every type here is serialisable
// (see json_io.h); the JSON field names are public contracts (DESIGN §4).
// All times are seconds from the start of the input's presentation timeline.
#pragma once

#include <functional>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace presgen {

struct MediaInfo {
  std::string path;
  std::string container;       // demuxer name, e.g. "mov,mp4,m4a,3gp,3g2,mj2"
  double duration_s = 0;
  bool has_video = false;
  std::string video_codec;
  int width = 0;               // coded size
  int height = 0;
  int rotation_deg = 0;        // clockwise rotation to apply for display: 0, 90, 180, 270
  int display_width = 0;       // size after rotation
  int display_height = 0;
  double fps = 0;
  std::string pixel_format;
  bool has_audio = false;
  std::string audio_codec;
  int sample_rate = 0;
  int channels = 0;
  // A cut recording (its header announces more than the file holds): the duration the
  // header announces, `duration_s` being the part that can be read. 0 for a whole file.
  double announced_duration_s = 0;
  bool truncated() const { return announced_duration_s > 0; }
};

// Mono float PCM in [-1, 1].
struct PcmAudio {
  int sample_rate = 16000;
  std::vector<float> samples;
  double duration_s() const {
    return sample_rate > 0 ? static_cast<double>(samples.size()) / sample_rate : 0.0;
  }
};

// 8-bit BGRA image, rows packed (stride = width * 4), opaque.
struct BgraImage {
  int width = 0;
  int height = 0;
  std::vector<unsigned char> pixels;
};

struct Word {
  double start_s = 0;
  double end_s = 0;
  std::string text;
  // How sure the engine is of this word, 0–1: PocketSphinx's word posterior, Whisper's
  // lowest token probability within the word. 1 when the engine gives no measure.
  double confidence = 1.0;
};

struct Segment {
  double start_s = 0;
  double end_s = 0;
  std::string text;
  std::vector<Word> words;
};

struct Transcript {
  std::string engine;
  std::string language = "en";
  double duration_s = 0;
  std::vector<Segment> segments;  // one segment per sentence, in time order
};

// The transcript words a bullet was made from: words [first_word, last_word] of
// transcript segment `segment`, spoken from start_s to end_s.
struct BulletSource {
  int segment = 0;     // index into Transcript::segments
  int first_word = 0;  // index into that segment's words, inclusive
  int last_word = 0;   // inclusive
  double start_s = 0;
  double end_s = 0;
};

struct Slide {
  int index = 0;
  std::string title;
  std::string subtitle;               // title slides only ("Anna, founder"); may be empty
  std::vector<std::string> bullets;
  std::vector<BulletSource> sources;  // one per bullet when the summariser made them;
                                      // empty for hand-written or edited text
  double start_s = 0;  // the slide's crossfade is centred here (slide 0 starts at 0)
  double end_s = 0;
};

struct Deck {
  std::string template_name = "professional_minimal";
  std::vector<Slide> slides;
};

struct Box {
  double x = 0, y = 0, w = 0, h = 0;  // pixels in display (upright) coordinates
  double cx() const { return x + w / 2; }
  double cy() const { return y + h / 2; }
  double area() const { return w * h; }
};

double IoU(const Box& a, const Box& b);

struct FaceSample {
  double t_s = 0;
  std::vector<Box> faces;  // largest first
};

struct CropKey {
  double t_s = 0;
  Box box;  // crop in display coordinates
};

struct FaceTrack {
  std::string detector;
  int frame_width = 0;   // display size the boxes refer to
  int frame_height = 0;
  double sample_fps = 0;
  // The picture inside letterbox / pillarbox bars, display pixels; w == 0 when
  // the picture fills the frame. Crops stay inside it.
  Box content;
  std::vector<FaceSample> samples;
  std::vector<CropKey> crop_path;  // what the compositor actually used, keyed by time
};

struct Degradation {
  std::string stage;
  std::string reason;
  std::string fallback;
};

// What one stage of a job used: the most memory the process held while it ran and its CPU
// time over its wall time (100 = one core busy; 200 = two).
struct StageResources {
  double peak_rss_mb = 0;
  double cpu_percent = 0;
};

struct Engines {
  std::string asr;
  std::string face;
  std::string summarizer;
  std::string slides;
};

struct JobResult {
  bool success = false;
  std::string output;
  std::string error;
  std::vector<Degradation> degraded;
  std::map<std::string, double> timings;  // stage -> seconds, plus "total"
  std::map<std::string, StageResources> resources;  // stage -> what it used (timed stages)
  double peak_rss_mb = 0;
  double cost_usd = 0;  // money spent on paid services (the LLM summariser); 0 when local
  std::vector<std::string> reused;  // stages whose cached result was used ("transcribe", "face")
  // Stage-cache look-ups made (stage -> "hit" | "miss"); only a re-render of an edited deck looks.
  std::map<std::string, std::string> cache;
  // What each engine behind a circuit breaker came to when the job called it (breaker
  // name -> worked); engines not called are absent (pipeline/circuit_breaker.h).
  std::map<std::string, bool> engine_outcomes;
  MediaInfo input;
  Engines engines;
};

// Callbacks every long stage accepts. Both may be empty. on_progress receives
// a fraction in [0, 1]; should_abort is polled and, when it returns true, the
// stage stops promptly with StatusCode::kCancelled. Called on the stage's thread.
struct StageCallbacks {
  std::function<void(double fraction)> on_progress;
  std::function<bool()> should_abort;

  void Progress(double f) const {
    if (on_progress) on_progress(f);
  }
  bool Aborted() const { return should_abort && should_abort(); }
};

}  // namespace presgen

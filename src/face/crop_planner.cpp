#include "face/crop_planner.h"

#include <algorithm>
#include <cmath>
#include <optional>

namespace presgen {
namespace {

double Median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::nth_element(v.begin(), v.begin() + v.size() / 2, v.end());
  return v[v.size() / 2];
}

// The speaker in each sample: the face closest to the previous choice when it is
// reasonably large, else the largest. Keeps the framing from flipping between people.
std::vector<std::optional<Box>> ChooseMainFace(const FaceTrack& track) {
  std::vector<std::optional<Box>> out;
  std::optional<Box> prev;
  for (const auto& s : track.samples) {
    if (s.faces.empty()) {
      out.push_back(std::nullopt);
      continue;
    }
    const Box& largest = s.faces.front();
    Box pick = largest;
    if (prev) {
      double best = -1;
      for (const Box& f : s.faces) {
        if (f.area() < 0.4 * largest.area()) continue;
        const double score = IoU(f, *prev) + f.area() / largest.area() * 0.1;
        if (score > best) {
          best = score;
          pick = f;
        }
      }
    }
    out.push_back(pick);
    prev = pick;
  }
  // A face seen in a single isolated sample is most likely a false detection.
  for (size_t i = 0; i < out.size(); ++i) {
    const bool before = i > 0 && out[i - 1];
    const bool after = i + 1 < out.size() && out[i + 1];
    if (out[i] && !before && !after && out.size() > 2) out[i].reset();
  }
  return out;
}

// Removes the part of each move smaller than the dead zone (a backlash filter):
// a still face gives a perfectly still crop; a real move is followed continuously.
void DeadZone(std::vector<double>& v, double zone) {
  if (v.empty()) return;
  double held = v.front();
  for (double& x : v) {
    if (x > held + zone) held = x - zone;
    if (x < held - zone) held = x + zone;
    x = held;
  }
}

void GaussianSmooth(std::vector<double>& v, double sigma_samples) {
  if (v.size() < 3 || sigma_samples <= 0) return;
  const int r = static_cast<int>(std::ceil(3 * sigma_samples));
  std::vector<double> w(2 * r + 1);
  for (int k = -r; k <= r; ++k) w[k + r] = std::exp(-0.5 * k * k / (sigma_samples * sigma_samples));
  std::vector<double> out(v.size());
  const int n = static_cast<int>(v.size());
  for (int i = 0; i < n; ++i) {
    double acc = 0, wsum = 0;
    for (int k = -r; k <= r; ++k) {
      const int j = std::clamp(i + k, 0, n - 1);  // edges: repeat the end value
      acc += v[j] * w[k + r];
      wsum += w[k + r];
    }
    out[i] = acc / wsum;
  }
  v.swap(out);
}

void MedianFilter(std::vector<double>& v, int radius) {
  if (static_cast<int>(v.size()) <= 2 * radius) return;
  std::vector<double> out(v.size());
  const int n = static_cast<int>(v.size());
  for (int i = 0; i < n; ++i) {
    std::vector<double> win;
    for (int k = -radius; k <= radius; ++k) win.push_back(v[std::clamp(i + k, 0, n - 1)]);
    out[i] = Median(win);
  }
  v.swap(out);
}

}  // namespace

CropPlan PlanCrop(const FaceTrack& track, double duration_s, const CropPlannerParams& p) {
  CropPlan plan;
  if (track.frame_width <= 0 || track.frame_height <= 0) return plan;
  // The area crops live in: the picture inside any letterbox / pillarbox bars.
  const bool boxed = track.content.w > 0 && track.content.h > 0;
  const double fx = boxed ? track.content.x : 0, fy = boxed ? track.content.y : 0;
  const double fw = boxed ? track.content.w : track.frame_width;
  const double fh = boxed ? track.content.h : track.frame_height;
  const auto main = ChooseMainFace(track);

  std::vector<double> face_heights;
  for (const auto& f : main) {
    if (f) face_heights.push_back(f->h);
  }
  plan.found_face = !face_heights.empty();

  // One crop size for the whole video: steady framing, no breathing zoom.
  const double min_crop_h = p.panel_height_px / p.max_upscale;
  double crop_h = p.crop_height_px > 0 ? p.crop_height_px
                 : plan.found_face   ? Median(face_heights) * p.face_to_crop_height
                                     : fh;
  crop_h = std::clamp(crop_h, std::min(min_crop_h, fh), fh);
  double crop_w = crop_h * p.panel_aspect;
  if (crop_w > fw) {
    crop_w = fw;
    crop_h = crop_w / p.panel_aspect;
  }
  // The centred fallback: horizontally centred, upper body (top-biased).
  const double default_cx = fx + fw / 2;
  const double default_cy = fy + std::min(fh - crop_h / 2, crop_h / 2 + (fh - crop_h) * 0.25);

  // Targets at the key rate: interpolate between samples, hold, then ease to centre.
  const double dt = 1.0 / p.key_rate_hz;
  const int n = std::max(2, static_cast<int>(std::ceil(duration_s / dt)) + 1);
  std::vector<double> tx(n, default_cx), ty(n, default_cy);
  struct Seen {
    double t, cx, cy;
  };
  std::vector<Seen> seen;
  for (size_t i = 0; i < main.size(); ++i) {
    if (!main[i]) continue;
    const Box& f = *main[i];
    const double eye_y = f.y + 0.42 * f.h;
    seen.push_back({track.samples[i].t_s, f.cx(), eye_y - p.eye_line * crop_h + crop_h / 2});
  }
  if (!seen.empty()) {
    size_t j = 0;
    for (int k = 0; k < n; ++k) {
      const double t = k * dt;
      while (j + 1 < seen.size() && seen[j + 1].t <= t) ++j;
      const Seen& a = seen[j];
      if (t <= seen.front().t) {  // before the first detection: use it
        tx[k] = seen.front().cx;
        ty[k] = seen.front().cy;
        continue;
      }
      const double sample_gap = 1.5 / std::max(0.5, track.sample_fps);
      if (j + 1 < seen.size() && seen[j + 1].t - a.t <= sample_gap + p.hold_s) {
        const Seen& b = seen[j + 1];
        const double gap = b.t - a.t;
        if (gap <= sample_gap) {  // consecutive detections: interpolate
          const double u = gap > 0 ? (t - a.t) / gap : 0;
          tx[k] = a.cx + (b.cx - a.cx) * u;
          ty[k] = a.cy + (b.cy - a.cy) * u;
          continue;
        }
      }
      // Face lost since a.t: hold, then ease towards the centred crop.
      const double lost = t - a.t;
      const double u = std::clamp((lost - p.hold_s) / p.ease_s, 0.0, 1.0);
      const double s = u * u * (3 - 2 * u);
      tx[k] = a.cx + (default_cx - a.cx) * s;
      ty[k] = a.cy + (default_cy - a.cy) * s;
    }
  }

  MedianFilter(tx, 2);
  MedianFilter(ty, 2);
  DeadZone(tx, p.dead_zone * crop_w);
  DeadZone(ty, p.dead_zone * crop_w);
  GaussianSmooth(tx, p.smooth_sigma_s / dt);
  GaussianSmooth(ty, p.smooth_sigma_s / dt);

  plan.keys.reserve(n);
  for (int k = 0; k < n; ++k) {
    Box b;
    b.w = crop_w;
    b.h = crop_h;
    b.x = std::clamp(tx[k] - crop_w / 2, fx, fx + fw - crop_w);
    b.y = std::clamp(ty[k] - crop_h / 2, fy, fy + fh - crop_h);
    plan.keys.push_back({std::min(k * dt, std::max(0.0, duration_s)), b});
  }
  return plan;
}

}  // namespace presgen

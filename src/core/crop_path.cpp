#include "core/crop_path.h"

#include <algorithm>

namespace presgen {

Box CropAt(const std::vector<CropKey>& keys, double t_s) {
  if (keys.empty()) return {};
  if (t_s <= keys.front().t_s) return keys.front().box;
  if (t_s >= keys.back().t_s) return keys.back().box;
  auto it = std::upper_bound(keys.begin(), keys.end(), t_s,
                             [](double t, const CropKey& k) { return t < k.t_s; });
  const CropKey& b = *it;
  const CropKey& a = *(it - 1);
  const double span = b.t_s - a.t_s;
  const double u = span > 0 ? (t_s - a.t_s) / span : 0;
  Box r;
  r.x = a.box.x + (b.box.x - a.box.x) * u;
  r.y = a.box.y + (b.box.y - a.box.y) * u;
  r.w = a.box.w + (b.box.w - a.box.w) * u;
  r.h = a.box.h + (b.box.h - a.box.h) * u;
  return r;
}

}  // namespace presgen

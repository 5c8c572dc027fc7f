#include "media/frame_ops.h"

#include <algorithm>
#include <cmath>
#include <cstring>

extern "C" {
#include <libavutil/imgutils.h>
#include <libavutil/pixdesc.h>
}

namespace presgen {
namespace {

int Even(int v) { return v & ~1; }

// sws_scale() reads four plane pointers and four strides for every image, whatever its
// pixel format: every array handed to it has this many entries, the unused ones zero.
constexpr int kSwsPlanes = 4;

// Plane formats we can crop by moving pointers: planar or semi-planar, 8+ bit,
// no palette, no bitstream packing.
bool CroppableByOffset(const AVPixFmtDescriptor* d) {
  if (!d) return false;
  if (d->flags & (AV_PIX_FMT_FLAG_PAL | AV_PIX_FMT_FLAG_BITSTREAM | AV_PIX_FMT_FLAG_HWACCEL)) {
    return false;
  }
  return true;
}

// Sets up colour conversion: the source's range (limited unless tagged full)
// and BT.709 output, limited range.
void SetColorspace(SwsContext* sws, bool src_full_range, bool dst_is_gray) {
  const int* coefs = sws_getCoefficients(SWS_CS_ITU709);
  sws_setColorspaceDetails(sws, coefs, src_full_range ? 1 : 0, coefs, dst_is_gray ? 1 : 0, 0,
                           1 << 16, 1 << 16);
}

bool IsFullRange(const AVFrame* f) {
  return f->color_range == AVCOL_RANGE_JPEG || f->format == AV_PIX_FMT_YUVJ420P ||
         f->format == AV_PIX_FMT_YUVJ422P || f->format == AV_PIX_FMT_YUVJ444P;
}

// Pointers to (x, y) in each plane of a frame with a croppable pixel format.
void OffsetPointers(const AVFrame* f, int x, int y, const uint8_t* out[4]) {
  const AVPixFmtDescriptor* d = av_pix_fmt_desc_get(static_cast<AVPixelFormat>(f->format));
  for (int p = 0; p < 4; ++p) out[p] = nullptr;
  for (int c = d->nb_components - 1; c >= 0; --c) {  // first component of a plane wins
    const AVComponentDescriptor& comp = d->comp[c];
    const bool chroma = !(d->flags & AV_PIX_FMT_FLAG_RGB) && (c == 1 || c == 2);
    const int px = chroma ? x >> d->log2_chroma_w : x;
    const int py = chroma ? y >> d->log2_chroma_h : y;
    out[comp.plane] = f->data[comp.plane] + static_cast<ptrdiff_t>(py) * f->linesize[comp.plane] +
                      static_cast<ptrdiff_t>(px) * comp.step;
  }
}

}  // namespace

PlaneRect FrameRegion(AVFrame* frame, int x, int y, int w, int h) {
  PlaneRect r;
  r.width = w;
  r.height = h;
  r.data[0] = frame->data[0] + static_cast<ptrdiff_t>(y) * frame->linesize[0] + x;
  for (int p = 1; p < 3; ++p) {
    r.data[p] = frame->data[p] + static_cast<ptrdiff_t>(y / 2) * frame->linesize[p] + x / 2;
  }
  for (int p = 0; p < 3; ++p) r.linesize[p] = frame->linesize[p];
  return r;
}

Result<Yuv420Image> BgraToYuv420(const BgraImage& image) {
  if (image.width <= 0 || image.height <= 0 || (image.width | image.height) & 1 ||
      image.pixels.size() < static_cast<size_t>(image.width) * image.height * 4) {
    return Status::InvalidInput("slide image must have an even size and BGRA pixels");
  }
  Yuv420Image out;
  out.width = image.width;
  out.height = image.height;
  out.y.resize(static_cast<size_t>(out.width) * out.height);
  out.u.resize(static_cast<size_t>(out.chroma_width()) * out.chroma_height());
  out.v.resize(out.u.size());
  SwsContextPtr sws(sws_getContext(image.width, image.height, AV_PIX_FMT_BGRA, out.width,
                                   out.height, AV_PIX_FMT_YUV420P,
                                   SWS_BICUBIC | SWS_ACCURATE_RND | SWS_FULL_CHR_H_INP, nullptr,
                                   nullptr, nullptr));
  if (!sws) return Status::Internal("cannot create a BGRA->YUV scaler");
  SetColorspace(sws.get(), /*src_full_range=*/true, /*dst_is_gray=*/false);
  const uint8_t* src[kSwsPlanes] = {image.pixels.data()};
  const int src_stride[kSwsPlanes] = {image.width * 4};
  uint8_t* dst[kSwsPlanes] = {out.y.data(), out.u.data(), out.v.data()};
  const int dst_stride[kSwsPlanes] = {out.width, out.chroma_width(), out.chroma_width()};
  sws_scale(sws.get(), src, src_stride, 0, image.height, dst, dst_stride);
  return out;
}

void CopyImage(const Yuv420Image& src, const PlaneRect& dst) {
  const uint8_t* planes[3] = {src.y.data(), src.u.data(), src.v.data()};
  for (int p = 0; p < 3; ++p) {
    const int w = p ? src.chroma_width() : src.width;
    const int h = p ? src.chroma_height() : src.height;
    for (int row = 0; row < h; ++row) {
      std::memcpy(dst.data[p] + static_cast<ptrdiff_t>(row) * dst.linesize[p],
                  planes[p] + static_cast<ptrdiff_t>(row) * w, w);
    }
  }
}

void BlendImages(const Yuv420Image& a, const Yuv420Image& b, double alpha, const PlaneRect& dst) {
  const int wb = std::clamp(static_cast<int>(std::lround(alpha * 256.0)), 0, 256);
  const int wa = 256 - wb;
  const uint8_t* pa[3] = {a.y.data(), a.u.data(), a.v.data()};
  const uint8_t* pb[3] = {b.y.data(), b.u.data(), b.v.data()};
  for (int p = 0; p < 3; ++p) {
    const int w = p ? a.chroma_width() : a.width;
    const int h = p ? a.chroma_height() : a.height;
    for (int row = 0; row < h; ++row) {
      const uint8_t* ra = pa[p] + static_cast<ptrdiff_t>(row) * w;
      const uint8_t* rb = pb[p] + static_cast<ptrdiff_t>(row) * w;
      uint8_t* out = dst.data[p] + static_cast<ptrdiff_t>(row) * dst.linesize[p];
      for (int x = 0; x < w; ++x) out[x] = static_cast<uint8_t>((ra[x] * wa + rb[x] * wb + 128) >> 8);
    }
  }
}

CropRect DisplayBoxToCoded(const Box& box, int coded_w, int coded_h, int rotation_deg) {
  const bool swap = rotation_deg == 90 || rotation_deg == 270;
  const int disp_w = swap ? coded_h : coded_w;
  const int disp_h = swap ? coded_w : coded_h;
  // Clamp in display space first.
  double w = std::clamp(box.w, 2.0, static_cast<double>(disp_w));
  double h = std::clamp(box.h, 2.0, static_cast<double>(disp_h));
  double x = std::clamp(box.x, 0.0, disp_w - w);
  double y = std::clamp(box.y, 0.0, disp_h - h);
  double cx = x, cy = y, cw = w, ch = h;
  switch (rotation_deg) {
    case 90:  // display (x', y') shows coded (y', H - 1 - x')
      cx = y;
      cy = coded_h - x - w;
      cw = h;
      ch = w;
      break;
    case 180:
      cx = coded_w - x - w;
      cy = coded_h - y - h;
      break;
    case 270:  // display (x', y') shows coded (W - 1 - y', x')
      cx = coded_w - y - h;
      cy = x;
      cw = h;
      ch = w;
      break;
    default: break;
  }
  CropRect r;
  r.x = Even(static_cast<int>(std::lround(cx)));
  r.y = Even(static_cast<int>(std::lround(cy)));
  r.w = std::max(2, Even(static_cast<int>(std::lround(cw))));
  r.h = std::max(2, Even(static_cast<int>(std::lround(ch))));
  r.w = std::min(r.w, Even(coded_w - r.x));
  r.h = std::min(r.h, Even(coded_h - r.y));
  return r;
}

void RotatePlane(const uint8_t* src, int src_stride, int sw, int sh, int rotation_deg,
                 uint8_t* dst, int dst_stride) {
  switch (rotation_deg) {
    case 90:  // dst is sh x sw; dst(x, y) = src(y, sh - 1 - x)
      for (int y = 0; y < sw; ++y) {
        uint8_t* out = dst + static_cast<ptrdiff_t>(y) * dst_stride;
        for (int x = 0; x < sh; ++x) out[x] = src[static_cast<ptrdiff_t>(sh - 1 - x) * src_stride + y];
      }
      break;
    case 270:  // dst(x, y) = src(sw - 1 - y, x)
      for (int y = 0; y < sw; ++y) {
        uint8_t* out = dst + static_cast<ptrdiff_t>(y) * dst_stride;
        for (int x = 0; x < sh; ++x) out[x] = src[static_cast<ptrdiff_t>(x) * src_stride + sw - 1 - y];
      }
      break;
    case 180:
      for (int y = 0; y < sh; ++y) {
        const uint8_t* in = src + static_cast<ptrdiff_t>(sh - 1 - y) * src_stride;
        uint8_t* out = dst + static_cast<ptrdiff_t>(y) * dst_stride;
        for (int x = 0; x < sw; ++x) out[x] = in[sw - 1 - x];
      }
      break;
    default:
      for (int y = 0; y < sh; ++y) {
        std::memcpy(dst + static_cast<ptrdiff_t>(y) * dst_stride,
                    src + static_cast<ptrdiff_t>(y) * src_stride, sw);
      }
  }
}

Status CropScaler::Run(const AVFrame* src, const CropRect& crop, int rotation_deg,
                       const PlaneRect& dst) {
  const AVFrame* in = src;
  if (!CroppableByOffset(av_pix_fmt_desc_get(static_cast<AVPixelFormat>(src->format)))) {
    // Rare formats (palette, bitstream): convert the whole frame once to 4:2:0.
    if (!converted_ || converted_->width != src->width || converted_->height != src->height) {
      converted_ = MakeFrame();
      converted_->format = AV_PIX_FMT_YUV420P;
      converted_->width = src->width;
      converted_->height = src->height;
      if (av_frame_get_buffer(converted_.get(), 0) < 0) return Status::Internal("out of memory");
    }
    SwsContext* c = sws_getCachedContext(convert_sws_.release(), src->width, src->height,
                                         static_cast<AVPixelFormat>(src->format), src->width,
                                         src->height, AV_PIX_FMT_YUV420P, SWS_POINT, nullptr,
                                         nullptr, nullptr);
    convert_sws_.reset(c);
    if (!c) return Status::Internal("cannot convert the frame's pixel format");
    sws_scale(c, src->data, src->linesize, 0, src->height, converted_->data, converted_->linesize);
    in = converted_.get();
  }
  const bool swap = rotation_deg == 90 || rotation_deg == 270;
  const int tw = swap ? dst.height : dst.width;
  const int th = swap ? dst.width : dst.height;
  SwsContext* c = sws_getCachedContext(sws_.release(), crop.w, crop.h,
                                       static_cast<AVPixelFormat>(in->format), tw, th,
                                       AV_PIX_FMT_YUV420P, SWS_BILINEAR, nullptr, nullptr, nullptr);
  const bool new_context = c != sws_.get();
  sws_.reset(c);
  if (!c) return Status::Internal("cannot create the crop scaler");
  const int range = IsFullRange(in) ? 1 : 0;
  if (new_context || range != sws_src_range_) {
    SetColorspace(c, range == 1, false);
    sws_src_range_ = range;
  }
  const uint8_t* planes[kSwsPlanes];
  OffsetPointers(in, crop.x, crop.y, planes);
  if (rotation_deg == 0) {
    sws_scale(c, planes, in->linesize, 0, crop.h, dst.data, dst.linesize);
    return Status::Ok();
  }
  if (scratch_.width != tw || scratch_.height != th) {
    scratch_.width = tw;
    scratch_.height = th;
    scratch_.y.resize(static_cast<size_t>(tw) * th);
    scratch_.u.resize(static_cast<size_t>(scratch_.chroma_width()) * scratch_.chroma_height());
    scratch_.v.resize(scratch_.u.size());
  }
  uint8_t* sp[kSwsPlanes] = {scratch_.y.data(), scratch_.u.data(), scratch_.v.data()};
  const int ss[kSwsPlanes] = {tw, scratch_.chroma_width(), scratch_.chroma_width()};
  sws_scale(c, planes, in->linesize, 0, crop.h, sp, ss);
  for (int p = 0; p < 3; ++p) {
    const int w = p ? scratch_.chroma_width() : tw;
    const int h = p ? scratch_.chroma_height() : th;
    RotatePlane(sp[p], ss[p], w, h, rotation_deg, dst.data[p], dst.linesize[p]);
  }
  return Status::Ok();
}

Status GrayScaler::Run(const AVFrame* src, int rotation_deg, int out_w, int out_h,
                       std::vector<uint8_t>* out) {
  const bool swap = rotation_deg == 90 || rotation_deg == 270;
  const int tw = swap ? out_h : out_w;
  const int th = swap ? out_w : out_h;
  SwsContext* c = sws_getCachedContext(sws_.release(), src->width, src->height,
                                       static_cast<AVPixelFormat>(src->format), tw, th,
                                       AV_PIX_FMT_GRAY8, SWS_AREA, nullptr, nullptr, nullptr);
  sws_.reset(c);
  if (!c) return Status::Internal("cannot create the analysis scaler");
  out->resize(static_cast<size_t>(out_w) * out_h);
  if (rotation_deg == 0) {
    uint8_t* dst[kSwsPlanes] = {out->data()};
    const int ds[kSwsPlanes] = {out_w};
    sws_scale(c, src->data, src->linesize, 0, src->height, dst, ds);
    return Status::Ok();
  }
  scratch_.resize(static_cast<size_t>(tw) * th);
  uint8_t* dst[kSwsPlanes] = {scratch_.data()};
  const int ds[kSwsPlanes] = {tw};
  sws_scale(c, src->data, src->linesize, 0, src->height, dst, ds);
  RotatePlane(scratch_.data(), tw, tw, th, rotation_deg, out->data(), out_w);
  return Status::Ok();
}

}  // namespace presgen

#!/usr/bin/env bash
# Makes a benchmark input: a camera-like clip (sensor-like noise, H.264 High at a
# camera's bitrate, AAC) of the real face photo drifting, speaking the festival pitch
# over and over.
#   bench/make_input.sh OUTDIR [SECONDS [WxH [FPS [BITRATE]]]]
#     -> OUTDIR/pitch_<SECONDS>s_<H>p<FPS>.mp4 (default: 180 s, 1920x1080, 60 fps, 14M)
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
out="${1:?usage: make_input.sh OUTDIR [SECONDS [WxH [FPS [BITRATE]]]]}"
dur="${2:-180}"
size="${3:-1920x1080}"
fps="${4:-60}"
rate="${5:-14M}"
w="${size%x*}"
h="${size#*x}"
mkdir -p "$out"
clip="$out/pitch_${dur}s_${h}p${fps}.mp4"
[ -f "$clip" ] && { echo "$clip"; exit 0; }
[ -f "$out/pitch.wav" ] || python3 "$here/tests/fixtures/make_fixtures.py" "$out" --only pitch >/dev/null
face=/usr/lib/python3/dist-packages/skimage/data/astronaut.png
face_px=$(( h * 5 / 6 ))                 # the photo is a head-and-shoulders shot
x0=$(( (w - face_px) / 2 ))
drift=$(( w / 16 ))
loops=$(( dur / 36 + 1 ))                # pitch.wav is about 36 s
ffmpeg -v error -y -stream_loop "$loops" -i "$out/pitch.wav" \
  -filter_complex "color=c=0x2b3440:s=${w}x${h}:r=$fps:d=$dur[bg];\
movie=$face,scale=$face_px:$face_px,loop=-1:1:0,setpts=N/$fps/TB[face];\
[bg][face]overlay=x='$x0+$drift*sin(t/4)':y=$(( h / 18 )):shortest=1:eof_action=endall,\
noise=alls=8:allf=t,format=yuv420p[v]" \
  -map "[v]" -map 0:a -c:v libx264 -preset veryfast -profile:v high -b:v "$rate" \
  -maxrate "$rate" -bufsize "$rate" -g "$fps" -c:a aac -b:a 128k -t "$dur" \
  -movflags +faststart "$out/.partial.mp4"
mv "$out/.partial.mp4" "$clip"
echo "$clip"

#!/usr/bin/env bash
# Makes the benchmark input: a 3-minute 1080p60 camera-like clip (~14 Mbit/s H.264
# High, AAC) of the real face photo drifting, speaking the festival pitch five times.
#   bench/make_input.sh OUTDIR        -> OUTDIR/pitch_3min_1080p60.mp4
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
out="${1:?usage: make_input.sh OUTDIR}"
mkdir -p "$out"
clip="$out/pitch_3min_1080p60.mp4"
[ -f "$clip" ] && { echo "$clip"; exit 0; }
[ -f "$out/pitch.wav" ] || python3 "$here/tests/fixtures/make_fixtures.py" "$out" --only pitch >/dev/null
face=/usr/lib/python3/dist-packages/skimage/data/astronaut.png
dur=180
ffmpeg -v error -y -stream_loop 4 -i "$out/pitch.wav" \
  -filter_complex "color=c=0x2b3440:s=1920x1080:r=60:d=$dur[bg];\
movie=$face,scale=900:900,loop=-1:1:0,setpts=N/60/TB[face];\
[bg][face]overlay=x='510+120*sin(t/4)':y=60:shortest=1:eof_action=endall,\
noise=alls=8:allf=t,format=yuv420p[v]" \
  -map "[v]" -map 0:a -c:v libx264 -preset veryfast -profile:v high -b:v 14M -maxrate 16M \
  -bufsize 28M -g 60 -c:a aac -b:a 128k -t $dur -movflags +faststart "$out/.partial.mp4"
mv "$out/.partial.mp4" "$clip"
echo "$clip"

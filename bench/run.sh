#!/usr/bin/env bash
# presgen's speed and memory, measured against a bare ffmpeg doing the same kind
# of work on the same input in the same run (DESIGN §5). Nothing here is a test:
# it prints ratios and writes build/bench/report.md.
#
#   bench/run.sh [BUILD_DIR]      (default: build; needs `make build` first)
#   BENCH_SKIP_WHISPER=1 bench/run.sh   skips the slow random-weight Whisper run
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
build="$(cd "${1:-$here/build}" && pwd)"
presgen="$build/src/cli/presgen"
work="$build/bench"
mkdir -p "$work"
report="$work/report.md"

echo "bench: preparing the 3-minute 1080p60 input (cached in $work)"
input="$(bash "$here/bench/make_input.sh" "$work")"
duration="$(ffprobe -v error -show_entries format=duration -of csv=p=0 "$input")"
slide="$work/slide.png"
[ -f "$slide" ] || ffmpeg -v error -y -f lavfi -i "color=c=white:s=640x720,format=rgb24" \
  -frames:v 1 "$slide"

# measure NAME CMD...: wall seconds and peak RSS (MB) of one command.
declare -A WALL RSS CPU
measure() {
  local name="$1"; shift
  local log="$work/$name.time"
  /usr/bin/time -f "%e %M %P" -o "$log" "$@" >"$work/$name.out" 2>"$work/$name.err" || {
    echo "bench: $name failed:"; tail -5 "$work/$name.err"; exit 1; }
  read -r WALL[$name] kb CPU[$name] < "$log"
  RSS[$name]=$(( kb / 1024 ))
  printf "bench: %-22s %7.1f s  %5d MB  %5s CPU\n" "$name" "${WALL[$name]}" "${RSS[$name]}" "${CPU[$name]}"
}

# The reference: what a bare ffmpeg needs for a split-screen of the same input
# (30 fps, 640x720 face crop | still 640x720 slide, x264 veryfast CRF 21, audio copy).
measure ffmpeg_split ffmpeg -v error -y -threads 0 -i "$input" -loop 1 -framerate 30 -i "$slide" \
  -filter_complex "[0:v]fps=30,crop=810:910:555:40,scale=640:720[l];[1:v]format=yuv420p[r];[l][r]hstack=inputs=2[v]" \
  -map "[v]" -map 0:a -c:v libx264 -preset veryfast -crf 21 -c:a copy -t "$duration" \
  "$work/ffmpeg_split.mp4"

# The stage cache lives with the bench (a re-render after an edit reads it).
export PRESGEN_CACHE_DIR="$work/cache"
rm -rf "$PRESGEN_CACHE_DIR"
measure presgen_render "$presgen" render "$input" -o "$work/presgen.mp4" --asr pocketsphinx --json -q
# A deck edit, then the re-render: transcript and face track come from the cache.
python3 - "$work/presgen.presgen/deck.json" "$work/edited_deck.json" <<'PY'
import json, sys
deck = json.load(open(sys.argv[1]))
deck["slides"][0]["title"] = "Edited for the bench"
json.dump(deck, open(sys.argv[2], "w"))
PY
measure presgen_rerender "$presgen" render "$input" -o "$work/presgen_edited.mp4" \
  --asr pocketsphinx --deck "$work/edited_deck.json" --json -q
measure transcribe_sphinx "$presgen" transcribe "$input" --asr pocketsphinx -o "$work/sphinx.json" -q

model="$work/random-base.en.bin"
if [ "${BENCH_SKIP_WHISPER:-0}" = 1 ]; then  # the random-weight run takes 4-7 minutes
  WALL[transcribe_whisper]=0 RSS[transcribe_whisper]=0 CPU[transcribe_whisper]=-
  : > "$work/transcribe_whisper.err"
else
  [ -f "$model" ] || "$build/bench/write_whisper_model" "$model" base.en
  measure transcribe_whisper "$presgen" transcribe "$input" --asr whisper --asr-model "$model" \
    -o "$work/whisper.json" -v
fi
# whisper.cpp's own timings (logged with -v): the encoder's cost per 30 s window is real.
encode="$(grep -o 'encode time = *[0-9.]* ms / *[0-9]* runs' "$work/transcribe_whisper.err" | tail -1 |
  awk '{printf "%.2f s per 30 s window (%d windows)", $4 / $7 / 1000, $7}')"

result="$work/presgen.presgen/result.json"
stage() { python3 -c "import json,sys; print(json.load(open('$result'))['timings'].get('$1', 0))"; }
ratio() { python3 -c "print(f'{$1 / $2:.2f}')"; }
face_s="$(stage face)"
{
  echo "# presgen bench — $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores"
  echo
  echo "Input: $(basename "$input"), ${duration%.*} s, 1920x1080 60 fps ~14 Mbit/s H.264 + AAC."
  echo
  echo "| run | wall s | peak MB | CPU | ratio |"
  echo "| --- | ---: | ---: | ---: | --- |"
  echo "| bare ffmpeg split-screen (reference) | ${WALL[ffmpeg_split]} | ${RSS[ffmpeg_split]} | ${CPU[ffmpeg_split]} | 1.00 |"
  echo "| presgen render (pocketsphinx) | ${WALL[presgen_render]} | ${RSS[presgen_render]} | ${CPU[presgen_render]} | $(ratio "${WALL[presgen_render]}" "${WALL[ffmpeg_split]}") x ffmpeg (target <= 1.4) |"
  echo "| presgen re-render after a deck edit | ${WALL[presgen_rerender]} | ${RSS[presgen_rerender]} | ${CPU[presgen_rerender]} | $(ratio "${WALL[presgen_rerender]}" "${WALL[ffmpeg_split]}") x ffmpeg (target <= 1.1) |"
  echo "| presgen transcribe, PocketSphinx | ${WALL[transcribe_sphinx]} | ${RSS[transcribe_sphinx]} | ${CPU[transcribe_sphinx]} | RTF $(ratio "${WALL[transcribe_sphinx]}" "$duration") |"
  echo "| presgen transcribe, whisper base.en dims (random weights) | ${WALL[transcribe_whisper]} | ${RSS[transcribe_whisper]} | ${CPU[transcribe_whisper]} | RTF $(ratio "${WALL[transcribe_whisper]}" "$duration") |"
  echo
  echo "Render stages (s): $(python3 -c "import json; t=json.load(open('$result'))['timings']; print(', '.join(f'{k} {v:.1f}' for k, v in t.items()))")"
  echo
  echo "Face tracking: ${face_s} s wall = $(python3 -c "print(f'{100 * $face_s / $duration:.1f}')") % of the input's duration (target <= 5 %)."
  echo
  echo "Whisper runs on random weights with base.en's dimensions: the encoder's cost is real"
  echo "(${encode:-not logged}), the decoder's depends on how many tokens the random model emits"
  echo "(with temperature fallbacks on garbage), so the whole run's RTF is an upper bound only."
} > "$report"
echo
cat "$report"

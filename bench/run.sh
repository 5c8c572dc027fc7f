#!/usr/bin/env bash
# presgen's speed and memory, measured against a bare ffmpeg doing the same kind of work
# on the same input in the same run (DESIGN §5). Nothing here is a test: it prints
# ratios and writes bench/results.json and build/bench/report.md.
#
#   bench/run.sh [BUILD_DIR]              (default: build; needs `make build` first)
#   BENCH_CLIPS="180:1920x1080:60" ...    only these clips (SECONDS:WxH:FPS, space separated)
#   BENCH_SKIP_WHISPER=1 ...              skip the slow random-weight Whisper run
#
# For each clip (1, 2 and 3 minutes at 720p30, 1080p30 and 1080p60, camera-like):
#   - a bare ffmpeg split-screen transcode (30 fps, face-sized crop scaled to 640x720 on
#     the left, a still 640x720 image on the right, x264 veryfast CRF 21, audio copied);
#   - presgen render (PocketSphinx, the default engines otherwise);
#   - presgen re-render after a deck edit (transcript and face track from the stage cache);
# with wall seconds, peak RSS and average CPU of each. On the 3-minute 1080p60 clip also
# the transcription engines alone.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
build="$(cd "${1:-$here/build}" && pwd)"
presgen="$build/src/cli/presgen"
work="$build/bench"
mkdir -p "$work"
report="$work/report.md"
results="$here/bench/results.json"
rows="$work/rows.jsonl"
: > "$rows"
clips="${BENCH_CLIPS:-60:1280x720:30 120:1280x720:30 180:1280x720:30 \
60:1920x1080:30 120:1920x1080:30 180:1920x1080:30 \
60:1920x1080:60 120:1920x1080:60 180:1920x1080:60}"

slide="$work/slide.png"
[ -f "$slide" ] || ffmpeg -v error -y -f lavfi -i "color=c=white:s=640x720,format=rgb24" \
  -frames:v 1 "$slide"
export PRESGEN_CACHE_DIR="$work/cache"  # the re-render reads what the render kept

# measure NAME CMD...: wall seconds, peak RSS (MB) and average CPU of one command.
declare -A WALL RSS CPU
measure() {
  local name="$1"; shift
  local log="$work/$name.time"
  /usr/bin/time -f "%e %M %P" -o "$log" "$@" >"$work/$name.out" 2>"$work/$name.err" || {
    echo "bench: $name failed:"; tail -5 "$work/$name.err"; exit 1; }
  read -r WALL[$name] kb CPU[$name] < "$log"
  RSS[$name]=$(( kb / 1024 ))
  printf "bench: %-32s %7.1f s  %5d MB  %5s CPU\n" "$name" "${WALL[$name]}" "${RSS[$name]}" \
    "${CPU[$name]}"
}

for spec in $clips; do
  IFS=: read -r dur size fps <<< "$spec"
  h="${size#*x}"
  rate=8M; [ "$h" -ge 1080 ] && rate=10M; [ "$fps" -ge 50 ] && rate=14M
  echo "bench: clip ${dur} s ${size} ${fps} fps ${rate}bit/s"
  input="$(bash "$here/bench/make_input.sh" "$work" "$dur" "$size" "$fps" "$rate")"
  tag="${dur}s_${h}p${fps}"
  duration="$(ffprobe -v error -show_entries format=duration -of csv=p=0 "$input")"
  # A face-sized crop (0.84 of the height, 8:9) around the face, as presgen's would be.
  ch=$(( h * 84 / 100 / 2 * 2 )); cw=$(( ch * 8 / 9 / 2 * 2 ))
  cx=$(( (${size%x*} - cw) / 2 )); cy=$(( h / 27 ))
  measure "ffmpeg_$tag" ffmpeg -v error -y -threads 0 -i "$input" -loop 1 -framerate 30 \
    -i "$slide" -filter_complex \
    "[0:v]fps=30,crop=$cw:$ch:$cx:$cy,scale=640:720[l];[1:v]format=yuv420p[r];[l][r]hstack=inputs=2[v]" \
    -map "[v]" -map 0:a -c:v libx264 -preset veryfast -crf 21 -c:a copy -t "$duration" \
    "$work/ffmpeg_$tag.mp4"
  rm -rf "$PRESGEN_CACHE_DIR"
  measure "render_$tag" "$presgen" render "$input" -o "$work/render_$tag.mp4" \
    --asr pocketsphinx --json -q
  python3 - "$work/render_$tag.presgen/deck.json" "$work/edited_$tag.json" <<'PY'
import json, sys
deck = json.load(open(sys.argv[1]))
deck["slides"][0]["title"] = "Edited for the bench"
json.dump(deck, open(sys.argv[2], "w"))
PY
  measure "rerender_$tag" "$presgen" render "$input" -o "$work/rerender_$tag.mp4" \
    --asr pocketsphinx --deck "$work/edited_$tag.json" --json -q
  python3 - "$rows" "$tag" "$dur" "$size" "$fps" "$rate" \
    "${WALL[ffmpeg_$tag]}" "${RSS[ffmpeg_$tag]}" "${CPU[ffmpeg_$tag]}" \
    "${WALL[render_$tag]}" "${RSS[render_$tag]}" "${CPU[render_$tag]}" \
    "${WALL[rerender_$tag]}" "${RSS[rerender_$tag]}" "${CPU[rerender_$tag]}" \
    "$work/render_$tag.presgen/result.json" "$work/rerender_$tag.presgen/result.json" <<'PY'
import json, sys
(rows, tag, dur, size, fps, rate, fw, fr, fc, pw, pr, pc, rw, rr, rc, res, reres) = sys.argv[1:]
run = lambda w, r, c: {"seconds": float(w), "peak_rss_mb": int(r), "cpu_percent": int(c.rstrip("%"))}
row = {"clip": tag, "duration_s": int(dur), "size": size, "fps": int(fps), "bitrate": rate,
       "ffmpeg": run(fw, fr, fc), "render": run(pw, pr, pc), "rerender": run(rw, rr, rc)}
row["render"]["stages"] = json.load(open(res))["timings"]
row["rerender"]["stages"] = json.load(open(reres))["timings"]
row["rerender"]["reused"] = json.load(open(reres))["reused"]
row["render_ratio"] = round(float(pw) / float(fw), 3)
row["rerender_ratio"] = round(float(rw) / float(fw), 3)
open(rows, "a").write(json.dumps(row) + "\n")
PY
  last_input="$input"
  last_tag="$tag"
done

# The engines alone, on the last (by default the 3-minute 1080p60) clip.
measure transcribe_sphinx "$presgen" transcribe "$last_input" --asr pocketsphinx \
  -o "$work/sphinx.json" -q
model="$work/random-base.en.bin"
encode=""
if [ "${BENCH_SKIP_WHISPER:-0}" != 1 ]; then  # the random-weight run takes 4-7 minutes
  [ -f "$model" ] || "$build/bench/write_whisper_model" "$model" base.en
  measure transcribe_whisper "$presgen" transcribe "$last_input" --asr whisper \
    --asr-model "$model" -o "$work/whisper.json" -v
  # whisper.cpp's own timings (logged with -v): the encoder's cost per 30 s window is real.
  encode="$(grep -o 'encode time = *[0-9.]* ms / *[0-9]* runs' "$work/transcribe_whisper.err" |
    tail -1 | awk '{printf "%.2f", $4 / $7 / 1000}')"
fi

python3 - "$rows" "$results" "$report" "$last_tag" "$(nproc)" \
  "${WALL[transcribe_sphinx]}" "${WALL[transcribe_whisper]:-0}" "${encode:-0}" <<'PY'
import datetime, json, sys
rows_path, results_path, report_path, last_tag, cores, sphinx_s, whisper_s, encode_s = sys.argv[1:]
rows = [json.loads(line) for line in open(rows_path)]
by = {r["clip"]: r for r in rows}
linear = {}
for r in rows:
    one = by.get(f"60s_{r['clip'].split('_', 1)[1]}")
    if r["duration_s"] == 180 and one:
        linear[r["clip"].split("_", 1)[1]] = round(r["render"]["seconds"] / one["render"]["seconds"], 2)
last = by[last_tag]
summary = {
    "date": datetime.datetime.utcnow().strftime("%Y-%m-%dT%H:%MZ"), "cores": int(cores),
    "targets": {"render_ratio_3min_1080p": 1.4, "rerender_ratio": 1.1, "peak_rss_mb": 600,
                "linearity_3min_over_1min": 3.3},
    "worst_render_ratio_3min_1080p": max((r["render_ratio"] for r in rows
                                          if r["duration_s"] == 180 and "1080p" in r["clip"]),
                                         default=None),
    "worst_rerender_ratio": max(r["rerender_ratio"] for r in rows),
    "max_peak_rss_mb": max(max(r["render"]["peak_rss_mb"], r["rerender"]["peak_rss_mb"])
                           for r in rows),
    "linearity_3min_over_1min": linear,
    "transcribe_pocketsphinx_rtf": round(float(sphinx_s) / last["duration_s"], 3),
    "whisper_encoder_s_per_window_random_weights": float(encode_s) or None,
}
json.dump({"summary": summary, "runs": rows}, open(results_path, "w"), indent=1)
lines = [f"# presgen bench — {summary['date']}, {cores} cores", "",
         "| clip | ffmpeg s | render s | ratio | re-render s | ratio | render MB | render CPU |",
         "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
for r in rows:
    lines.append(f"| {r['clip']} | {r['ffmpeg']['seconds']:.1f} | {r['render']['seconds']:.1f} | "
                 f"{r['render_ratio']:.2f} | {r['rerender']['seconds']:.1f} | "
                 f"{r['rerender_ratio']:.2f} | {r['render']['peak_rss_mb']} | "
                 f"{r['render']['cpu_percent']}% |")
lines += ["", "Targets: 3-minute 1080p render <= 1.4x ffmpeg, re-render <= 1.1x, peak RSS <= 600 MB, "
          "3-minute / 1-minute render time <= 3.3.", "",
          f"Worst 3-minute 1080p render ratio: {summary['worst_render_ratio_3min_1080p']}; "
          f"worst re-render ratio: {summary['worst_rerender_ratio']}; "
          f"max peak RSS: {summary['max_peak_rss_mb']} MB; 3-min/1-min: {linear}.", "",
          f"Stages of the {last_tag} render (s): " +
          ", ".join(f"{k} {v:.1f}" for k, v in last["render"]["stages"].items()), "",
          f"PocketSphinx alone on {last_tag}: {float(sphinx_s):.1f} s (RTF "
          f"{summary['transcribe_pocketsphinx_rtf']}).",
          f"Whisper encoder (base.en dimensions, random weights): {encode_s} s per 30 s window "
          "(0 = not run)."]
open(report_path, "w").write("\n".join(lines) + "\n")
print("\n".join(lines))
PY
echo "bench: wrote $results and $report"

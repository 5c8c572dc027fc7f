#!/usr/bin/env bash
# Seed corpora for the fuzz targets, from the generated fixtures (nothing binary is
# committed): small media files of every container the fixtures have, decks and options
# written here.  Usage: make_corpus.sh FIXTURES_DIR OUT_DIR
set -euo pipefail
fixtures=$1
out=$2
mkdir -p "$out"/{fuzz_media_front,fuzz_deck,fuzz_job_options,fuzz_subtitles,fuzz_upload}
# Media: the fixtures under 1 MB, and the first 64 KB of the larger ones (cut files).
for f in "$fixtures"/*; do
  [ -f "$f" ] || continue
  case "$f" in *.json|*.txt|*.wav) continue ;; esac
  name=$(basename "$f")
  if [ "$(stat -c %s "$f")" -lt 1048576 ]; then
    cp "$f" "$out/fuzz_media_front/$name"
  else
    head -c 65536 "$f" > "$out/fuzz_media_front/head-$name"
  fi
done
cat > "$out/fuzz_deck/deck.json" <<'JSON'
{"template": "professional_minimal", "slides": [
  {"index": 0, "title": "Green Box", "subtitle": "Anna Lee, founder", "bullets": [], "start": 0, "end": 4.5},
  {"index": 1, "title": "The Problem", "bullets": ["40% of food is thrown away", "Margins suffer"],
   "sources": [{"segment": 1, "first_word": 0, "last_word": 5, "start": 4.6, "end": 7.0}], "start": 4.5, "end": 12},
  {"index": 2, "title": "Traction", "bullets": ["12 restaurants", "$10K a month"], "start": 12, "end": 30}]}
JSON
echo '{"slides": [{"title": "Only", "start": 0}]}' > "$out/fuzz_deck/minimal.json"
echo '{"review":true,"size":"640x360","template":"dark","max_slides":4,"max_bullets":2}' > "$out/fuzz_job_options/full.json"
echo '{"title_slide":"off","brand_color":"#FF8800","asr":"pocketsphinx","summarizer":"extractive"}' > "$out/fuzz_job_options/more.json"
echo '{}' > "$out/fuzz_job_options/empty.json"
printf 'seed' > "$out/fuzz_subtitles/seed"
# Upload bodies (fuzz_upload): the first byte picks the framing (odd: chunked), the rest is
# multipart/form-data with the boundary the target announces.
multipart() {  # FRAMING_BYTE FILE_CONTENT [OPTIONS]
  printf '%s' "$1"
  printf -- '--presgenFuzzBoundary\r\nContent-Disposition: form-data; name="file"; filename="pitch.mp4"\r\n'
  printf 'Content-Type: video/mp4\r\n\r\n%s\r\n' "$2"
  if [ -n "${3:-}" ]; then
    printf -- '--presgenFuzzBoundary\r\nContent-Disposition: form-data; name="options"\r\n\r\n%s\r\n' "$3"
  fi
  printf -- '--presgenFuzzBoundary--\r\n'
}
multipart A 'not really a video' > "$out/fuzz_upload/file-only"
multipart '%' 'ftypisom....moov' '{"review":true,"template":"dark"}' > "$out/fuzz_upload/file-options-chunked"
multipart B '' > "$out/fuzz_upload/empty-file"
printf 'A--presgenFuzzBoundary\r\nContent-Disposition: form-data; name="other"\r\n\r\nx\r\n--presgenFuzzBoundary--\r\n' > "$out/fuzz_upload/no-file"

#!/usr/bin/env bash
# Deck quality: renders the spoken pitch corpus (make_corpus.py: 10 pitches x 4
# recordings, 6 voices, 2 rates, dry and room) and the LibriVox readings through
# `presgen render` from MP4/AAC, and scores transcript and slides against the truth
# (deck_quality). Nothing here is a test; tests/e2e/deck_quality_e2e_test.cpp holds two
# pitches to the targets in CI.
#
#   bench/deck_quality/run.sh [BUILD_DIR]     (default: build; needs `make build` first)
#   DQ_ONLY=01_shelfwise,02_clinicly ...       only these pitches
#   DQ_LABEL=after ...                         the label in the results
#   DQ_EXTRA="--asr whisper" ...               more render options
#   DQ_PRESGEN=/other/build/src/cli/presgen    render with another build (a before/after
#                                              comparison on the same corpus)
#   DQ_OUT=build/deck_quality/before           where renders and results go
# Writes build/deck_quality/{report.md,results.json} (or DQ_OUT's); the corpus is kept in
# build/deck_quality/corpus (delete it to speak it again).
set -euo pipefail
here="$(cd "$(dirname "$0")/../.." && pwd)"
build="$(cd "${1:-$here/build}" && pwd)"
presgen="${DQ_PRESGEN:-$build/src/cli/presgen}"
tool="$build/bench/deck_quality"
corpus="$build/deck_quality/corpus"
work="${DQ_OUT:-$build/deck_quality}"
renders="$work/renders"
mkdir -p "$corpus" "$renders"

only=()
[ -n "${DQ_ONLY:-}" ] && only=(--only "$DQ_ONLY")
if ! ls "$corpus"/*.mp4 >/dev/null 2>&1; then
  echo "deck_quality: speaking the corpus into $corpus"
  python3 "$here/bench/deck_quality/make_corpus.py" "$corpus" "${only[@]}"
fi

cases=()
start=$(date +%s)
for mp4 in "$corpus"/*.mp4; do
  name="$(basename "$mp4" .mp4)"
  if [ -n "${DQ_ONLY:-}" ] && [[ ",$DQ_ONLY," != *",${name%%__*},"* ]]; then continue; fi
  # shellcheck disable=SC2086
  "$presgen" render "$mp4" -o "$renders/$name.mp4" --workdir "$renders/$name" --size 640x360 \
    --asr pocketsphinx --no-cache -q ${DQ_EXTRA:-} || { echo "deck_quality: $name failed"; exit 1; }
  cases+=("$corpus/$name.json=$renders/$name")
  echo "deck_quality: rendered $name"
done

# LibriVox (real human speech): presgen's render against the PocketSphinx command line on
# the same audio (the MP4's AAC decoded to 16 kHz WAV), and on the original WAVs.
fixtures="$build/fixtures"
[ -f "$fixtures/librivox.mp4" ] || python3 "$here/tests/fixtures/make_fixtures.py" "$fixtures"
wers=()
for lv in librivox librivox_room; do
  "$presgen" render "$fixtures/$lv.mp4" -o "$renders/$lv.mp4" --workdir "$renders/$lv" \
    --size 640x360 --asr pocketsphinx --no-cache -q
  ffmpeg -nostdin -v error -y -i "$fixtures/$lv.mp4" -ac 1 -ar 16000 "$work/$lv.wav"
  pocketsphinx_continuous -infile "$work/$lv.wav" -logfn /dev/null > "$work/$lv.cli.txt"
  wers+=(--wer "$lv.mp4 presgen render=$fixtures/librivox.txt=$renders/$lv/transcript.json"
         --wer "$lv.mp4 PocketSphinx CLI (same audio)=$fixtures/librivox.txt=$work/$lv.cli.txt")
done
: > "$work/librivox_wavs.cli.txt"
for f in $(sed 's/$/.wav/' /usr/share/pocketsphinx/test/data/librivox/fileids); do
  pocketsphinx_continuous -infile "/usr/share/pocketsphinx/test/data/librivox/$(basename "$f")" \
    -logfn /dev/null >> "$work/librivox_wavs.cli.txt"
done
wers+=(--wer "original WAVs, PocketSphinx CLI=$fixtures/librivox.txt=$work/librivox_wavs.cli.txt")

"$tool" --label "${DQ_LABEL:-presgen}" --json "$work/results.json" --markdown "$work/report.md" \
  "${wers[@]}" "${cases[@]}"
echo "deck_quality: $(( $(date +%s) - start )) s; wrote $work/report.md and $work/results.json"

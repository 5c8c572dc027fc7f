#!/usr/bin/env bash
# Makes a short talking-head clip from Debian-packaged assets (a real face photo
# and a synthetic voice reading tests/fixtures/pitch.txt), renders it, and
# prints where the result is and how long each stage took.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
build="${BUILD:-$here/build}"
out="$here/demo"
mkdir -p "$out"
echo "demo: making the sample clip (festival voice + astronaut photo)..."
python3 "$here/tests/fixtures/make_fixtures.py" "$out" --only pitch
echo "demo: rendering $out/pitch.mp4"
"$build/src/cli/presgen" render "$out/pitch.mp4" -o "$out/pitch_deck.mp4"
echo
echo "demo: output  $out/pitch_deck.mp4"
echo "demo: artifacts in $out/pitch_deck.presgen/ (result.json, deck.json, slides/, deck.pdf, transcript.*)"

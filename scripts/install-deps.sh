#!/usr/bin/env bash
# Installs the Debian packages presgen needs to build, test and run — only the
# missing ones. Nothing is downloaded from anywhere but Debian's apt.
set -euo pipefail

PACKAGES=(
  # toolchain; openssl checks the whisper.cpp source tarball (scripts/fetch-whisper-src.sh)
  g++ make cmake pkg-config python3 openssl
  # media: FFmpeg libraries (libx264 inside) and the CLI used only to make test fixtures
  libavformat-dev libavcodec-dev libavutil-dev libswscale-dev libswresample-dev ffmpeg
  # faces
  libopencv-dev opencv-data
  # speech
  libpocketsphinx-dev libsphinxbase-dev pocketsphinx-en-us pocketsphinx-testdata
  # slides; fonts-wqy-microhei (5 MB) gives CJK and Hangul glyphs through fontconfig's
  # fallback (fonts-noto-cjk would be ~90 MB); Inter covers Latin, Cyrillic and Greek
  libcairo2-dev libpango1.0-dev fonts-inter fonts-wqy-microhei
  # the optional HTML/CSS slide renderer (--slides-renderer html) runs headless Chromium
  chromium
  # code libraries
  nlohmann-json3-dev libspdlog-dev libcli11-dev libgtest-dev
  # HTTP(S) client for the optional LLM summariser (compiled library, OpenSSL enabled);
  # OpenSSL's libcrypto also hashes inputs for the stage cache
  libcpp-httplib-dev libssl-dev
  # `presgen serve`: the job store (SQLite by default; PostgreSQL's libpq for
  # --store postgresql://, and its server for the tests, which start a temporary cluster)
  libsqlite3-dev libpq-dev postgresql-15
  # the browser test reads the edited slide back with OCR (node + playwright-core from npm
  # drive Debian's chromium: scripts/install-node-deps.sh)
  tesseract-ocr tesseract-ocr-eng
  # the memory checks (tests/memcheck) run the media front and short renders under memcheck;
  # clang builds the libFuzzer targets and the ASan/UBSan run (make fuzz, make sanitize);
  # strace shows the hostile-media test which files and sockets a render touched
  valgrind clang strace
  # fixtures: a synthetic voice and a real face photo (skimage's astronaut.png)
  festival festvox-us-slt-hts python3-skimage
  # the deck-quality corpus (tests/e2e, bench/deck_quality): more voices, and PocketSphinx's
  # command line to compare against
  flite festvox-kallpc16k festvox-kdlpc16k pocketsphinx
)

# npm fetches the whisper.cpp source; the machine's own Node.js/npm is preferred.
command -v npm >/dev/null || PACKAGES+=(npm)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#PACKAGES[@]} packages present"
  exit 0
fi
echo "install-deps: installing ${missing[*]}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install-deps: done"

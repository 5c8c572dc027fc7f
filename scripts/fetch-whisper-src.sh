#!/usr/bin/env bash
# Puts whisper.cpp's source in third_party/whisper.cpp (ignored by git).
#
# No Debian 12 package carries whisper.cpp; its full source (v1.9.1) ships inside the
# npm package nodejs-whisper@0.3.1 at package/cpp/whisper.cpp. We fetch that tarball with
# the machine's npm, check it against the pinned integrity hash, and extract only that
# folder. Nothing else of the package is used, and nothing of it is committed.
set -euo pipefail

PACKAGE="nodejs-whisper@0.3.1"
INTEGRITY="sha512-ceoilUVraRuR5FnNyXpGQT2auAR48Oc3AQBEmkXnVpSn9iN6yVRzQBFCqVTGWbk6Wdi95NhvwXNzFvuR7erLWw=="
WHISPER_VERSION="1.9.1"

here="$(cd "$(dirname "$0")/.." && pwd)"
dest="$here/third_party/whisper.cpp"
stamp="$dest/.presgen-source"

if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$PACKAGE $INTEGRITY" ]; then
  echo "fetch-whisper-src: whisper.cpp $WHISPER_VERSION already in third_party/"
  exit 0
fi
if ! command -v npm >/dev/null; then
  echo "fetch-whisper-src: npm is required (apt-get install npm)" >&2
  exit 1
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
echo "fetch-whisper-src: npm pack $PACKAGE"
(cd "$tmp" && npm pack "$PACKAGE" --silent >/dev/null)
tarball="$(ls "$tmp"/*.tgz)"
actual="sha512-$(openssl dgst -sha512 -binary "$tarball" | base64 -w0)"
if [ "$actual" != "$INTEGRITY" ]; then
  echo "fetch-whisper-src: $tarball does not match the pinned integrity" >&2
  echo "  expected $INTEGRITY" >&2
  echo "  got      $actual" >&2
  exit 1
fi
tar -xzf "$tarball" -C "$tmp" package/cpp/whisper.cpp
version="$(sed -n 's/^project("whisper.cpp" VERSION \([0-9.]*\)).*/\1/p' \
  "$tmp/package/cpp/whisper.cpp/CMakeLists.txt")"
if [ "$version" != "$WHISPER_VERSION" ]; then
  echo "fetch-whisper-src: expected whisper.cpp $WHISPER_VERSION, the package has '$version'" >&2
  exit 1
fi
rm -rf "$dest"
mkdir -p "$(dirname "$dest")"
mv "$tmp/package/cpp/whisper.cpp" "$dest"
echo "$PACKAGE $INTEGRITY" > "$stamp"
echo "fetch-whisper-src: whisper.cpp $WHISPER_VERSION extracted to third_party/whisper.cpp"

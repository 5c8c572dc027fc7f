#!/usr/bin/env bash
# Downloads an official ggml Whisper model into models/ and verifies its SHA-1
# against the value whisper.cpp 1.9.1 publishes (models/README.md of its source).
# For users with internet; tests and CI never run it.
#
#   scripts/fetch-model.sh [MODEL]      MODEL defaults to base.en
#   scripts/fetch-model.sh --list
set -euo pipefail

declare -A SHA1=(
  [tiny]=bd577a113a864445d4c299885e0cb97d4ba92b5f
  [tiny.en]=c78c86eb1a8faa21b369bcd33207cc90d64ae9df
  [base]=465707469ff3a37a2b9b8d8f89f2f99de7299dac
  [base.en]=137c40403d78fd54d454da0f9bd998f78703390c
  [small]=55356645c2b361a969dfd0ef2c5a50d530afd8d5
  [small.en]=db8a495a91d927739e50b3fc1cc4c6b8f6c2d022
  [medium]=fd9727b6e1217c2f614f9b698455c4ffd82463b4
  [medium.en]=8c30f0e44ce9560643ebd10bbe50cd20eafd3723
  [large-v1]=b1caaf735c4cc1429223d5a74f0f4d0b9b59a299
  [large-v2]=0f4c8e34f21cf1a914c59d8b3ce882345ad349d6
  [large-v2-q5_0]=00e39f2196344e901b3a2bd5814807a769bd1630
  [large-v3]=ad82bf6a9043ceed055076d0fd39f5f186ff8062
  [large-v3-q5_0]=e6e2ed78495d403bef4b7cff42ef4aaadcfea8de
  [large-v3-turbo]=4af2b29d7ec73d781377bfd1758ca957a807e941
  [large-v3-turbo-q5_0]=e050f7970618a659205450ad97eb95a18d69c9ee
)
URL="https://huggingface.co/ggerganov/whisper.cpp/resolve/main"

model="${1:-base.en}"
if [ "$model" = "--list" ] || [ "$model" = "-h" ] || [ "$model" = "--help" ]; then
  echo "usage: $0 [MODEL]   (default base.en; base.en is what presgen looks for)"
  echo "models: $(printf '%s\n' "${!SHA1[@]}" | sort | tr '\n' ' ')"
  exit 0
fi
if [ -z "${SHA1[$model]:-}" ]; then
  echo "fetch-model: unknown model '$model' (see $0 --list)" >&2
  exit 2
fi

here="$(cd "$(dirname "$0")/.." && pwd)"
dest="$here/models/ggml-$model.bin"
mkdir -p "$here/models"
if [ -f "$dest" ] && [ "$(sha1sum "$dest" | cut -d' ' -f1)" = "${SHA1[$model]}" ]; then
  echo "fetch-model: $dest is already there and verified"
  exit 0
fi

part="$dest.part"
trap 'rm -f "$part"' EXIT
echo "fetch-model: downloading ggml-$model.bin from $URL"
if command -v curl >/dev/null; then
  curl -fL --retry 3 -o "$part" "$URL/ggml-$model.bin"
elif command -v wget >/dev/null; then
  wget -q --show-progress -O "$part" "$URL/ggml-$model.bin"
else
  echo "fetch-model: needs curl or wget" >&2
  exit 1
fi
actual="$(sha1sum "$part" | cut -d' ' -f1)"
if [ "$actual" != "${SHA1[$model]}" ]; then
  echo "fetch-model: checksum mismatch for ggml-$model.bin (expected ${SHA1[$model]}, got $actual)" >&2
  exit 1
fi
mv "$part" "$dest"
trap - EXIT
echo "fetch-model: $dest verified (sha1 $actual)"
if [ "$model" != "base.en" ]; then
  echo "fetch-model: use it with --asr-model $dest or PRESGEN_WHISPER_MODEL=$dest"
fi

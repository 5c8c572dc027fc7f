#!/usr/bin/env bash
# Installs the browser test's npm packages (tests/web: playwright-core, pinned in its
# package-lock.json) with the machine's npm. Only when tests/web/node_modules is missing or
# older than the lock file; node_modules is never committed. The browser itself is
# Debian's chromium (scripts/install-deps.sh): playwright-core downloads no browser.
set -euo pipefail

here="$(cd "$(dirname "$0")/.." && pwd)"
dir="$here/tests/web"
lock="$dir/package-lock.json"
stamp="$dir/node_modules/.package-lock.json"   # written by npm ci

if [ -f "$stamp" ] && [ ! "$lock" -nt "$stamp" ] && [ -d "$dir/node_modules/playwright-core" ]; then
  echo "install-node-deps: tests/web/node_modules is up to date"
  exit 0
fi
for tool in node npm; do
  if ! command -v "$tool" >/dev/null; then
    echo "install-node-deps: $tool is required (scripts/install-deps.sh, or apt-get install nodejs npm)" >&2
    exit 1
  fi
done
echo "install-node-deps: npm ci in tests/web"
if ! (cd "$dir" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error >/dev/null); then
  echo "install-node-deps: npm ci failed in $dir" >&2
  exit 1
fi
touch "$stamp"
echo "install-node-deps: done ($(node -p "require('$dir/node_modules/playwright-core/package.json').version" 2>/dev/null || echo '?'))"

#!/usr/bin/env bash
# Installs the npm packages of the Node tests with the machine's npm, each pinned in its
# package-lock.json: tests/web (playwright-core; the browser is Debian's chromium, installed
# by scripts/install-deps.sh — playwright-core downloads none) and tests/mcp (the MCP SDK
# clients). A folder is installed only when its node_modules is missing or older than its
# lock file; node_modules is never committed.
set -euo pipefail

here="$(cd "$(dirname "$0")/.." && pwd)"
for tool in node npm; do
  if ! command -v "$tool" >/dev/null; then
    echo "install-node-deps: $tool is required (scripts/install-deps.sh, or apt-get install nodejs npm)" >&2
    exit 1
  fi
done

# install DIR PACKAGE: npm ci in DIR unless DIR/node_modules/PACKAGE is current.
install() {
  local dir="$here/$1" package="$2"
  local lock="$dir/package-lock.json" stamp="$dir/node_modules/.package-lock.json"  # by npm ci
  if [ -f "$stamp" ] && [ ! "$lock" -nt "$stamp" ] && [ -d "$dir/node_modules/$package" ]; then
    echo "install-node-deps: $1/node_modules is up to date"
    return 0
  fi
  echo "install-node-deps: npm ci in $1"
  if ! (cd "$dir" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error >/dev/null); then
    echo "install-node-deps: npm ci failed in $dir" >&2
    exit 1
  fi
  touch "$stamp"
  echo "install-node-deps: $1: $package $(node -p "require('$dir/node_modules/$package/package.json').version" 2>/dev/null || echo '?')"
}

install tests/web playwright-core
install tests/mcp @modelcontextprotocol/sdk

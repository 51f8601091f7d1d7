#!/usr/bin/env bash
# setup.sh installs what bluebook's build and tests need beyond Go and gcc:
#   - ECharts from the npm registry, pinned by reports/package-lock.json (embedded in the binary);
#   - Debian's Chromium and a CJK font for the browser tests and `bluebook pdf`.
# It is idempotent and quick when everything is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -f reports/node_modules/echarts/dist/echarts.min.js ] || [ reports/package-lock.json -nt reports/node_modules/.package-lock.json ]; then
  echo "setup: installing ECharts from the npm registry (reports/package-lock.json)"
  npm ci --prefix reports --no-audit --no-fund --loglevel=error
fi

have_font() { [ -n "$(fc-list 2>/dev/null | grep -i 'wenquanyi\|wqy\|noto.*cjk')" ]; }  # no grep -q: with pipefail its early exit fails the pipe
if ! command -v chromium >/dev/null 2>&1 || ! have_font; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing chromium and fonts-wqy-zenhei with apt-get"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq chromium fonts-wqy-zenhei >/dev/null
  else
    echo "setup: chromium or a CJK font is missing; install them with: sudo apt-get install -y chromium fonts-wqy-zenhei" >&2
    echo "setup: (the browser tests are skipped without them, except under CI=true where they fail)" >&2
  fi
fi

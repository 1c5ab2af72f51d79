#!/usr/bin/env bash
# Chromium for server-side PNG export (kaleido) and the browser tests. Never fails set-up:
# Debian's package when root, else kaleido's own Chrome download, else one warning.
set -u
for candidate in chromium chromium-browser google-chrome google-chrome-stable; do
  if command -v "$candidate" >/dev/null 2>&1; then exit 0; fi
done
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing Debian's chromium for PNG export and browser tests"
  if { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; } >/tmp/flashpoint-apt.log 2>&1; then
    exit 0
  fi
  echo "warning: apt-get install chromium failed (see /tmp/flashpoint-apt.log)" >&2
fi
if .venv/bin/kaleido_get_chrome >/dev/null 2>&1 || .venv/bin/python -c "import kaleido; kaleido.get_chrome_sync()" >/dev/null 2>&1; then
  exit 0
fi
echo "warning: no Chrome/Chromium found: PNG export falls back to the chart toolbar's camera button, and browser tests will be skipped" >&2
exit 0

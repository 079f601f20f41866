#!/usr/bin/env bash
# Prints the absolute path of a Chromium for the HTML report's browser test:
# LBPLANNER_CHROMIUM, or chromium on PATH, else Debian's chromium package,
# installed here when this user may (root with apt-get), as CI does.
set -euo pipefail
if [ -n "${LBPLANNER_CHROMIUM:-}" ] && [ -x "$LBPLANNER_CHROMIUM" ]; then echo "$LBPLANNER_CHROMIUM"; exit 0; fi
for c in chromium chromium-browser; do
  if command -v "$c" >/dev/null 2>&1; then command -v "$c"; exit 0; fi
done
if command -v apt-get >/dev/null 2>&1; then
  as=""
  if [ "$(id -u)" != 0 ]; then as="sudo -n"; fi
  if [ -z "$as" ] || $as true 2>/dev/null; then
    echo "installing Debian's chromium for the HTML report's browser test (once)" >&2
    { $as apt-get update -qq && $as env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; } >&2
    command -v chromium && exit 0
  fi
fi
echo "no Chromium: install Debian's chromium package (apt-get install chromium), or set LBPLANNER_CHROMIUM" >&2
exit 1

#!/usr/bin/env bash
# Fetches the axe-core accessibility engine (npm: axe-core, MPL-2.0) that the
# browser tests (tools/browser) inject into every page, through the npm
# registry, into a cache directory (once; about 1.5 MB, not committed).
# Prints the path of axe.js (the readable build: the tests adapt one line of
# it, see tools/browser/pages_test.go) on stdout; the tests find it through
# $CAPTCHAIFY_AXE or the default cache path.
set -euo pipefail
version=4.14.1
cache="${CAPTCHAIFY_CACHE:-$HOME/.cache/captchaify}"
file="${CAPTCHAIFY_AXE:-$cache/axe-core-$version/axe.js}"
if [ ! -s "$file" ]; then
  command -v npm >/dev/null || { echo "fetch-axe: npm is required to fetch axe-core@$version" >&2; exit 1; }
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  echo "fetch-axe: fetching axe-core@$version" >&2
  (cd "$work" && npm pack --silent "axe-core@$version" >/dev/null)
  tar -xzf "$work"/*.tgz -C "$work"
  mkdir -p "$(dirname "$file")"
  mv "$work/package/axe.js" "$file.tmp"
  mv "$file.tmp" "$file"
fi
echo "$file"

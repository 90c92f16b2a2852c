#!/usr/bin/env bash
# Runs the captchaify demo: a real Traefik (built once by scripts/build-traefik.sh)
# with this repository installed as a local plugin, in front of a small sample site,
# at http://127.0.0.1:8080 (override with DEMO_ADDR). Ctrl-C stops everything.
# Extra arguments go to tools/cmd/demo (see -h), e.g. scripts/demo.sh -secret "$S".
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cache="${CAPTCHAIFY_CACHE:-$HOME/.cache/captchaify}"
command -v go >/dev/null || { echo "demo: Go is required (https://go.dev/dl/)" >&2; exit 1; }
traefik="${CAPTCHAIFY_TRAEFIK:-$(bash "$root/scripts/build-traefik.sh")}"
mkdir -p "$cache"
(cd "$root/tools" && go build -o "$cache/captchaify-demo" ./cmd/demo)
exec "$cache/captchaify-demo" -traefik "$traefik" -addr "${DEMO_ADDR:-127.0.0.1:8080}" \
  -workdir "$cache/demo" "$@"

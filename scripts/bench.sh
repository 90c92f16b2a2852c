#!/usr/bin/env bash
# Measures Captchaify (`make bench`): wrk through one real Traefik v3.6.12 on a bare
# route, a do-nothing Yaegi plugin, the plugin (verified client, allow route, text
# challenge pages) and Traefik's rateLimit; then per-operation timings of the plugin
# under Yaegi and compiled, and the steps of a verified request under Yaegi.
# Raw results go to bench-results/<timestamp>/ (bench-results/latest), the summary
# to stdout. Extra arguments go to the bench program, e.g.
#   ./scripts/bench.sh -rounds 2 -duration 5s      quicker
#   ./scripts/bench.sh -traefik=false              per-op timings only
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v wrk >/dev/null 2>&1; then
  echo "bench: installing wrk (Debian package)" >&2
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq wrk >/dev/null
fi

traefik=$(./scripts/build-traefik.sh)
mkdir -p tools/bin bench-results
(cd tools && go build -o bin/bench ./cmd/bench)
CAPTCHAIFY_TRAEFIK="$traefik" exec tools/bin/bench -out bench-results "$@"

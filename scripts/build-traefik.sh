#!/usr/bin/env bash
# Builds a real Traefik binary from the Go module proxy and caches it.
# Prints the binary's path on stdout. The first build takes a few minutes.
set -euo pipefail
version="${TRAEFIK_VERSION:-v3.6.12}"
cache="${CAPTCHAIFY_CACHE:-$HOME/.cache/captchaify}"
bin="$cache/traefik-$version"
if [ -x "$bin" ]; then echo "$bin"; exit 0; fi
mkdir -p "$cache"
dir=$(go mod download -json "github.com/traefik/traefik/v3@$version" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
[ -n "$dir" ] || { echo "build-traefik: module download failed" >&2; exit 1; }
work=$(mktemp -d)
trap 'chmod -R u+w "$work"; rm -rf "$work"' EXIT
cp -r "$dir/." "$work/src"
chmod -R u+w "$work/src"
cd "$work/src"
# The module zip leaves out the nested module dynamic/ext that go.mod replaces
# with a local directory; it only declares two empty structs.
if grep -q 'dynamic/ext' go.mod && [ ! -f dynamic/ext/go.mod ]; then
  mkdir -p dynamic/ext
  printf 'module github.com/traefik/traefik/dynamic/ext\n\ngo 1.22\n' > dynamic/ext/go.mod
  printf 'package ext\n\n// HTTP is a stub of Traefik'"'"'s extension point.\ntype HTTP struct{}\n\n// Router is a stub of Traefik'"'"'s extension point.\ntype Router struct{}\n' > dynamic/ext/ext.go
fi
echo "build-traefik: building Traefik $version (a few minutes, once)" >&2
go build -trimpath -ldflags "-X github.com/traefik/traefik/v3/pkg/version.Version=$version" -o "$bin.tmp" ./cmd/traefik
mv "$bin.tmp" "$bin"
echo "$bin"

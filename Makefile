# Captchaify for Traefik. The two commands a newcomer needs:
#   make demo   real Traefik with the plugin in front of a sample site, http://127.0.0.1:8080
#   make test   every test layer: unit (race), behaviour compiled and under Yaegi, real Traefik
SHELL := /bin/bash
YAEGILINT := $(abspath ../shared/tools/yaegilint)

.PHONY: demo test lint unit behaviour e2e bench assets traefik clean

demo:
	./scripts/demo.sh

test: lint unit behaviour e2e

# Formatting, vet, and the constructs that break under Traefik's Yaegi.
lint:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	  if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	go vet ./...
	cd tools && go vet ./...
	@if [ -d "$(YAEGILINT)" ]; then (cd "$(YAEGILINT)" && go run . "$(CURDIR)"); \
	  else echo "yaegilint not found at $(YAEGILINT): skipped"; fi

# The plugin's unit tests, compiled with the race detector.
unit:
	go test -race -count=1 ./...

# The same behaviour tests against the compiled plugin (race detector on)
# and the plugin loaded by Yaegi v0.16.1 the way Traefik loads it.
behaviour:
	cd tools && go test -race -count=1 -run '/compiled$$' ./behaviour/
	cd tools && go test -count=1 ./behaviour/ ./pluginload/ ./cmd/...

# A real Traefik v3.6.12 (built once from the Go module proxy, then cached)
# running the plugin as a local plugin.
e2e: traefik
	cd tools && go test -count=1 -timeout 20m ./traefiktest/ ./e2e/

traefik:
	./scripts/build-traefik.sh >/dev/null

bench: traefik
	./scripts/bench.sh

# Regenerates assets/ (glyph atlas) from the generators in tools/.
assets:
	cd tools && go run ./cmd/genglyphs -out ../assets/glyphs.go
	gofmt -l assets

clean:
	rm -rf bench-results "$$HOME/.cache/captchaify/demo"

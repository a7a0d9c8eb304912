# herdsim: two commands.
#   make serve   set up this machine (idempotent) and serve the app on http://127.0.0.1:8080
#   make test    every check: fmt, clippy, native tests, wasm tests in Chromium, release build, e2e
# and:
#   make check   the edit loop: fmt, clippy, native tests (no installs, no browser)
#   make golden  regenerate tests/golden/ after a change of results made on purpose
#   make bench   engine throughput and memory, page timings and size (figures go in BENCHMARKS.md)

SHELL := /bin/bash
PREFIX ?= /usr/local
export PATH := $(PREFIX)/bin:$(HOME)/.cargo/bin:$(PATH)
export CHROMEDRIVER ?= /usr/bin/chromedriver
WASM := --target wasm32-unknown-unknown

.PHONY: setup serve build test check golden fmt clippy clippy-native native-test native-json wasm-test e2e bench clean

setup:
	@.ci/setup.sh

serve: setup
	# no autoreload: its injected inline script would break the page's Content-Security-Policy
	trunk serve --release --no-autoreload --address 127.0.0.1 --port 8080

# release build into dist/ (wasm-opt included)
build: setup
	trunk build --release

fmt:
	cargo fmt --all -- --check

# The browser tests compile in the native results (target/cross-platform/native.json),
# so those are written first, for clippy as for the tests.
native-json:
	cargo test --locked --test integration cross_platform

clippy-native:
	cargo clippy --all-targets --locked -- -D warnings

clippy: setup native-json clippy-native
	cargo clippy $(WASM) --lib --bins --tests --locked -- -D warnings

native-test:
	cargo test --locked

wasm-test: setup native-json
	cargo test $(WASM) --locked --test integration

e2e: build
	node tests/e2e/e2e.mjs
	node tests/e2e/tour.mjs
	node tests/e2e/tuning.mjs

test: setup fmt clippy native-test wasm-test build e2e

# fast: nothing installed, nothing in a browser
check: fmt clippy-native native-test

golden:
	HERDSIM_BLESS=1 cargo test --locked --test integration golden

bench: build
	cargo bench --locked --bench engine
	cargo build --release --locked --bin herdsim
	@echo "every preset with 1,000,000 clients: wall time, peak memory, why it stopped"
	@for p in $$(./target/release/herdsim presets | cut -d' ' -f1); do \
	  /usr/bin/time -f "%e s %M KB" -o target/bench-time.txt ./target/release/herdsim run --preset $$p \
	    --set clients.count=1000000 2>/dev/null | grep -o '"stop": "[a-z_]*"' | tr '\n' ' ' > target/bench-stop.txt; \
	  printf '%-30s %-14s %s\n' "$$p" "$$(cat target/bench-time.txt)" "$$(cat target/bench-stop.txt)"; \
	done
	@echo "in headless Chromium (the built page):"
	node tests/e2e/bench.mjs

clean:
	cargo clean
	rm -rf dist

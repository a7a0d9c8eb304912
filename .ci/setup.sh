#!/usr/bin/env bash
# Idempotent setup for herdsim on a fresh Debian 12 machine that reaches only the package
# registries (the crate registry, the npm registry, Debian), never GitHub. Every step checks before it installs, so
# a second run takes seconds. Called by `make setup` (and so by `make serve` / `make test`).
#
#   .ci/setup.sh            # installs tools into $PREFIX/bin (default /usr/local)
set -euo pipefail

TRUNK_VERSION=0.21.14         # newest trunk whose rust-version fits rustc 1.95
WASM_BINDGEN_VERSION=0.2.130  # MUST equal the wasm-bindgen version pinned in Cargo.toml / Cargo.lock
BINARYEN_NPM_VERSION=132.0.0  # npm "binaryen" gives wasm-opt version_132 (Debian's 108 is too old)
PREFIX=${PREFIX:-/usr/local}
ROOT=$(cd "$(dirname "$0")/.." && pwd)

export DEBIAN_FRONTEND=noninteractive
log() { printf '== setup: %s\n' "$*"; }
SUDO=""
[ "$(id -u)" = 0 ] || SUDO=sudo

# Debian packages: headless Chromium + matching chromedriver (wasm tests and e2e), node for
# e2e, GNU time for the peak-memory figure of `make bench`.
want=(chromium chromium-driver ca-certificates time)
command -v cc >/dev/null || want+=(build-essential)
command -v node >/dev/null || want+=(nodejs)
command -v npm >/dev/null || want+=(npm)
missing=()
for p in "${want[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if ((${#missing[@]})); then
  log "apt-get install ${missing[*]}"
  $SUDO apt-get update
  $SUDO apt-get install -y --no-install-recommends "${missing[@]}"
fi

[ -f "$HOME/.cargo/env" ] && . "$HOME/.cargo/env"
command -v cargo >/dev/null || { echo "setup: cargo not found (install rustup first)" >&2; exit 1; }
rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
mkdir -p "$PREFIX/bin"
export PATH="$PREFIX/bin:$PATH"

if [ "$("$PREFIX/bin/trunk" --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]; then
  log "cargo install trunk $TRUNK_VERSION (about 8 minutes on 2 cores)"
  cargo install trunk --version "=$TRUNK_VERSION" --locked --root "$PREFIX"
fi

if [ "$("$PREFIX/bin/wasm-bindgen" --version 2>/dev/null)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]; then
  log "cargo install wasm-bindgen-cli $WASM_BINDGEN_VERSION"
  # --locked fails when the registry lacks a version pinned in the CLI's own lockfile.
  cargo install wasm-bindgen-cli --version "=$WASM_BINDGEN_VERSION" --locked --root "$PREFIX" \
    || cargo install wasm-bindgen-cli --version "=$WASM_BINDGEN_VERSION" --root "$PREFIX"
fi

major=${BINARYEN_NPM_VERSION%%.*}
if [ "$("$PREFIX/bin/wasm-opt" --version 2>/dev/null)" != "wasm-opt version $major (version_$major)" ]; then
  log "npm install binaryen@$BINARYEN_NPM_VERSION"
  mkdir -p "$PREFIX/lib/npm-binaryen"
  npm install --prefix "$PREFIX/lib/npm-binaryen" --no-audit --no-fund --save-exact "binaryen@$BINARYEN_NPM_VERSION"
  ln -sf "$PREFIX/lib/npm-binaryen/node_modules/binaryen/bin/wasm-opt" "$PREFIX/bin/wasm-opt"
fi

# Crates for every target (Trunk runs cargo with --offline) and the e2e test's npm packages.
if [ -f "$ROOT/Cargo.toml" ]; then
  (cd "$ROOT" && cargo fetch --locked 2>/dev/null || cargo fetch)
fi
if [ -f "$ROOT/tests/e2e/package.json" ] && [ ! -d "$ROOT/tests/e2e/node_modules/playwright-core" ]; then
  log "npm ci (tests/e2e)"
  (cd "$ROOT/tests/e2e" && npm ci --no-audit --no-fund)
fi
log "ok: $(trunk --version), $(wasm-bindgen --version), $(wasm-opt --version)"

#!/usr/bin/env bash
# Postsafe: one script that installs what is missing and builds everything.
#
#   ./build.sh          build the CLI, the WebAssembly engine and the extension, then
#                       build the example trust's pack and scan the example drafts
#   ./build.sh test     build, then run every test (Rust, WASM in Node, browser)
#   ./build.sh bench    build, then run the benchmarks (native and WASM, side by side;
#                       the face detector's in headless Chromium)
#
# Idempotent: a second run with nothing changed does little and says little.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$ROOT"
MODE="${1:-build}"
case "$MODE" in build | test | bench) ;; *)
  echo "usage: ./build.sh [test|bench]" >&2
  exit 2
  ;;
esac

TOOLS="$ROOT/.tools"
export PATH="$TOOLS/bin:$HOME/.cargo/bin:$PATH"
WASM_TARGET=wasm32-unknown-unknown

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
die() {
  printf 'build.sh: %s\n' "$*" >&2
  exit 1
}

# --- What must be on the machine --------------------------------------------------
need_cmd() { command -v "$1" >/dev/null 2>&1; }

need_cmd cargo || die "cargo is missing: install Rust with rustup (https://rustup.rs)"
need_cmd rustup || die "rustup is missing: the toolchain is pinned in rust-toolchain.toml"
TOOLCHAIN="$(sed -n 's/^channel *= *"\(.*\)"/\1/p' rust-toolchain.toml)"
if ! rustup target list --installed --toolchain "$TOOLCHAIN" 2>/dev/null | grep -qx "$WASM_TARGET"; then
  say "installing the $WASM_TARGET target for Rust $TOOLCHAIN"
  rustup target add --toolchain "$TOOLCHAIN" "$WASM_TARGET"
fi

# wasm-bindgen's CLI must be exactly the version of the crate in Cargo.lock.
WB_VERSION="$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/version = |"/, ""); print; exit}' Cargo.lock)"
[ -n "$WB_VERSION" ] || die "cannot read the wasm-bindgen version from Cargo.lock"
if ! [ -x "$TOOLS/bin/wasm-bindgen" ] || [ "$("$TOOLS/bin/wasm-bindgen" --version | awk '{print $2}')" != "$WB_VERSION" ]; then
  say "installing wasm-bindgen-cli $WB_VERSION into .tools/ (about two minutes, once)"
  cargo install wasm-bindgen-cli --version "=$WB_VERSION" --root "$TOOLS" --quiet
fi

need_cmd node || die "node is missing: install Node.js 20 or later"
need_cmd npm || die "npm is missing: install Node.js 20 or later"
if ! [ -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm packages from package-lock.json"
  npm ci --no-audit --no-fund --loglevel=error
fi

if [ "$MODE" = test ] && ! [ -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ] && need_cmd apt-get; then
    say "installing Debian's chromium for the browser tests"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    die "the browser tests need /usr/bin/chromium: run 'sudo apt-get install -y chromium'"
  fi
fi
# Firefox ESR (140 or later) for the Firefox browser tests (tests/e2e/firefox.test.mjs).
if [ "$MODE" = test ] && ! [ -x /usr/bin/firefox-esr ]; then
  if [ "$(id -u)" = 0 ] && need_cmd apt-get; then
    say "installing Debian's firefox-esr for the browser tests"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq firefox-esr >/dev/null
  else
    die "the browser tests need /usr/bin/firefox-esr: run 'sudo apt-get install -y firefox-esr'"
  fi
fi

# --- Build ----------------------------------------------------------------------
say "building the postsafe CLI"
cargo build --release --quiet -p postsafe-cli

# Three WebAssembly modules, each loaded only where it is used (README, "WebAssembly
# size"): the engine (extension/pkg: the service worker's scans), the admin module
# (extension/pkg/admin: the engine plus the pack builder, bundled into the admin page's
# worker) and the photo reader (extension/pkg/photo: loaded by the service worker only
# when a photo is attached). Each is its own cargo run: built together, Cargo would
# give postsafe-core the union of their features and the engine would carry the builder
# and the photo parsers again.
build_wasm() { # crate, glue name, output directory
  local crate="$1" name="$2" out="$3"
  cargo build --profile wasm-release --quiet -p "$crate" --target "$WASM_TARGET"
  local raw="target/$WASM_TARGET/wasm-release/$name.wasm"
  local stamp="$out/.built-from"
  local sum
  # -Oz against -O3, measured on this engine: see README "WebAssembly size". Binaryen
  # inlines every function that has one caller, however big; here only those up to 200
  # bytes: merged, the engine build's once-called functions (pack parsing, a pack's
  # compile) became 50-100 KB functions that V8 compiled a second time, optimised, for
  # nothing (they never run again), on the cores the build itself needs. README
  # "Benchmarks", "Engine build and V8's tiers".
  local opt="-Oz --one-caller-inline-max-function-size 200"
  sum="$(sha256sum "$raw" | cut -c1-64) $opt"
  if [ "$(cat "$stamp" 2>/dev/null || true)" != "$sum" ]; then
    mkdir -p "$out"
    rm -f "$out/$name".* "$out/${name}_bg".* "$stamp"
    wasm-bindgen --target web --out-dir "$out" "$raw"
    # shellcheck disable=SC2086 # $opt is a list of flags
    node_modules/.bin/wasm-opt $opt "$out/${name}_bg.wasm" -o "$out/${name}_bg.wasm"
    echo "$sum" >"$stamp"
  fi
  local bytes gz
  bytes=$(stat -c %s "$out/${name}_bg.wasm")
  gz=$(gzip -9c "$out/${name}_bg.wasm" | wc -c)
  printf '    %-28s %5d KB raw, %4d KB gzipped\n' "${name}_bg.wasm:" $((bytes / 1024)) $((gz / 1024))
  WASM_GZ=$gz
}
say "building the WebAssembly modules"
PKG="extension/pkg"
build_wasm postsafe-wasm postsafe_wasm "$PKG"
ENGINE_GZ=$WASM_GZ
build_wasm postsafe-wasm-admin postsafe_wasm_admin "$PKG/admin"
build_wasm postsafe-wasm-photo postsafe_wasm_photo "$PKG/photo"
if [ "$ENGINE_GZ" -le $((350 * 1024)) ]; then
  printf '    the engine module (service worker): %d KB gzipped, within the budget of 350 KB\n' $((ENGINE_GZ / 1024))
else
  printf '    the engine module (service worker): %d KB gzipped, OVER the budget of 350 KB\n' $((ENGINE_GZ / 1024))
fi

if [ -f extension/build.mjs ]; then
  say "building the extension (dist/chrome, dist/firefox)"
  node extension/build.mjs
fi
if [ "$MODE" = test ]; then
  # The browser tests' build: the same, plus the fixture pages on 127.0.0.1 (extension/build.mjs).
  say "building the test build of the extension (dist-test/chrome, dist-test/firefox)"
  node extension/build.mjs --test
fi

# --- The main job: the example trust's pack and drafts ----------------------------
POSTSAFE="target/release/postsafe"
EX="examples/wcat"
if [ "$MODE" = build ]; then
  say "building the example pack for the Wythenshawe Catholic Academy Trust"
  "$POSTSAFE" pack build --name "Wythenshawe Catholic Academy Trust" --id wcat \
    --pack-version 2026.11.21 --expires 2027-11-21 \
    --schools "$EX/gias_wcat_schools.csv" --pupils "$EX/pupils_sims.csv" \
    --staff "$EX/staff.csv" --terms "$EX/terms.json" -o "$EX/wcat.pack.json"
  "$POSTSAFE" pack check "$EX/wcat.pack.json"
  for draft in "$EX"/drafts/*.txt; do
    say "postsafe scan $draft"
    "$POSTSAFE" scan --pack "$EX/wcat.pack.json" "$draft" || [ $? -eq 1 ]
  done
fi

# --- Tests ----------------------------------------------------------------------
if [ "$MODE" = test ]; then
  say "Rust tests"
  cargo test --workspace --release --quiet
  say "WebAssembly tests in Node"
  node --test tests/wasm/
  say "fuzzing smoke run (each target briefly over its corpus)"
  fuzz/smoke.sh
  say "browser tests (headless Chromium and Firefox ESR)"
  # --test-force-exit: a test file ends when its tests have, even if a browser it
  # started left something open (a run waiting on that would never end).
  node --test --test-concurrency=1 --test-force-exit tests/e2e/
fi

if [ "$MODE" = bench ]; then
  say "native benchmark"
  cargo run --release --quiet -p postsafe-core --example bench
  say "WebAssembly benchmark in Node, side by side"
  node --expose-gc tests/wasm/bench.mjs
  # Keystroke to highlight (issue 12): the hashed 30,000-pupil pack the native benchmark
  # wrote, from a pack URL in managed policy (root: a policy directory of its own).
  if [ -x /usr/bin/chromium ]; then
    say "keystroke-to-highlight benchmark (headless Chromium, hashed 30,000-pupil pack by managed policy)"
    node tests/e2e/bench-keystroke.mjs --managed
  else
    say "keystroke-to-highlight benchmark skipped: it needs /usr/bin/chromium"
  fi
  # People in photos (issue 16): the extension's own face detector in headless Chromium.
  if [ -x /usr/bin/chromium ]; then
    say "face-count benchmark (the extension's detector, headless Chromium)"
    node tests/e2e/bench-faces.mjs
  else
    say "face-count benchmark skipped: it needs /usr/bin/chromium"
  fi
fi

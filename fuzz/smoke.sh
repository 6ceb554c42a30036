#!/usr/bin/env bash
# Fuzz smoke test: runs each fuzz target for a short fixed time over the committed
# corpus (fuzz/corpus/<target>/) and fails on any crash, panic or timeout.
#
#   fuzz/smoke.sh              20 seconds per target
#   FUZZ_SECONDS=60 fuzz/smoke.sh
#
# Installs what is missing: the nightly toolchain (minimal profile) and cargo-fuzz
# into .tools/ at the repository root. The committed corpus is only read: new inputs
# go to a scratch directory that is removed afterwards. A crashing input is saved in
# fuzz/artifacts/<target>/. Prints one line per target.
set -euo pipefail

FUZZ="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$FUZZ")"
TOOLS="$ROOT/.tools"
export PATH="$TOOLS/bin:$HOME/.cargo/bin:$PATH"
SECONDS_PER_TARGET="${FUZZ_SECONDS:-20}"
TARGETS=(pack_json import_csv scan photo)

die() {
  printf 'fuzz/smoke.sh: %s\n' "$*" >&2
  exit 1
}

command -v cargo >/dev/null 2>&1 || die "cargo is missing: install Rust with rustup (https://rustup.rs)"
command -v rustup >/dev/null 2>&1 || die "rustup is missing: cargo-fuzz needs a nightly toolchain"
if ! rustup run nightly rustc --version >/dev/null 2>&1; then
  echo "fuzz: installing the nightly toolchain (minimal profile)" >&2
  rustup toolchain install nightly --profile minimal >/dev/null
fi
if ! [ -x "$TOOLS/bin/cargo-fuzz" ]; then
  echo "fuzz: installing cargo-fuzz into .tools/ (a few minutes, once)" >&2
  (cd "$ROOT" && cargo install cargo-fuzz --root "$TOOLS" --quiet)
fi

cd "$ROOT"
SCRATCH="$(mktemp -d "${TMPDIR:-/tmp}/postsafe-fuzz.XXXXXX")"
trap 'rm -rf "$SCRATCH"' EXIT

# Same flags as the long runs in README.md: no sanitizer (the engine has no unsafe
# code), release build with debug assertions and overflow checks (cargo-fuzz's default).
FUZZ_ARGS=(--fuzz-dir "$FUZZ" --sanitizer none)

if ! cargo +nightly fuzz build "${FUZZ_ARGS[@]}" >"$SCRATCH/build.log" 2>&1; then
  tail -n 40 "$SCRATCH/build.log" >&2
  die "cannot build the fuzz targets"
fi

failed=0
for t in "${TARGETS[@]}"; do
  [ -d "$FUZZ/corpus/$t" ] || die "no corpus for $t in fuzz/corpus/$t"
  mkdir -p "$SCRATCH/$t" "$FUZZ/artifacts/$t"
  log="$SCRATCH/$t.log"
  if cargo +nightly fuzz run "${FUZZ_ARGS[@]}" "$t" "$SCRATCH/$t" "$FUZZ/corpus/$t" -- \
    -max_total_time="$SECONDS_PER_TARGET" -timeout=10 -print_final_stats=1 >"$log" 2>&1; then
    runs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)"
    rate="$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)"
    cov="$(grep -o 'cov: [0-9]* ft: [0-9]*' "$log" | tail -n 1 || true)"
    echo "fuzz $t: ok, ${runs:-?} runs in ${SECONDS_PER_TARGET} s (${rate:-?} exec/s), ${cov:-no coverage figure}"
  else
    failed=1
    artifact="$(grep -o 'Test unit written to [^ ]*' "$log" | tail -n 1 | sed 's/Test unit written to //' || true)"
    echo "fuzz $t: FAILED${artifact:+, input saved in ${artifact#"$ROOT"/}}"
    {
      grep -E "panicked|ERROR: libFuzzer|SUMMARY|deadly signal|timeout" "$log" | head -n 10 || true
      echo "  full log: tail of it follows"
      tail -n 30 "$log"
    } >&2
  fi
done
exit "$failed"

#!/usr/bin/env bash
# Compile-time benchmark of the SDK generated from the v1.0 corpus.
#
# Generates the standalone crate, builds its dependencies once, then times
# `cargo check` of the crate alone: with no area feature (the baseline: just
# the runtime), with every area (`full`, the default), and with each area's
# feature on its own. In the same run, the same for the published
# graph-rs-sdk 3.0.1 (crates.io; the Rust SDK users compare us with): a tiny
# crate depending on it under target/bench-compile/graph-rs, its dependencies
# built once, then `cargo clean -p graph-rs-sdk` before each timed `cargo
# check` so that only graph-rs-sdk (and the tiny crate) is compiled. Prints a
# Markdown table (seconds, each time as a ratio to the baseline and to
# graph-rs-sdk measured in the same run, peak memory) with the targets, for
# the README.
#
# Usage: scripts/bench-compile.sh [DOCS_DIR]   (default: $GRAPH_DOCS, or ../shared/graph-docs/v1.0)
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
docs="${1:-${GRAPH_DOCS:-${DOCGEN_SHARED:-$root/../shared}/graph-docs/v1.0}}"
work="$root/target/bench-compile"
crate="$work/graph-v1"
export CARGO_TARGET_DIR="$work/target"
# Clean checks: no incremental cache carried from one check to the next.
export CARGO_INCREMENTAL=0
unset RUSTFLAGS

cargo build --quiet --release --locked -p docgen --manifest-path "$root/Cargo.toml"
docgen="$CARGO_TARGET_DIR/release/docgen"

seconds_since() { awk -v s="$1" -v e="$(date +%s%N)" 'BEGIN { printf "%.2f", (e - s) / 1e9 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", a / b }'; }
ratio2() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
# Is $1 <= $2 (floating point)?
at_most() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a <= b) }'; }

mkdir -p "$crate"
start=$(date +%s%N)
"$docgen" generate --docs "$docs" --out "$crate" --crate graph-v1 >/dev/null 2>&1
generate_s=$(seconds_since "$start")
cp "$root/Cargo.lock" "$crate/Cargo.lock"

# Dependencies once, so every timing below is the generated crate alone.
(cd "$crate" && cargo check --quiet --no-default-features)

time_check() {
    touch "$crate/src/lib.rs"
    local start
    start=$(date +%s%N)
    (cd "$crate" && cargo check --quiet "$@")
    seconds_since "$start"
}

# graph-rs-sdk, the published crate: a crate that depends on it and nothing
# else, its dependencies (default features, as its README adds it) checked
# once. The version is pinned; the lock file stays under target/ between runs.
rs="$work/graph-rs"
mkdir -p "$rs/src"
cat >"$rs/Cargo.toml" <<'TOML'
[package]
name = "graph-rs-check"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
graph-rs-sdk = "=3.0.1"

[workspace]
TOML
echo 'pub use graph_rs_sdk;' >"$rs/src/lib.rs"
(cd "$rs" && cargo check --quiet)

# `cargo check` of graph-rs-sdk alone: its artifacts removed, its
# dependencies' kept. With `peak`, prints the peak memory (KiB) instead.
time_graph_rs() {
    (cd "$rs" && cargo clean --quiet -p graph-rs-sdk)
    touch "$rs/src/lib.rs"
    if [[ "${1:-}" == peak ]]; then
        (cd "$rs" && /usr/bin/time -f '%M' cargo check --quiet) 2>&1 | tail -n 1
        return
    fi
    local start
    start=$(date +%s%N)
    (cd "$rs" && cargo check --quiet)
    seconds_since "$start"
}

baseline=$(time_check --no-default-features)
graph_rs=$(time_graph_rs)
full=$(time_check)
# Peak memory of the whole crate's check (the compiler's resident set).
touch "$crate/src/lib.rs"
peak_kb=$( (cd "$crate" && /usr/bin/time -f '%M' cargo check --quiet) 2>&1 | tail -n 1)
graph_rs_peak_kb=$(time_graph_rs peak)
lines=$(find "$crate/src" -name '*.rs' -not -path '*/runtime/*' -exec cat {} + | wc -l)
echo "peak memory of the full check: $((peak_kb / 1024)) MiB (graph-rs-sdk: $((graph_rs_peak_kb / 1024)) MiB)"

echo "docgen generate (v1.0, $lines lines of generated Rust, runtime excluded): ${generate_s} s"
echo
echo "| \`cargo check\` | seconds | × baseline | × graph-rs-sdk |"
echo "|---|---|---|---|"
printf "| graph-rs-sdk 3.0.1 (the crate alone, its dependencies built) | %.1f | %s | 1.00 |\n" \
    "$graph_rs" "$(ratio "$graph_rs" "$baseline")"
printf "| generated, no area (baseline: the runtime) | %.1f | 1.0 | %s |\n" \
    "$baseline" "$(ratio2 "$baseline" "$graph_rs")"
printf "| generated, \`full\` (default: every area) | %.1f | %s | %s |\n" \
    "$full" "$(ratio "$full" "$baseline")" "$(ratio2 "$full" "$graph_rs")"
features=$(sed -n '/^\[features\]/,/^\[/p' "$crate/Cargo.toml" | sed -n 's/^\([a-z0-9-]*\) = \[\]$/\1/p')
slow_areas=()
for feature in $features; do
    t=$(time_check --no-default-features --features "$feature")
    printf "| generated, \`%s\` | %.1f | %s | %s |\n" \
        "$feature" "$t" "$(ratio "$t" "$baseline")" "$(ratio2 "$t" "$graph_rs")"
    at_most "$t" "$graph_rs" || slow_areas+=("$feature $(ratio2 "$t" "$graph_rs")×")
done

verdict() { if "$@"; then echo met; else echo missed; fi; }
full_ratio=$(ratio2 "$full" "$graph_rs")
echo
echo "Targets: \`full\` ≤ 2.5× graph-rs-sdk: $(verdict at_most "$full_ratio" 2.5) (${full_ratio}×);" \
    "peak memory of the \`full\` check < 1.5 GB: $(verdict at_most "$((peak_kb * 1024))" 1499999999)" \
    "($((peak_kb / 1024)) MiB; graph-rs-sdk $((graph_rs_peak_kb / 1024)) MiB);" \
    "each area ≤ graph-rs-sdk: $(if [[ ${#slow_areas[@]} -eq 0 ]]; then echo met; else echo "missed (${slow_areas[*]})"; fi)."

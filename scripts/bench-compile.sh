#!/usr/bin/env bash
# Compile-time benchmark of the SDK generated from the v1.0 corpus.
#
# Generates the standalone crate, builds its dependencies once, then times
# `cargo check` of the crate alone: with no area feature (the baseline: just
# the runtime), with every area (`full`, the default), and with each area's
# feature on its own. Prints a Markdown table (seconds, and each time as a
# ratio to the baseline measured in the same run) for the README.
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

baseline=$(time_check --no-default-features)
full=$(time_check)
# Peak memory of the whole crate's check (the compiler's resident set).
touch "$crate/src/lib.rs"
peak_kb=$( (cd "$crate" && /usr/bin/time -f '%M' cargo check --quiet) 2>&1 | tail -n 1)
lines=$(find "$crate/src" -name '*.rs' -not -path '*/runtime/*' -exec cat {} + | wc -l)
echo "peak memory of the full check: $((peak_kb / 1024)) MiB"

echo "docgen generate (v1.0, $lines lines of generated Rust, runtime excluded): ${generate_s} s"
echo
echo "| \`cargo check\` of the generated crate | seconds | × baseline |"
echo "|---|---|---|"
printf "| no area (baseline: the runtime) | %.1f | 1.0 |\n" "$baseline"
printf "| \`full\` (default: every area) | %.1f | %s |\n" "$full" "$(ratio "$full" "$baseline")"
features=$(sed -n '/^\[features\]/,/^\[/p' "$crate/Cargo.toml" | sed -n 's/^\([a-z0-9-]*\) = \[\]$/\1/p')
for feature in $features; do
    t=$(time_check --no-default-features --features "$feature")
    printf "| \`%s\` | %.1f | %s |\n" "$feature" "$t" "$(ratio "$t" "$baseline")"
done

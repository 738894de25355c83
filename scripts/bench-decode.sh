#!/usr/bin/env bash
# Decode/encode benchmark of the SDK generated from the v1.0 corpus (issue 14).
#
# Generates the standalone v1.0 crate into target/bench-decode/graph-v1 (a
# release docgen, as scripts/bench-compile.sh does; the repository's
# Cargo.lock pins the versions), then runs `cargo bench` on benches/decode:
# seeded pages in the service's shape (a directoryObjects delta page, messages
# with attachments, drive items, plain groups, users, messages and list
# columns) decoded into the generated types and into serde_json::Value from
# the same bytes, and encoded back, in one run. Before timing, each page must
# decode into its type (else the bench panics with serde's error) and is
# compared with its typed round trip. Prints criterion's output, then a
# Markdown table of medians (× = Value time / typed time: above 1, typed is
# faster) with the targets.
#
# Usage: scripts/bench-decode.sh [DOCS_DIR] [-- CRITERION_ARGS...]
#   DOCS_DIR default: $GRAPH_DOCS, or ../shared/graph-docs/v1.0
#   BENCH_FEATURES=full  build every area of the SDK (default: the areas of
#                        the decoded types, see benches/decode/Cargo.toml)
#   e.g. scripts/bench-decode.sh -- drive-items   (one dataset only)
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
docs="${GRAPH_DOCS:-${DOCGEN_SHARED:-$root/../shared}/graph-docs/v1.0}"
if [[ $# -gt 0 && "$1" != "--" ]]; then
    docs="$1"
    shift
fi
[[ "${1:-}" == "--" ]] && shift
work="$root/target/bench-decode"
crate="$work/graph-v1"
bench="$root/benches/decode"
export CARGO_TARGET_DIR="$work/target"
unset RUSTFLAGS

cargo build --quiet --release --locked -p docgen --manifest-path "$root/Cargo.toml"
docgen="$CARGO_TARGET_DIR/release/docgen"

# docgen rewrites only the files that changed (and removes stale ones), so
# an unchanged crate is not rebuilt.
mkdir -p "$crate"
if ! "$docgen" generate --docs "$docs" --out "$crate" --crate graph-v1 >"$work/generate.log" 2>&1; then
    cat "$work/generate.log" >&2
    exit 1
fi
# The repository's pins for the SDK's dependencies; cargo adds criterion.
cp "$root/Cargo.lock" "$crate/Cargo.lock"
cp "$root/Cargo.lock" "$bench/Cargo.lock"

features=()
if [[ -n "${BENCH_FEATURES:-}" ]]; then
    features=(--no-default-features --features "$BENCH_FEATURES")
fi
(cd "$bench" && cargo bench --quiet "${features[@]}" --bench decode -- "$@")

echo
echo "(this summary: $CARGO_TARGET_DIR/criterion/decode-summary.md, beside criterion's reports)"

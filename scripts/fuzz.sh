#!/usr/bin/env bash
# Bounded fuzzing of docgen's parsers: each cargo-fuzz target in fuzz/ runs for
# SECONDS (default 60), seeded from our own test pages (docs-input/, the hard
# cases, the diagnostics test pages; never the shared corpus). Prints the
# executions per target and lists crashes, which land in
# fuzz/artifacts/<target>/; each one becomes a regression test.
#
# Needs a nightly toolchain and `cargo install cargo-fuzz`.
# Usage: scripts/fuzz.sh [SECONDS] [TARGET...]
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
seconds="${1:-60}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    targets=(page type_cell path)
fi
corpus="$root/target/fuzz-corpus"

seed() {
    local target="$1" dir="$corpus/$1"
    mkdir -p "$dir"
    case "$target" in
        page)
            find "$root/docs-input" "$root/tests/fixtures" "$root/generator/tests/fixtures" \
                -type f -name '*.md' -size -64k -exec cp {} "$dir/" \; || true
            ;;
        type_cell)
            # The type cells of our pages' tables.
            grep -rhoE '^\|[^|]+\|[^|]+\|' "$root/docs-input" "$root/tests/fixtures" \
                | cut -d'|' -f3 | sort -u | head -500 \
                | while IFS= read -r cell; do printf '%s' "$cell" > "$dir/$(printf '%s' "$cell" | md5sum | cut -c1-16)"; done \
                || true
            ;;
        path)
            grep -rhoE '^(GET|POST|PATCH|PUT|DELETE) [^ ]+' "$root/docs-input" "$root/tests/fixtures" \
                | cut -d' ' -f2 | sort -u | head -500 \
                | while IFS= read -r path; do printf '%s' "$path" > "$dir/$(printf '%s' "$path" | md5sum | cut -c1-16)"; done \
                || true
            ;;
    esac
}

status=0
printf '| target | seconds | executions | crashes |\n|---|---|---|---|\n'
for target in "${targets[@]}"; do
    seed "$target"
    log="$root/target/fuzz-$target.log"
    (cd "$root/fuzz" && cargo +nightly fuzz run "$target" "$corpus/$target" -- \
        -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -max_len=65536 \
        -print_final_stats=1) >"$log" 2>&1 || true
    runs=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$' | tail -1)
    crashes=$(find "$root/fuzz/artifacts/$target" -type f 2>/dev/null | wc -l)
    printf '| `%s` | %s | %s | %s |\n' "$target" "$seconds" "${runs:-?}" "$crashes"
    if [ "$crashes" -gt 0 ]; then
        status=1
        find "$root/fuzz/artifacts/$target" -type f | sed 's/^/    crash: /'
    fi
done
exit $status

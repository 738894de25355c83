#!/usr/bin/env bash
# Cold-build cost of docgen as a build-dependency, next to progenitor's.
#
# The issue: a crate that generates its SDK in build.rs with docgen must be no
# heavier to build than one that does the same with progenitor (the usual
# OpenAPI generator). This script makes two small crates in a temp dir:
#
#   A. docgen-user: [dependencies] as in the README (docgen-runtime from this
#      repository, serde, serde_json, chrono, uuid); build-dependency docgen
#      (this repository's generator/); build.rs runs
#      `docgen::Config::new().docs(<repo>/docs-input).compile()` (8 operations,
#      5 types) and lib.rs includes `$OUT_DIR/docgen/mod.rs`.
#   B. progenitor-user: build-dependencies progenitor (latest on crates.io),
#      syn, prettyplease and serde_json; build.rs is progenitor's documented
#      one (generate_tokens, syn::parse2, prettyplease::unparse, write to
#      OUT_DIR) on a 5-operation, 5-schema OpenAPI 3.0 document written below;
#      [dependencies] are what the generated code needs. reqwest gets the same
#      TLS stack as docgen-runtime (rustls with ring), so the two crates differ
#      mostly in what their build.rs needs.
#
# After one `cargo fetch` per crate (downloads are not timed; the default,
# shared CARGO_HOME is used), each crate is built with `cargo build` (dev
# profile, default --jobs) in its own fresh CARGO_TARGET_DIR, one after the
# other. Printed: wall seconds, the number of "Compiling" lines (crates
# compiled; a crate built both for build.rs and for the library counts twice),
# the A/B ratio, and the number of distinct crates (name + version) in each
# crate's build-dependency tree (`cargo tree -e normal,build`, the part under
# [build-dependencies]).
#
# Environment:
#   DOCGEN_FEATURES      features of the docgen build-dependency: empty (the
#                        default) means `default-features = false`; a comma
#                        list means those features only; a list containing
#                        `default` (e.g. DOCGEN_FEATURES=default) keeps the
#                        default features and adds the others.
#   PROGENITOR_FEATURES  the same for progenitor. Empty (the default) means
#                        `default-features = false`, the lightest setup (the
#                        default `macro` feature also builds progenitor-client
#                        and reqwest for the build script); `default` is the
#                        README's Cargo.toml.
#   PROGENITOR_VERSION   default: the newest on crates.io (`cargo info`).
#   ROUNDS               cold builds of each crate, interleaved (default 3);
#                        the table reports medians.
#   KEEP=1               keep the temp dir (its path is printed).
#
# Usage: scripts/bench-build-dependency.sh
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
unset CARGO_TARGET_DIR CARGO_BUILD_TARGET_DIR RUSTFLAGS RUSTC_WRAPPER CARGO_BUILD_RUSTC_WRAPPER

work="$(mktemp -d "${TMPDIR:-/tmp}/bench-build-dependency.XXXXXX")"
cleanup() {
    if [[ "${KEEP:-}" == 1 ]]; then
        echo "kept: $work" >&2
    else
        rm -rf "$work"
    fi
}
trap cleanup EXIT

# `{ path = "…" }`-style dependency spec from a DOCGEN_FEATURES-style list.
# $1: the part before the features (e.g. `path = "…"` or `version = "…"`), $2: the list.
dep_spec() {
    local base="$1" list="$2" keep_default=0 f features=()
    IFS=',' read -r -a parts <<<"$list"
    for f in "${parts[@]}"; do
        f="${f//[[:space:]]/}"
        [[ -z "$f" ]] && continue
        if [[ "$f" == default ]]; then keep_default=1; else features+=("\"$f\""); fi
    done
    local spec="{ $base"
    ((keep_default)) || spec+=", default-features = false"
    if ((${#features[@]})); then
        local IFS=','
        spec+=", features = [${features[*]}]"
        spec="${spec//\",\"/\", \"}"
    fi
    echo "$spec }"
}

seconds_since() { awk -v s="$1" -v e="$(date +%s%N)" 'BEGIN { printf "%.1f", (e - s) / 1e9 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }

progenitor_version="${PROGENITOR_VERSION:-}"
if [[ -z "$progenitor_version" ]]; then
    progenitor_version="$(cd "$work" && cargo info --quiet progenitor 2>/dev/null | sed -n 's/^version: \([^ ]*\).*/\1/p' | head -n1)"
    [[ -n "$progenitor_version" ]] || { echo "cannot find progenitor's version (cargo info progenitor)" >&2; exit 1; }
fi

docgen_dep="$(dep_spec "path = \"$root/generator\"" "${DOCGEN_FEATURES:-}")"
progenitor_dep="$(dep_spec "version = \"=$progenitor_version\"" "${PROGENITOR_FEATURES:-}")"

# --- A: docgen-user -----------------------------------------------------------
a="$work/docgen-user"
mkdir -p "$a/src"
cat >"$a/Cargo.toml" <<EOF
[package]
name = "docgen-user"
version = "0.1.0"
edition = "2024"
publish = false

[workspace]

[dependencies]
docgen-runtime = { path = "$root/runtime" }
serde = { version = "1", features = ["derive"] }
serde_json = "1"
chrono = { version = "0.4", default-features = false, features = ["serde", "std"] }
uuid = { version = "1", features = ["serde"] }

[build-dependencies]
docgen = $docgen_dep
EOF
cat >"$a/build.rs" <<EOF
fn main() {
    if let Err(e) = docgen::Config::new().docs("$root/docs-input").compile() {
        eprintln!("docgen: {e}");
        std::process::exit(1);
    }
}
EOF
# The generated mod.rs re-exports the runtime itself (`pub use ::docgen_runtime as runtime;`).
cat >"$a/src/lib.rs" <<'EOF'
include!(concat!(env!("OUT_DIR"), "/docgen/mod.rs"));
EOF
# The versions the project itself is tested with; cargo drops what this crate doesn't use.
cp "$root/Cargo.lock" "$a/Cargo.lock"

# --- B: progenitor-user -------------------------------------------------------
b="$work/progenitor-user"
mkdir -p "$b/src"
cat >"$b/Cargo.toml" <<EOF
[package]
name = "progenitor-user"
version = "0.1.0"
edition = "2024"
publish = false

[workspace]

[dependencies]
bytes = "1"
chrono = { version = "0.4", default-features = false, features = ["serde", "std"] }
futures = "0.3"
progenitor-client = "=$progenitor_version"
reqwest = { version = "0.13", default-features = false, features = ["json", "query", "stream", "http2", "rustls-no-provider"] }
rustls = { version = "0.23", default-features = false, features = ["ring", "std", "tls12"] }
serde = { version = "1", features = ["derive"] }
serde_json = "1"
uuid = { version = "1", features = ["serde"] }

[build-dependencies]
prettyplease = "0.3"
progenitor = $progenitor_dep
serde_json = "1"
syn = "3"
EOF
cat >"$b/build.rs" <<'EOF'
fn main() {
    let src = "openapi.json";
    println!("cargo:rerun-if-changed={}", src);
    let file = std::fs::File::open(src).unwrap();
    let spec = serde_json::from_reader(file).unwrap();
    let mut generator = progenitor::Generator::default();

    let tokens = generator.generate_tokens(&spec).unwrap();
    let ast = syn::parse2(tokens).unwrap();
    let content = prettyplease::unparse(&ast);

    let mut out_file = std::path::Path::new(&std::env::var("OUT_DIR").unwrap()).to_path_buf();
    out_file.push("codegen.rs");

    std::fs::write(out_file, content).unwrap();
}
EOF
cat >"$b/src/lib.rs" <<'EOF'
include!(concat!(env!("OUT_DIR"), "/codegen.rs"));
EOF
cat >"$b/openapi.json" <<'EOF'
{
  "openapi": "3.0.3",
  "info": { "title": "Users", "version": "1.0.0" },
  "paths": {
    "/users": {
      "get": {
        "operationId": "list_users",
        "summary": "List users",
        "parameters": [
          { "name": "top", "in": "query", "required": false, "schema": { "type": "integer", "format": "uint32" } },
          { "name": "filter", "in": "query", "required": false, "schema": { "type": "string" } }
        ],
        "responses": {
          "200": { "description": "A page of users", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/UserPage" } } } },
          "4XX": { "$ref": "#/components/responses/Error" },
          "5XX": { "$ref": "#/components/responses/Error" }
        }
      },
      "post": {
        "operationId": "create_user",
        "summary": "Create a user",
        "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/User" } } } },
        "responses": {
          "201": { "description": "The new user", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/User" } } } },
          "4XX": { "$ref": "#/components/responses/Error" },
          "5XX": { "$ref": "#/components/responses/Error" }
        }
      }
    },
    "/users/{user_id}": {
      "parameters": [
        { "name": "user_id", "in": "path", "required": true, "schema": { "type": "string", "format": "uuid" } }
      ],
      "get": {
        "operationId": "get_user",
        "summary": "Get a user",
        "parameters": [
          { "name": "select", "in": "query", "required": false, "schema": { "type": "string" } }
        ],
        "responses": {
          "200": { "description": "The user", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/User" } } } },
          "4XX": { "$ref": "#/components/responses/Error" },
          "5XX": { "$ref": "#/components/responses/Error" }
        }
      },
      "patch": {
        "operationId": "update_user",
        "summary": "Update a user",
        "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/UserUpdate" } } } },
        "responses": {
          "204": { "description": "Updated" },
          "4XX": { "$ref": "#/components/responses/Error" },
          "5XX": { "$ref": "#/components/responses/Error" }
        }
      },
      "delete": {
        "operationId": "delete_user",
        "summary": "Delete a user",
        "responses": {
          "204": { "description": "Deleted" },
          "4XX": { "$ref": "#/components/responses/Error" },
          "5XX": { "$ref": "#/components/responses/Error" }
        }
      }
    }
  },
  "components": {
    "responses": {
      "Error": { "description": "An error", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } }
    },
    "schemas": {
      "User": {
        "type": "object",
        "required": ["displayName"],
        "properties": {
          "id": { "type": "string", "format": "uuid", "readOnly": true },
          "displayName": { "type": "string" },
          "mail": { "type": "string", "nullable": true },
          "accountEnabled": { "type": "boolean" },
          "createdDateTime": { "type": "string", "format": "date-time", "readOnly": true },
          "status": { "$ref": "#/components/schemas/UserStatus" },
          "businessPhones": { "type": "array", "items": { "type": "string" } }
        }
      },
      "UserUpdate": {
        "type": "object",
        "properties": {
          "displayName": { "type": "string" },
          "mail": { "type": "string", "nullable": true },
          "accountEnabled": { "type": "boolean" },
          "status": { "$ref": "#/components/schemas/UserStatus" }
        }
      },
      "UserStatus": { "type": "string", "enum": ["active", "suspended", "deleted"] },
      "UserPage": {
        "type": "object",
        "required": ["value"],
        "properties": {
          "value": { "type": "array", "items": { "$ref": "#/components/schemas/User" } },
          "nextLink": { "type": "string", "nullable": true }
        }
      },
      "Error": {
        "type": "object",
        "required": ["code", "message"],
        "properties": {
          "code": { "type": "string" },
          "message": { "type": "string" },
          "target": { "type": "string", "nullable": true }
        }
      }
    }
  }
}
EOF

# --- measure --------------------------------------------------------------------
# Distinct crates (name + version) under the root's [build-dependencies] section.
build_dep_crates() {
    (cd "$1" && cargo tree --quiet -e normal,build --no-dedupe --charset ascii) |
        awk '/^\[build-dependencies\]$/ { on = 1; next } /^\[/ { on = 0 } on' |
        sed -e 's/^[ |`-]*//' | grep -v '^\[' | awk '{ print $1, $2 }' | sort -u | wc -l
}

# $1: crate dir, $2: label. Sets secs, units.
build_cold() {
    local dir="$1" log="$work/$2.build.log" start
    rm -rf "$work/target-$2"
    start=$(date +%s%N)
    if ! (cd "$dir" && CARGO_TARGET_DIR="$work/target-$2" cargo build --color never) >"$log" 2>&1; then
        echo "cargo build of $2 failed; last lines of $log:" >&2
        tail -n 40 "$log" >&2
        KEEP=1
        exit 1
    fi
    secs=$(seconds_since "$start")
    units=$(grep -c '^ *Compiling ' "$log" || true)
}

echo "docgen build-dependency: docgen = $docgen_dep" | sed "s|$root|<repo>|"
echo "progenitor $progenitor_version build-dependency: progenitor = $progenitor_dep"
for dir in "$a" "$b"; do
    (cd "$dir" && cargo fetch --quiet)
done
tree_a=$(build_dep_crates "$a")
tree_b=$(build_dep_crates "$b")

# Rounds interleave the two (A B, then B A, …) so that a slow spell of a
# shared machine hits both alike; the table shows each crate's median.
rounds="${ROUNDS:-3}"
times_a=() times_b=()
for ((r = 1; r <= rounds; r++)); do
    if ((r % 2)); then order=(a b); else order=(b a); fi
    for which in "${order[@]}"; do
        if [[ $which == a ]]; then
            build_cold "$a" docgen-user
            times_a+=("$secs") units_a=$units
        else
            build_cold "$b" progenitor-user
            times_b+=("$secs") units_b=$units
        fi
    done
    echo "round $r: A ${times_a[-1]} s, B ${times_b[-1]} s" >&2
done
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
secs_a=$(median "${times_a[@]}")
secs_b=$(median "${times_b[@]}")

echo
echo "| crate | cold \`cargo build\` s (median of $rounds) | runs | crates compiled | crates in build-dependency tree |"
echo "|---|---|---|---|---|"
printf "| A. docgen-user | %s | %s | %s | %s |\n" "$secs_a" "${times_a[*]}" "$units_a" "$tree_a"
printf "| B. progenitor-user | %s | %s | %s | %s |\n" "$secs_b" "${times_b[*]}" "$units_b" "$tree_b"
printf "| A / B | %s | | %s | %s |\n" "$(ratio "$secs_a" "$secs_b")" "$(ratio "$units_a" "$units_b")" "$(ratio "$tree_a" "$tree_b")"

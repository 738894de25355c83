//! What the compiler cannot build, and what docgen emits instead.
//!
//! Measured with rustc 1.95 (`cargo check` of generated crates, 2 cores):
//!
//! | item | where it breaks | what docgen does |
//! |---|---|---|
//! | fields in one struct | `#[derive(PartialEq)]` nests one `&&` per field and overflows rustc's stack (SIGSEGV) from about 5,300 fields; serde's `Deserialize` costs 25 s and 2.4 GB at 5,000 | keeps the first [`MAX_FIELDS`] (1,000 check in about 5 s); the rest are read into `additional_properties`, with `emit-limit` |
//! | members of one enum | nothing breaks, but cost grows with the square (20,000: 31 s, 2.3 GB; 50,000: 4 min, 11 GB) | keeps the first [`MAX_MEMBERS`]; other values land in the catch-all variant, with `emit-limit` |
//! | structs nested by value (`Option<B>` in `A`, `Option<C>` in `B`…) | a compile error, `queries overflow the depth limit`, from a depth of about 63 (rustc's recursion limit of 128, two layout steps a level) | boxes the field that would make a chain deeper than [`MAX_VALUE_DEPTH`] |
//! | methods in one `impl` | nothing: 20,000 methods check in 11 s | nothing |
//! | doc strings | nothing: a 10 MiB description checks in 4 s | nothing |
//!
//! The largest real types are far below these: 213 properties
//! (`windows10GeneralConfiguration`) and 826 enum members in Graph v1.0.

use crate::diag::{Code, Diagnostic};
use crate::source::Span;

/// Most fields one struct gets (inherited ones included).
pub const MAX_FIELDS: usize = 1000;

/// Most members one enum gets.
pub const MAX_MEMBERS: usize = 5000;

/// Longest chain of structs held by value, one inside the next.
pub const MAX_VALUE_DEPTH: usize = 32;

/// `emit-limit` for an item cut to a limit, at `at` (where the page
/// documents it): `subject` names it (`` `hugeConfiguration` ``), `what` are
/// its items (`properties`, `members`, `parameters`), `total` how many the
/// pages give it.
pub fn cut(at: Span, subject: &str, what: &str, total: usize, kept: usize) -> Diagnostic {
    let note = if what == "members" {
        format!(
            "other values are kept in the enum's catch-all variant; compile time grows with the \
             square of the member count, so docgen stops at {kept}"
        )
    } else {
        format!(
            "the others are kept, untyped, in `additional_properties`; past about 5,000 fields \
             rustc itself crashes, so docgen stops at {kept}"
        )
    };
    Diagnostic::new(
        Code::EmitLimit,
        at,
        format!(
            "{subject} has {total} {what}, more than generated code should hold: the first {kept} are typed"
        ),
    )
    .with_note(note)
}

/// Which by-value edges to box so that no chain of structs held by value is
/// deeper than [`MAX_VALUE_DEPTH`]. `edges[i]` are the types `i` holds by value
/// (after the boxing that breaks cycles); `order` lists types so that every
/// type comes after those it holds (sinks first). Returns (holder, held) pairs.
pub fn depth_boxes(edges: &[Vec<usize>], order: &[usize]) -> Vec<(usize, usize)> {
    let mut depth = vec![1usize; edges.len()];
    let mut boxed = Vec::new();
    for &node in order {
        let mut deepest = 0;
        for &held in &edges[node] {
            let below = depth.get(held).copied().unwrap_or(1);
            if below + 1 > MAX_VALUE_DEPTH {
                boxed.push((node, held));
            } else {
                deepest = deepest.max(below);
            }
        }
        depth[node] = deepest + 1;
    }
    boxed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_chain_is_boxed_where_it_would_pass_the_depth() {
        // 0 holds 1, 1 holds 2, … 99 holds nothing: sinks first.
        let n = 100;
        let edges: Vec<Vec<usize>> = (0..n)
            .map(|i| if i + 1 < n { vec![i + 1] } else { vec![] })
            .collect();
        let order: Vec<usize> = (0..n).rev().collect();
        let boxed = depth_boxes(&edges, &order);
        assert!(!boxed.is_empty());
        // No chain between boxes is longer than the limit.
        let mut run = 1;
        for i in (0..n - 1).rev() {
            if boxed.contains(&(i, i + 1)) {
                run = 1;
            } else {
                run += 1;
            }
            assert!(run <= MAX_VALUE_DEPTH, "chain of {run} at {i}");
        }
        // A short chain is left alone.
        let short: Vec<Vec<usize>> = vec![vec![1], vec![2], vec![]];
        assert!(depth_boxes(&short, &[2, 1, 0]).is_empty());
    }
}

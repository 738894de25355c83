//! Writes the document of `docgen ir --json` on every core.
//!
//! The bytes are exactly those of `serde_json::to_writer_pretty(&IrJson)` (a
//! test compares them), but each type, operation and diagnostic is serialized
//! on its own, on whichever core is free, and the pieces are joined in order.
//! Written in one piece, serializing 15 MB of the v1.0 IR was a sixth of the
//! process, spent on one core after the pages had been read on all of them.

use std::io::{self, Write};

use serde::Serialize;

use super::json::{DiagnosticJson, IrJson, OperationJson, TypeJson};
use crate::parallel::*;

/// Items per piece: enough to keep the joining cheap, few enough that the
/// cores share the work evenly.
const PIECE: usize = 32;

/// Pieces serialized before they are written, a few per core.
const BATCH: usize = 8;

/// Writes `doc` as indented JSON, as `serde_json::to_writer_pretty` would.
pub fn write_pretty<W: Write>(doc: &IrJson<'_>, out: &mut W) -> io::Result<()> {
    let sources = doc.sources;
    out.write_all(b"{\n  \"version\": 1,\n  \"types\": ")?;
    array(out, &doc.ir.types, |t| TypeJson(t, sources))?;
    out.write_all(b",\n  \"operations\": ")?;
    array(out, &doc.ir.operations, |o| OperationJson(o, sources))?;
    out.write_all(b",\n  \"diagnostics\": ")?;
    array(out, doc.diagnostics, |d| DiagnosticJson(d, sources))?;
    out.write_all(b"\n}")
}

/// One member of the top-level object: an array of `items` through `view`.
fn array<'a, W: Write, T: Sync, U: Serialize>(
    out: &mut W,
    items: &'a [T],
    view: impl Fn(&'a T) -> U + Sync,
) -> io::Result<()> {
    if items.is_empty() {
        return out.write_all(b"[]");
    }
    out.write_all(b"[")?;
    let mut first = true;
    // A batch at a time, so that the next batch's pieces reuse the memory of
    // the last: pieces of the whole document at once were 15 MB of fresh
    // memory, 3,400 more page faults than one stream (1,300 when batched).
    for batch in items.chunks(PIECE * BATCH) {
        let pieces: Vec<io::Result<Vec<u8>>> = batch
            .par_chunks(PIECE)
            .map(|chunk| {
                let mut piece = Vec::new();
                for item in chunk {
                    piece.extend_from_slice(b",\n    ");
                    let mut serializer =
                        serde_json::Serializer::with_formatter(&mut piece, Nested::default());
                    view(item).serialize(&mut serializer)?;
                }
                Ok(piece)
            })
            .collect();
        for piece in pieces {
            let piece = piece?;
            // The first item has no separator before it.
            let skip = if first { 1 } else { 0 };
            first = false;
            out.write_all(&piece[skip..])?;
        }
    }
    out.write_all(b"\n  ]")
}

/// serde_json's pretty layout (two spaces a level) for an item of an array
/// inside the top-level object, so two levels in. serde_json's own
/// `PrettyFormatter` always starts at the margin.
#[derive(Default)]
struct Nested {
    /// Levels below the item's own.
    depth: usize,
    /// Whether the innermost open array or object has a member yet.
    has_value: bool,
}

impl Nested {
    /// Two levels for the item's place in the document, then its own.
    fn new_line<W: ?Sized + Write>(&self, out: &mut W) -> io::Result<()> {
        out.write_all(b"\n    ")?;
        for _ in 0..self.depth {
            out.write_all(b"  ")?;
        }
        Ok(())
    }

    fn open<W: ?Sized + Write>(&mut self, out: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        out.write_all(bracket)
    }

    fn close<W: ?Sized + Write>(&mut self, out: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.depth -= 1;
        if self.has_value {
            self.new_line(out)?;
        }
        out.write_all(bracket)
    }

    fn member<W: ?Sized + Write>(&mut self, out: &mut W, first: bool) -> io::Result<()> {
        if !first {
            out.write_all(b",")?;
        }
        self.new_line(out)
    }
}

impl serde_json::ser::Formatter for Nested {
    fn begin_array<W: ?Sized + Write>(&mut self, out: &mut W) -> io::Result<()> {
        self.open(out, b"[")
    }

    fn end_array<W: ?Sized + Write>(&mut self, out: &mut W) -> io::Result<()> {
        self.close(out, b"]")
    }

    fn begin_array_value<W: ?Sized + Write>(&mut self, out: &mut W, first: bool) -> io::Result<()> {
        self.member(out, first)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, _out: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + Write>(&mut self, out: &mut W) -> io::Result<()> {
        self.open(out, b"{")
    }

    fn end_object<W: ?Sized + Write>(&mut self, out: &mut W) -> io::Result<()> {
        self.close(out, b"}")
    }

    fn begin_object_key<W: ?Sized + Write>(&mut self, out: &mut W, first: bool) -> io::Result<()> {
        self.member(out, first)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, out: &mut W) -> io::Result<()> {
        out.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, _out: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_what_serde_json_writes() {
        let docs = crate::read_pages(&[
            (
                "resources/widget.md",
                b"# widget resource type\n\n## Properties\n\n|Property|Type|Description|\n|:--|:--|:--|\n|id|String|The id.|\n|size|Int32|How big.|\n" as &[u8],
            ),
            (
                "api/widget-get.md",
                b"---\ntitle: Get widget\n---\n# Get widget\n\n## HTTP request\n\n```http\nGET /widgets/{id}\n```\n\n## Response\n\nReturns a [widget](../resources/widget.md) object.\n",
            ),
            ("api/broken.md", b"# Nothing here\n"),
        ]);
        let doc = docs.json();
        assert!(!docs.ir.types.is_empty() && !docs.ir.operations.is_empty());
        assert!(!docs.diagnostics.is_empty());
        let mut ours = Vec::new();
        write_pretty(&doc, &mut ours).expect("writes to memory");
        let theirs = serde_json::to_vec_pretty(&doc).expect("serializes");
        assert_eq!(
            String::from_utf8_lossy(&ours),
            String::from_utf8_lossy(&theirs)
        );
    }

    #[test]
    fn empty_arrays_stay_on_one_line() {
        let docs = crate::read_pages(&[]);
        let mut ours = Vec::new();
        write_pretty(&docs.json(), &mut ours).expect("writes to memory");
        let theirs = serde_json::to_vec_pretty(&docs.json()).expect("serializes");
        assert_eq!(ours, theirs);
        assert!(String::from_utf8_lossy(&ours).contains("\"types\": [],"));
    }

    #[test]
    fn many_items_join_in_order() {
        // More than one batch of pieces, so the joining is exercised.
        let mut pages: Vec<(String, Vec<u8>)> = Vec::new();
        for i in 0..(PIECE * BATCH + PIECE * 2 + 5) {
            pages.push((
                format!("resources/thing{i}.md"),
                format!("# thing{i} resource type\n\n## Properties\n\n|Property|Type|Description|\n|:--|:--|:--|\n|id|String|Id \"{i}\"\\n.|\n").into_bytes(),
            ));
            pages.push((format!("api/empty{i}.md"), b"# Empty\n".to_vec()));
        }
        let refs: Vec<(&str, &[u8])> = pages
            .iter()
            .map(|(p, b)| (p.as_str(), b.as_slice()))
            .collect();
        let docs = crate::read_pages(&refs);
        assert!(docs.ir.types.len() > PIECE * BATCH);
        assert!(docs.diagnostics.len() > PIECE);
        let mut ours = Vec::new();
        write_pretty(&docs.json(), &mut ours).expect("writes to memory");
        let theirs = serde_json::to_vec_pretty(&docs.json()).expect("serializes");
        assert_eq!(ours, theirs);
    }
}

//! Doc comments from page text.
//!
//! Page text only ever reaches generated code as the string literal of a
//! `#[doc = "…"]` attribute built by the token layer, so it cannot become code.
//! It is also made harmless as documentation: no doctests (indented or fenced
//! code is defused), no accidental intra-doc links or HTML, no bidirectional
//! control characters (rustc rejects them in comments), no control characters.

use proc_macro2::TokenStream;
use quote::quote;

/// Accumulates the lines of one doc comment.
#[derive(Debug, Default, Clone)]
pub struct Doc {
    lines: Vec<String>,
}

impl Doc {
    /// An empty doc comment.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds page text as one or more paragraphs (a blank line before, if needed).
    pub fn text(&mut self, text: &str) -> &mut Self {
        let cleaned: Vec<String> = text
            .lines()
            .map(|l| sanitize(l.trim()))
            .collect::<Vec<_>>()
            .join("\n")
            .trim()
            .lines()
            .map(str::to_owned)
            .collect();
        if cleaned.iter().all(|l| l.is_empty()) {
            return self;
        }
        self.paragraph_break();
        self.lines.extend(cleaned);
        self
    }

    /// Adds page text as a list item (no blank line before).
    pub fn item(&mut self, text: &str) -> &mut Self {
        let line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
        self.lines.push(format!("- {}", sanitize(&line)));
        self
    }

    /// Adds a line written by docgen itself (trusted Markdown, e.g. a code span).
    pub fn raw(&mut self, line: impl Into<String>) -> &mut Self {
        self.lines.push(line.into());
        self
    }

    /// Ends the current paragraph.
    pub fn paragraph_break(&mut self) -> &mut Self {
        if self.lines.last().is_some_and(|l| !l.is_empty()) {
            self.lines.push(String::new());
        }
        self
    }

    /// Whether nothing was added.
    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// The `#[doc = "…"]` attributes.
    pub fn tokens(&self) -> TokenStream {
        let mut lines: &[String] = &self.lines;
        while let [rest @ .., last] = lines {
            if last.is_empty() {
                lines = rest;
            } else {
                break;
            }
        }
        let attrs = lines.iter().map(|l| {
            let text = if l.is_empty() {
                String::new()
            } else {
                format!(" {l}")
            };
            quote!(#[doc = #text])
        });
        quote!(#(#attrs)*)
    }
}

/// Makes one line of page text safe and quiet as rustdoc Markdown.
pub fn sanitize(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    for c in line.chars() {
        match c {
            // Bidirectional controls (Trojan Source): shown, not obeyed.
            '\u{202a}'..='\u{202e}'
            | '\u{2066}'..='\u{2069}'
            | '\u{200e}'
            | '\u{200f}'
            | '\u{061c}' => {
                out.push_str(
                    &format!("<U+{:04X}>", c as u32)
                        .replace('<', "&lt;")
                        .replace('>', "&gt;"),
                );
            }
            c if c.is_control() => out.push(' '),
            // Brackets would be read as intra-doc links, angle brackets as HTML.
            '[' => out.push_str("\\["),
            ']' => out.push_str("\\]"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            _ => out.push(c),
        }
    }
    // A fence would open a code block that rustdoc compiles as a doctest.
    let out = out.replace("```", "\\`\\`\\`");
    // Bare URLs are linkified instead of linted.
    linkify(&out)
}

fn linkify(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(at) = rest.find("http") {
        let (before, candidate) = rest.split_at(at);
        out.push_str(before);
        if candidate.starts_with("https://") || candidate.starts_with("http://") {
            let end = candidate
                .find(|c: char| c.is_whitespace() || c == ')' || c == '"' || c == '\\' || c == '&')
                .unwrap_or(candidate.len());
            let url = candidate[..end].trim_end_matches(['.', ',', ';', ':']);
            out.push('<');
            out.push_str(url);
            out.push('>');
            rest = &candidate[url.len()..];
        } else {
            out.push_str("http");
            rest = &candidate[4..];
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_text_stays_text() {
        let mut doc = Doc::new();
        doc.text("Ends */ with \"quotes\" \\ #[attr] \"); } fn x() { [link][] <b>");
        let tokens = doc.tokens().to_string();
        let parsed: syn::File = syn::parse_str(&format!("{tokens} struct S;")).expect("parses");
        assert_eq!(parsed.items.len(), 1);
        let rendered = prettyplease::unparse(&parsed);
        assert!(rendered.contains(r"\[link\]\[\] &lt;b&gt;"), "{rendered}");
    }

    #[test]
    fn bidi_controls_and_code_blocks_are_defused() {
        let s = sanitize("a\u{202e}b ```rust");
        assert!(!s.contains('\u{202e}'));
        assert!(s.contains("U+202E"));
        assert!(!s.contains("```"));
        let mut doc = Doc::new();
        doc.text("    indented code\n\tand a tab");
        assert!(doc.tokens().to_string().contains("\" indented code\""));
    }

    #[test]
    fn urls_become_autolinks() {
        assert_eq!(sanitize("See https://aka.ms/x."), "See <https://aka.ms/x>.");
    }
}

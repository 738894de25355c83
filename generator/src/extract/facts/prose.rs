//! The prose of a page: the summary, "Inherits from", and the sentences of the
//! Request body, Response and query-options sections.

use super::*;
use crate::extract::blocks::Link;

impl Reader<'_> {
    pub(super) fn paragraph(&mut self, inline: &Inline) {
        let text = inline.trimmed();
        if let Some(ns) = text.strip_prefix("Namespace:") {
            if self.facts.namespace.is_none() {
                self.facts.namespace = ns.split_whitespace().next().map(str::to_owned);
            }
            return;
        }
        if self.facts.inherits.is_none()
            && let Some(at) = text.find("Inherits from")
        {
            self.facts.inherits = mention_after(inline, at + "Inherits from".len());
        }
        if !self.seen_h2 {
            if self.facts.summary.is_none() && is_summary(text) {
                self.facts.summary = Some(text.to_owned());
            }
            return;
        }
        match self.nearest {
            Section::RequestBody => self.request_body_prose(inline),
            Section::Response => self.response_prose(inline),
            Section::QueryOptions => self.query_prose(inline),
            _ => {}
        }
    }

    fn request_body_prose(&mut self, inline: &Inline) {
        let lower = inline.text.to_ascii_lowercase();
        if lower.contains("do not supply") || lower.contains("don't supply") {
            self.facts.request_body.none = true;
        }
        if self.facts.request_body.mention.is_none() {
            if let Some(at) = lower.find("json representation") {
                let after = at + "json representation".len();
                self.facts.request_body.mention = mention_after(inline, after);
            } else if self.section_blocks == 0 && inline.text.len() < 60 {
                // A terse section: "A [teamsTab](../resources/teamstab.md)."
                self.facts.request_body.mention =
                    mention_after(inline, 0).filter(|m| m.link.is_some());
            }
        }
    }

    /// Reads the Response section paragraph by paragraph: the first status
    /// code, and the first type named after it ("… and a [user](user.md)
    /// object", "… returns a [list][] in the response body").
    fn response_prose(&mut self, inline: &Inline) {
        let response = self.facts.response.get_or_insert_with(|| ResponseFacts {
            status: None,
            mention: None,
            collection: false,
            span: inline.span.clone(),
        });
        if response.mention.is_some() {
            return;
        }
        let text = &inline.text;
        let mut after = 0;
        if response.status.is_none()
            && let Some(at) = status_code(text)
        {
            response.status = text[at..at + 3].parse().ok();
            response.span = inline.span.clone();
            after = at + 3;
        }
        // Links to error pages or concepts are not types.
        let mention = inline
            .links
            .iter()
            .filter(|l| is_type_link(l))
            .find(|l| link_offset(inline, l).is_some_and(|o| o >= after))
            .map(|l| Mention {
                name: l.text.trim().to_owned(),
                link: (!l.dest.is_empty()).then(|| l.dest.clone()),
                span: inline.span.clone(),
            })
            .or_else(|| word_mention(inline, after));
        if mention.is_some() {
            response.collection = text[after..].to_ascii_lowercase().contains("collection");
            response.mention = mention;
        }
    }

    fn query_prose(&mut self, inline: &Inline) {
        let lower = inline.text.to_ascii_lowercase();
        if lower.contains("query parameters") && lower.contains("support") {
            self.facts.generic_query_support = !(lower.contains("does not support")
                || lower.contains("doesn't support")
                || lower.contains("not supported"));
        }
        for word in inline
            .text
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '$'))
        {
            if word.len() > 1
                && word.starts_with('$')
                && word[1..].chars().all(|c| c.is_ascii_alphabetic())
            {
                let option = word.to_ascii_lowercase();
                if !self.facts.query_options.contains(&option) {
                    self.facts.query_options.push(option);
                }
            }
        }
    }
}

/// Whether a prose paragraph before the first section is the page's summary.
pub(super) fn is_summary(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    !(text.is_empty()
        || text.starts_with('>')
        || text.starts_with("[!")
        || lower.starts_with("note")
        || lower.starts_with("**note")
        || lower.starts_with("important")
        || lower.starts_with("this api is available")
        || lower.starts_with("global service")
        || lower.starts_with("[!include"))
}

/// Offset of a link's text in the inline text.
pub(super) fn link_offset(inline: &Inline, link: &Link) -> Option<usize> {
    if link.text.is_empty() {
        return None;
    }
    inline.text.find(&link.text)
}

/// A link that names a type: a relative `.md` page, or a reference link.
pub(super) fn is_type_link(link: &Link) -> bool {
    let dest = link.dest.to_ascii_lowercase();
    let text = link.text.trim();
    !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '_')
        && !dest.starts_with("http")
        && !dest.starts_with('#')
        && !dest.contains("/concepts/")
        && !dest.contains("errors")
}

/// The first type named after `offset`: a link, else the word before "object(s)".
pub(super) fn mention_after(inline: &Inline, offset: usize) -> Option<Mention> {
    let link = inline
        .links
        .iter()
        .filter(|l| is_type_link(l))
        .find(|l| link_offset(inline, l).is_some_and(|o| o >= offset));
    match link {
        Some(l) => Some(Mention {
            name: l.text.trim().to_owned(),
            link: (!l.dest.is_empty()).then(|| l.dest.clone()),
            span: inline.span.clone(),
        }),
        None => word_mention(inline, offset),
    }
}

/// Plain text: "… of the X object", "… a X object", "collection of X objects".
pub(super) fn word_mention(inline: &Inline, offset: usize) -> Option<Mention> {
    let rest = inline.text.get(offset..)?;
    let words: Vec<&str> = rest
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_ascii_alphanumeric()))
        .collect();
    // "… a fooBar object", "… fooBar objects", "… a String collection in the response body".
    let index = words.iter().enumerate().position(|(i, w)| {
        matches!(*w, "object" | "objects")
            || (*w == "in" && words.get(i + 1..i + 4) == Some(&["the", "response", "body"][..]))
    })?;
    let mut before = index.checked_sub(1)?;
    if words[before] == "collection" {
        before = before.checked_sub(1)?;
    }
    let name = words[before];
    let article = matches!(name, "the" | "a" | "an" | "JSON" | "this" | "code" | "and");
    let word_like = name.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && name.chars().all(|c| c.is_ascii_alphanumeric());
    (!article && word_like).then(|| Mention {
        name: name.to_owned(),
        link: None,
        span: inline.span.clone(),
    })
}

/// Offset of the first HTTP status code (100–599) standing as a word.
pub(super) fn status_code(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    (0..bytes.len().saturating_sub(2)).find(|&i| {
        let digits = bytes[i..i + 3].iter().all(u8::is_ascii_digit);
        let before_ok = i == 0 || !bytes[i - 1].is_ascii_alphanumeric();
        let after_ok = bytes.get(i + 3).is_none_or(|b| !b.is_ascii_alphanumeric());
        digits && before_ok && after_ok && (b'1'..=b'5').contains(&bytes[i])
    })
}

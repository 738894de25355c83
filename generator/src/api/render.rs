//! The report of API changes as text (terminals, CI logs), Markdown (pull
//! requests, release notes) and JSON (bots).

use super::compare::{Change, Class, Report};

const CLASSES: [Class; 3] = [Class::Breaking, Class::PossiblyBreaking, Class::Compatible];

/// The headline: `API changes: 1 breaking, 2 possibly breaking, 3 compatible`.
pub fn headline(report: &Report) -> String {
    let s = &report.summary;
    if report.is_empty() {
        return format!("API changes: none ({} public items)", s.items_after);
    }
    format!(
        "API changes: {} breaking, {} possibly breaking, {} compatible ({} → {} public items)",
        s.breaking, s.possibly_breaking, s.compatible, s.items_before, s.items_after
    )
}

/// The entries text shows per class; the rest are counted (the Markdown and
/// JSON forms list every change).
const TEXT_LIMIT: usize = 50;

/// Text: the headline, then one entry per change under its class (at most
/// [`TEXT_LIMIT`] each, so a regeneration of the whole Graph stays readable).
pub fn text(report: &Report) -> String {
    let mut out = headline(report);
    out.push('\n');
    for class in CLASSES {
        let changes: Vec<&Change> = report.changes.iter().filter(|c| c.class == class).collect();
        if changes.is_empty() {
            continue;
        }
        out.push_str(&format!("\n{} ({}):\n", class.as_str(), changes.len()));
        let more = changes.len().saturating_sub(TEXT_LIMIT);
        for c in changes.into_iter().take(TEXT_LIMIT) {
            out.push_str(&format!("  - {}\n", sentence(c)));
            if !c.note.is_empty() {
                out.push_str(&format!("      {}\n", c.note));
            }
            if !c.pages.is_empty() {
                out.push_str(&format!("      page: {}\n", c.pages.join(", was ")));
            }
        }
        if more > 0 {
            out.push_str(&format!(
                "  … and {more} more {} (`--format markdown` or `json` lists every change)\n",
                class.as_str()
            ));
        }
    }
    for file in &report.unreadable {
        out.push_str(&format!(
            "\nnot compared (the Rust does not parse): {file}\n"
        ));
    }
    out
}

/// Markdown for a pull request or release notes: the headline, then a
/// table per class.
pub fn markdown(report: &Report) -> String {
    let mut out = format!("### {}\n", headline(report));
    for class in CLASSES {
        let changes: Vec<&Change> = report.changes.iter().filter(|c| c.class == class).collect();
        if changes.is_empty() {
            continue;
        }
        out.push_str(&format!(
            "\n#### {} ({})\n\n| change | what it means | page |\n|---|---|---|\n",
            capitalized(class.as_str()),
            changes.len()
        ));
        for c in changes {
            out.push_str(&format!(
                "| {} | {} | {} |\n",
                cell(&sentence(c)),
                cell(&c.note),
                cell(
                    &c.pages
                        .iter()
                        .map(|p| format!("`{p}`"))
                        .collect::<Vec<_>>()
                        .join(", was ")
                )
            ));
        }
    }
    for file in &report.unreadable {
        out.push_str(&format!(
            "\nNot compared (the Rust does not parse): `{file}`\n"
        ));
    }
    out
}

/// JSON: `{"summary": {…}, "changes": [...]}`, pretty, with a final newline.
pub fn json(report: &Report) -> String {
    let mut out = serde_json::to_string_pretty(report).unwrap_or_default();
    out.push('\n');
    out
}

/// `removed call `client.teams().by_id(team_id).get()` (GET /teams/{id})`.
fn sentence(c: &Change) -> String {
    let q = |s: &str| format!("`{s}`");
    let mut out = format!("{} {} {}", c.what.as_str(), c.kind.as_str(), q(&c.item));
    match (c.what, &c.old, &c.new) {
        (super::compare::What::Renamed, Some(old), _) => {
            out.push_str(&format!(" (was {})", q(old)));
        }
        (_, Some(old), Some(new)) => out.push_str(&format!(": {} → {}", q(old), q(new))),
        (_, None, Some(new)) | (_, Some(new), None) if !new.is_empty() => {
            out.push_str(&format!(": {}", q(new)));
        }
        _ => {}
    }
    if let Some(http) = &c.http {
        out.push_str(&format!(" ({http})"));
    }
    out
}

fn capitalized(s: &str) -> String {
    let mut chars = s.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// A table cell: pipes escaped, no line breaks.
fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

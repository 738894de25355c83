//! Tables: properties, parameters, enum members, permissions, request headers.

use super::*;

impl Reader<'_> {
    pub(super) fn table(&mut self, table: &Table) {
        self.pending_annotation = None;
        let headers: Vec<String> = table
            .header
            .iter()
            .map(|h| h.trimmed().to_ascii_lowercase())
            .collect();
        let first = headers.first().map(String::as_str).unwrap_or("");
        let joined = join_continuations(table, headers.len());
        for line in joined.iter().flat_map(|(_, breaks)| breaks.iter().cloned()) {
            self.diags.push(
                Diagnostic::new(
                    Code::TableRowCells,
                    self.span(line),
                    "this line continues the row above: a raw line break splits the row",
                )
                .with_note("it was read as the rest of the row's last cell; use `<br>` for a line break in a cell"),
            );
        }
        let rebuilt;
        let table = match joined {
            Some((rows, _)) => {
                rebuilt = Table {
                    header: table.header.clone(),
                    rows,
                    span: table.span.clone(),
                };
                &rebuilt
            }
            None => table,
        };
        for row in &table.rows {
            if row.source_cells != headers.len() && row.source_cells > 0 {
                let message = format!(
                    "this row has {} cells but the table header has {}",
                    row.source_cells,
                    headers.len()
                );
                let hint = if row.source_cells > headers.len() {
                    "an unescaped `|` inside a cell splits it: write `\\|`; the extra cells were read as part of the last one"
                } else {
                    "missing cells were read as empty"
                };
                self.diags.push(
                    Diagnostic::new(Code::TableRowCells, self.span(row.span.clone()), message)
                        .with_note(hint),
                );
            }
        }
        // The heading decides first: a Properties table with a Methods-style
        // header is still a Properties table.
        let property_section = matches!(
            self.nearest,
            Section::Properties
                | Section::Relationships
                | Section::RequestBody
                | Section::Parameters
                | Section::QueryOptions
        );
        if !property_section
            && (first.starts_with("permission") || self.nearest == Section::Permissions)
        {
            for row in &table.rows {
                if let [kind, perms, ..] = row.cells.as_slice() {
                    self.facts
                        .permissions
                        .push((kind.trimmed().to_owned(), perms.trimmed().to_owned()));
                }
            }
            return;
        }
        if !property_section && (first == "method" || self.nearest == Section::Methods) {
            self.facts.has_methods_table = true;
            return;
        }
        if self.nearest == Section::RequestHeaders || first == "header" {
            self.header_rows(table, &headers);
            return;
        }
        let member_table = first == "member"
            || (self.nearest == Section::Members
                && (first == "value" || first == "name" || first == "member name"));
        if member_table {
            self.enum_table(table, &headers);
            return;
        }
        let Some(type_col) = headers
            .iter()
            .position(|h| h == "type" || h == "return type")
            .or_else(|| self.value_column_of_types(table, &headers))
        else {
            return;
        };
        let role = match self.nearest {
            Section::Relationships => TableRole::Relationships,
            Section::RequestBody => TableRole::RequestBody,
            Section::Parameters | Section::QueryOptions => TableRole::Parameters,
            Section::Properties => TableRole::Properties,
            _ if first.starts_with("relationship") => TableRole::Relationships,
            _ if first.starts_with("parameter") => TableRole::Parameters,
            _ if first.starts_with("propert") || first == "name" => TableRole::Properties,
            _ => return,
        };
        let description_col = headers
            .iter()
            .position(|h| h.contains("description"))
            .unwrap_or(headers.len().saturating_sub(1));
        let required_col = headers.iter().position(|h| h.starts_with("required"));
        let rows = table
            .rows
            .iter()
            .filter_map(|row| self.property_row(row, type_col, description_col, required_col))
            .collect();
        self.facts.property_tables.push(PropertyTable {
            role,
            heading: self.nearest_heading.clone(),
            rows,
            span: table.span.clone(),
        });
    }

    /// The Request headers table: `|Header|Value|`, `|Name|Description|` or
    /// `|Name|Type|Description|`, a name cell sometimes carrying a value
    /// (`Prefer: outlook.timezone`). Rows whose name is no header name
    /// (prose, placeholders) are left out: the table is documentation only.
    fn header_rows(&mut self, table: &Table, headers: &[String]) {
        // The text worth keeping: the value or description column, not a type.
        let text_cols: Vec<usize> = (1..headers.len())
            .filter(|&c| headers[c] != "type")
            .collect();
        // `### Prefer header values`: the rows are values of that header.
        let heading = self.nearest_heading.to_ascii_lowercase();
        let values_of = heading
            .strip_suffix("header values")
            .and_then(|h| h.split_whitespace().next())
            .map(|_| {
                self.nearest_heading
                    .split_whitespace()
                    .next()
                    .unwrap_or_default()
                    .trim_matches(['*', '`'])
                    .to_owned()
            })
            .filter(|name| is_header_name(name));
        for row in &table.rows {
            let Some(cell) = row.cells.first() else {
                continue;
            };
            if let Some(header) = &values_of {
                let value = cell.trimmed().trim_matches(['*', '`', ' ']);
                if !value.is_empty() {
                    self.facts.request_headers.push(HeaderRow {
                        name: header.clone(),
                        value: Some(value.to_owned()),
                        description: String::new(),
                        span: row.span.clone(),
                    });
                }
                continue;
            }
            let cell = cell
                .trimmed()
                .trim_matches(|c: char| c == '*' || c == '`' || c.is_whitespace());
            let (name, value) = match cell.split_once(':') {
                Some((name, value)) => (
                    name.trim().trim_matches(['*', '`']),
                    Some(value.trim().trim_matches(['*', '`', ' '])),
                ),
                None => (cell.trim(), None),
            };
            if !is_header_name(name) {
                continue;
            }
            let description = text_cols
                .iter()
                .filter_map(|&c| row.cells.get(c))
                .map(|c| c.trimmed())
                .filter(|t| !t.is_empty())
                .collect::<Vec<_>>()
                .join(" ");
            self.facts.request_headers.push(HeaderRow {
                name: name.to_owned(),
                value: value.filter(|v| !v.is_empty()).map(str::to_owned),
                description,
                span: row.span.clone(),
            });
        }
    }

    /// `|Name|Value|Description|` under Request body or Parameters, where
    /// every Value cell is a type (`string`, `[ItemReference](…)`): some
    /// pages (driveItem copy, check-in) write their parameters so. A Value
    /// cell that is no type (`etag`, `%unique_string%`) means the table is
    /// something else, a header or an example, and it is not read.
    fn value_column_of_types(&self, table: &Table, headers: &[String]) -> Option<usize> {
        let body = matches!(self.nearest, Section::RequestBody | Section::Parameters);
        if !body
            || headers.len() < 3
            || headers[1] != "value"
            || !headers[2].contains("description")
        {
            return None;
        }
        let typed =
            |cell: &Inline| !cell.links.is_empty() || typeref::primitive(cell.trimmed()).is_some();
        let all_typed = !table.rows.is_empty()
            && table
                .rows
                .iter()
                .all(|row| row.cells.get(1).is_some_and(typed));
        all_typed.then_some(1)
    }

    /// A row whose name cell is not empty but holds no usable name.
    fn unusable_name(&mut self, row: &crate::extract::blocks::Row, cell: &str) {
        if cell.trim().is_empty() {
            return;
        }
        let shown: String = cell.chars().take(60).collect();
        self.diags.push(Diagnostic::new(
            Code::NameUnusable,
            self.span(row.span.clone()),
            format!(
                "`{}` is not a name; the row was skipped",
                shown.replace('`', "'")
            ),
        ));
    }

    fn property_row(
        &mut self,
        row: &crate::extract::blocks::Row,
        type_col: usize,
        description_col: usize,
        required_col: Option<usize>,
    ) -> Option<PropertyRow> {
        let name_cell = row.cells.first()?;
        let name = clean_name(name_cell.trimmed());
        if name.is_empty() {
            self.unusable_name(row, name_cell.trimmed());
            return None;
        }
        let empty = Inline::default();
        let ty_cell = row.cells.get(type_col).unwrap_or(&empty);
        let ty_span = if ty_cell.span.is_empty() {
            row.span.clone()
        } else {
            ty_cell.span.clone()
        };
        let (ty, ty_exact) = match typeref::parse(ty_cell) {
            Ok(t) => (t, true),
            Err(unparsed) => {
                self.diags.push(
                    Diagnostic::new(
                        Code::TypeCellUnparsed,
                        self.span(ty_span.clone()),
                        format!("type of `{name}`: {}", unparsed.reason),
                    )
                    .with_note("docgen used untyped JSON for it"),
                );
                (unparsed.fallback, false)
            }
        };
        let description = row.cells.get(description_col).cloned().unwrap_or_default();
        let possible_values = possible_values(&description);
        let required = required_col
            .and_then(|c| row.cells.get(c))
            .map(|c| {
                let t = c.trimmed().to_ascii_lowercase();
                t.starts_with('y') || t == "true" || t.starts_with("required")
            })
            .or_else(|| {
                let d = description.text.to_ascii_lowercase();
                if d.contains("required.") || d.starts_with("required") {
                    Some(true)
                } else if d.contains("optional.") || d.starts_with("optional") {
                    Some(false)
                } else {
                    None
                }
            });
        Some(PropertyRow {
            name,
            ty,
            ty_exact,
            description,
            possible_values,
            required,
            span: row.span.clone(),
            ty_span,
        })
    }

    fn enum_table(&mut self, table: &Table, headers: &[String]) {
        let value_col = headers.iter().position(|h| h == "value").filter(|&c| c > 0);
        let description_col = headers.iter().position(|h| h.contains("description"));
        // `### complianceStatus values` names an enum; `### Roles property values`
        // describes a property's strings and names nothing.
        let name = self
            .nearest_heading
            .trim()
            .strip_suffix(" values")
            .map(|n| n.trim().trim_matches('`').to_owned())
            .filter(|n| {
                !n.is_empty()
                    && n.chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '_')
            });
        let mut members = Vec::new();
        for row in &table.rows {
            let Some(first) = row.cells.first() else {
                continue;
            };
            let name = clean_name(first.trimmed());
            if name.is_empty() {
                self.unusable_name(row, first.trimmed());
                continue;
            }
            let cell = |c: Option<usize>| {
                c.and_then(|c| row.cells.get(c))
                    .map(|c| c.trimmed().to_owned())
                    .filter(|s| !s.is_empty())
            };
            members.push(EnumMemberRow {
                name,
                value: cell(value_col),
                description: cell(description_col).unwrap_or_default(),
                span: row.span.clone(),
            });
        }
        self.facts.enum_tables.push(EnumTable {
            name,
            members,
            span: table.span.clone(),
        });
    }
}

/// Rows split by a raw line break: a one-cell line after a row is the rest of
/// that row's last cell (`|x|Int32|Between 1 and` + `10.|`). The joined row keeps
/// the width of the first part; the break is reported.
pub(super) fn join_continuations(
    table: &Table,
    width: usize,
) -> Option<(Vec<crate::extract::blocks::Row>, Vec<Range<usize>>)> {
    // The common case, a table without broken rows, is used as it is.
    if width < 2
        || table
            .rows
            .iter()
            .all(|r| r.leading_pipe || r.source_cells != 1)
    {
        return None;
    }
    let mut rows: Vec<crate::extract::blocks::Row> = Vec::with_capacity(table.rows.len());
    let mut breaks = Vec::new();
    for row in &table.rows {
        let continuation = width > 1 && row.source_cells == 1 && !row.leading_pipe;
        match rows.last_mut() {
            Some(previous) if continuation && previous.leading_pipe => {
                if let (Some(last), Some(more)) = (previous.cells.last_mut(), row.cells.first()) {
                    let shift = last.text.len() + 1;
                    last.text.push(' ');
                    last.text.push_str(&more.text);
                    last.links.extend(more.links.iter().cloned());
                    last.codes.extend(
                        more.codes
                            .iter()
                            .map(|(at, code)| (at + shift, code.clone())),
                    );
                    last.span.end = more.span.end.max(last.span.end);
                }
                previous.span.end = row.span.end;
                breaks.push(row.span.clone());
            }
            _ => rows.push(row.clone()),
        }
    }
    Some((rows, breaks))
}

/// A header name as pages write them: letters, digits and `-` (a subset of
/// RFC 9110's tokens, so it is safe in a code span and in a string literal).
fn is_header_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// `**id**`, `` `id` ``, `id (deprecated)` → `id`.
pub(super) fn clean_name(cell: &str) -> String {
    let t = cell
        .trim()
        .trim_matches(|c| c == '*' || c == '`' || c == '_')
        .trim();
    let t = t.split_whitespace().next().unwrap_or("");
    t.trim_matches(|c: char| {
        !(c.is_alphanumeric() || c == '@' || c == '.' || c == '_' || c == '$' || c == '-')
    })
    .to_owned()
}

/// "Possible values are: `a`, `b`" → [a, b]; also without backticks (plain text).
pub(super) fn possible_values(description: &Inline) -> Vec<String> {
    let text = &description.text;
    let lower = text.to_ascii_lowercase();
    // Most descriptions list no values: one search decides that.
    if !lower.contains("possible values") {
        return Vec::new();
    }
    let Some(at) = [
        "possible values are",
        "possible values:",
        "possible values include",
        "the possible values are",
    ]
    .iter()
    .find_map(|p| lower.find(p).map(|i| i + p.len())) else {
        return Vec::new();
    };
    let from_codes: Vec<String> = description
        .codes
        .iter()
        .filter(|(offset, _)| *offset >= at)
        .map(|(_, code)| code.trim().to_owned())
        .filter(|c| is_member_name(c))
        .collect();
    if !from_codes.is_empty() {
        return from_codes;
    }
    let rest = text[at..].trim_start_matches([':', ' ']);
    let sentence_end = rest
        .char_indices()
        .find(|&(i, c)| c == '.' && rest[i + 1..].chars().next().is_none_or(char::is_whitespace))
        .map_or(rest.len(), |(i, _)| i);
    let values: Vec<String> = rest[..sentence_end]
        .split(',')
        .map(|v| v.trim().trim_start_matches("and ").trim().to_owned())
        .collect();
    if values.iter().all(|v| is_member_name(v)) {
        values
    } else {
        Vec::new()
    }
}

pub(super) fn is_member_name(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .next()
            .is_some_and(|c| c.is_alphanumeric() || c == '_')
        && s.chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '-' || c == '.')
}

//! JSON equivalence: what "written back equivalently" means in the tests
//! that read documented examples into generated types.

use serde_json::Value;

/// Where `written` is not equivalent to `original`, if anywhere.
///
/// Equivalent means: the same members, except that a `null` member may be
/// left out (an absent optional property); numbers equal as numbers (`1` and
/// `1.0`, and `"20158"` read as a number and written as one); strings equal, or the same instant written two ways
/// (`…11.9926581Z` and `…11.992658100Z`), the same time of day
/// (`08:00:00.0000000` and `08:00:00`), or the same GUID in another case.
pub fn difference(original: &Value, written: &Value, at: &str) -> Option<String> {
    match (original, written) {
        (Value::Object(a), Value::Object(b)) => {
            for (key, value) in a {
                let here = format!("{at}/{key}");
                match b.get(key) {
                    Some(other) => {
                        if let Some(d) = difference(value, other, &here) {
                            return Some(d);
                        }
                    }
                    None if value.is_null() => {}
                    None => return Some(format!("no `{here}`")),
                }
            }
            b.keys()
                .find(|k| !a.contains_key(*k))
                .map(|k| format!("an extra `{at}/{k}`"))
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => a
            .iter()
            .zip(b)
            .enumerate()
            .find_map(|(i, (x, y))| difference(x, y, &format!("{at}/{i}"))),
        (Value::Number(a), Value::Number(b)) if a.as_f64() == b.as_f64() => None,
        // Int64 and Decimal as strings (IEEE754Compatible), written back as numbers.
        (Value::String(a), Value::Number(b)) if a.parse::<f64>().ok() == b.as_f64() => None,
        (Value::String(a), Value::String(b)) if same_text(a, b) => None,
        _ if original == written => None,
        _ => Some(format!("`{at}` = {written} for {original}")),
    }
}

fn same_text(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    if let (Ok(x), Ok(y)) = (
        chrono::DateTime::parse_from_rfc3339(a),
        chrono::DateTime::parse_from_rfc3339(b),
    ) {
        return x == y;
    }
    if let (Ok(x), Ok(y)) = (
        chrono::NaiveTime::parse_from_str(a, "%H:%M:%S%.f"),
        chrono::NaiveTime::parse_from_str(b, "%H:%M:%S%.f"),
    ) {
        return x == y;
    }
    matches!((uuid::Uuid::parse_str(a), uuid::Uuid::parse_str(b)), (Ok(x), Ok(y)) if x == y)
}

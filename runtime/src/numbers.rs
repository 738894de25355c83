//! Serde adapters for OData numbers, which arrive as JSON numbers or strings.
//!
//! With `IEEE754Compatible=true` (and from SharePoint-backed drives without
//! being asked) the service writes `Edm.Int64` and `Edm.Decimal` values as
//! strings (`"size": "20158"`) so that JavaScript clients keep every digit,
//! and OData always writes the special floating values as `"NaN"`, `"INF"` and
//! `"-INF"`. Generated models read both forms into plain `i64`/`f64`/`f32`
//! and write numbers back (the special values as their OData strings, since
//! JSON has no number for them).
//!
//! ```ignore
//! #[serde(default, with = "runtime::odata_number", skip_serializing_if = "Option::is_none")]
//! size: Option<i64>,
//! ```

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::ser::{SerializeSeq, Serializer};

/// A number type an OData value can be read into.
pub trait ODataNumber: Copy + Sized {
    /// What the value is, for error messages (`an Int64`).
    const EXPECTING: &'static str;
    /// From a JSON integer.
    fn from_i64(value: i64) -> Option<Self>;
    /// From a JSON integer above `i64::MAX`.
    fn from_u64(value: u64) -> Option<Self>;
    /// From a JSON number with a fraction or exponent.
    fn from_f64(value: f64) -> Option<Self>;
    /// From a JSON string (`"20158"`, `"-INF"`).
    fn from_text(text: &str) -> Option<Self>;
    /// Writes the value.
    fn write<S: Serializer>(self, serializer: S) -> Result<S::Ok, S::Error>;
}

impl ODataNumber for i64 {
    const EXPECTING: &'static str = "an Int64 (a JSON integer or a string holding one)";
    fn from_i64(value: i64) -> Option<Self> {
        Some(value)
    }
    fn from_u64(value: u64) -> Option<Self> {
        i64::try_from(value).ok()
    }
    fn from_f64(value: f64) -> Option<Self> {
        // `20158.0` is an integer written with a fraction; `1.5` is not one.
        let fits = value.fract() == 0.0 && value >= i64::MIN as f64 && value < i64::MAX as f64;
        fits.then_some(value as i64)
    }
    fn from_text(text: &str) -> Option<Self> {
        text.trim().parse().ok()
    }
    fn write<S: Serializer>(self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_i64(self)
    }
}

fn special_float(text: &str) -> Option<f64> {
    match text {
        "NaN" => Some(f64::NAN),
        "INF" | "Infinity" => Some(f64::INFINITY),
        "-INF" | "-Infinity" => Some(f64::NEG_INFINITY),
        _ => None,
    }
}

fn write_float<S: Serializer>(value: f64, serializer: S) -> Result<S::Ok, S::Error> {
    if value.is_nan() {
        serializer.serialize_str("NaN")
    } else if value.is_infinite() {
        serializer.serialize_str(if value > 0.0 { "INF" } else { "-INF" })
    } else {
        serializer.serialize_f64(value)
    }
}

impl ODataNumber for f64 {
    const EXPECTING: &'static str = "a number (or a string holding one, `NaN`, `INF` or `-INF`)";
    fn from_i64(value: i64) -> Option<Self> {
        Some(value as f64)
    }
    fn from_u64(value: u64) -> Option<Self> {
        Some(value as f64)
    }
    fn from_f64(value: f64) -> Option<Self> {
        Some(value)
    }
    fn from_text(text: &str) -> Option<Self> {
        let text = text.trim();
        special_float(text).or_else(|| text.parse().ok())
    }
    fn write<S: Serializer>(self, serializer: S) -> Result<S::Ok, S::Error> {
        write_float(self, serializer)
    }
}

impl ODataNumber for f32 {
    const EXPECTING: &'static str = "a number (or a string holding one, `NaN`, `INF` or `-INF`)";
    fn from_i64(value: i64) -> Option<Self> {
        Some(value as f32)
    }
    fn from_u64(value: u64) -> Option<Self> {
        Some(value as f32)
    }
    fn from_f64(value: f64) -> Option<Self> {
        Some(value as f32)
    }
    fn from_text(text: &str) -> Option<Self> {
        f64::from_text(text).map(|v| v as f32)
    }
    fn write<S: Serializer>(self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.is_finite() {
            serializer.serialize_f32(self)
        } else {
            write_float(f64::from(self), serializer)
        }
    }
}

/// Reads one number in either form.
struct NumberVisitor<T>(PhantomData<T>);

impl<T: ODataNumber> NumberVisitor<T> {
    fn out_of_range<E: de::Error>(what: impl fmt::Display) -> E {
        E::custom(format_args!("{what} is not {}", T::EXPECTING))
    }
}

impl<'de, T: ODataNumber> Visitor<'de> for NumberVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(T::EXPECTING)
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<T, E> {
        T::from_i64(value).ok_or_else(|| Self::out_of_range(value))
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<T, E> {
        T::from_u64(value).ok_or_else(|| Self::out_of_range(value))
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<T, E> {
        T::from_f64(value).ok_or_else(|| Self::out_of_range(value))
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<T, E> {
        T::from_text(text).ok_or_else(|| Self::out_of_range(format_args!("`{text}`")))
    }
}

/// One number as a value serde can read and write.
struct Number<T>(T);

impl<'de, T: ODataNumber> serde::Deserialize<'de> for Number<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer
            .deserialize_any(NumberVisitor(PhantomData))
            .map(Number)
    }
}

impl<T: ODataNumber> serde::Serialize for Number<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.write(serializer)
    }
}

/// Serde `with` module for `Option<i64>`, `Option<f64>` and `Option<f32>`:
/// reads a number or a string holding one; `null` is `None`.
pub mod odata_number {
    use super::{Deserializer, Number, ODataNumber, Serializer};
    use serde::{Deserialize, Serialize};

    /// Writes `Some(n)` as a number (the special floats as OData strings), `None` as `null`.
    pub fn serialize<T: ODataNumber, S: Serializer>(
        value: &Option<T>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        value.map(Number).serialize(serializer)
    }

    /// Reads `null`, a number, or a string holding a number.
    pub fn deserialize<'de, T: ODataNumber, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<T>, D::Error> {
        Ok(Option::<Number<T>>::deserialize(deserializer)?.map(|n| n.0))
    }
}

/// Serde `with` module for `Option<Vec<i64>>` (and `f64`, `f32`): each item a
/// number or a string holding one.
pub mod odata_numbers {
    use super::{
        Deserializer, Number, ODataNumber, PhantomData, SeqAccess, SerializeSeq, Serializer,
        Visitor, de, fmt,
    };

    /// Writes the items as numbers, `None` as `null`.
    pub fn serialize<T: ODataNumber, S: Serializer>(
        values: &Option<Vec<T>>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        let Some(values) = values else {
            return serializer.serialize_none();
        };
        let mut seq = serializer.serialize_seq(Some(values.len()))?;
        for value in values {
            seq.serialize_element(&Number(*value))?;
        }
        seq.end()
    }

    /// Reads `null` or an array of numbers in either form.
    pub fn deserialize<'de, T: ODataNumber, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<Vec<T>>, D::Error> {
        deserializer.deserialize_option(OptionalList(PhantomData))
    }

    struct OptionalList<T>(PhantomData<T>);

    impl<'de, T: ODataNumber> Visitor<'de> for OptionalList<T> {
        type Value = Option<Vec<T>>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("null or an array of numbers")
        }

        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_some<D: Deserializer<'de>>(
            self,
            deserializer: D,
        ) -> Result<Self::Value, D::Error> {
            deserializer.deserialize_seq(self)
        }

        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
            while let Some(Number(n)) = seq.next_element::<Number<T>>()? {
                out.push(n);
            }
            Ok(Some(out))
        }
    }
}

#[cfg(test)]
mod tests {
    use serde::{Deserialize, Serialize};
    use serde_json::json;

    #[derive(Debug, Default, Deserialize, Serialize, PartialEq)]
    struct Item {
        #[serde(
            default,
            with = "super::odata_number",
            skip_serializing_if = "Option::is_none"
        )]
        size: Option<i64>,
        #[serde(
            default,
            with = "super::odata_number",
            skip_serializing_if = "Option::is_none"
        )]
        price: Option<f64>,
        #[serde(
            default,
            with = "super::odata_number",
            skip_serializing_if = "Option::is_none"
        )]
        ratio: Option<f32>,
        #[serde(
            default,
            with = "super::odata_numbers",
            skip_serializing_if = "Option::is_none"
        )]
        sizes: Option<Vec<i64>>,
    }

    fn read(value: serde_json::Value) -> Result<Item, serde_json::Error> {
        serde_json::from_value(value)
    }

    #[test]
    fn int64_reads_from_a_number_or_a_string_and_writes_a_number() {
        let item = read(json!({"size": "20158", "sizes": ["1", 2, "-3"]})).expect("reads");
        assert_eq!(item.size, Some(20158));
        assert_eq!(item.sizes, Some(vec![1, 2, -3]));
        assert_eq!(
            read(json!({"size": 20158})).expect("reads").size,
            Some(20158)
        );
        assert_eq!(
            read(json!({"size": "9223372036854775807"}))
                .expect("reads")
                .size,
            Some(i64::MAX)
        );
        let text = serde_json::to_value(&item).expect("writes");
        assert_eq!(text, json!({"size": 20158, "sizes": [1, 2, -3]}));
    }

    #[test]
    fn int64_refuses_what_is_not_an_integer() {
        for bad in [
            json!({"size": "twelve"}),
            json!({"size": 1.5}),
            json!({"size": "1.5"}),
            json!({"size": true}),
            json!({"size": 18446744073709551615u64}),
            json!({"sizes": ["x"]}),
        ] {
            let error = read(bad.clone()).expect_err("refused");
            assert!(error.to_string().contains("Int64"), "{bad}: {error}");
        }
    }

    #[test]
    fn decimals_and_floats_read_strings_and_the_special_values() {
        let item = read(json!({"price": "12.50", "ratio": "-INF"})).expect("reads");
        assert_eq!(item.price, Some(12.5));
        assert_eq!(item.ratio, Some(f32::NEG_INFINITY));
        let nan = read(json!({"price": "NaN"})).expect("reads");
        assert!(nan.price.is_some_and(f64::is_nan));
        // JSON has no number for them: written back as OData writes them.
        assert_eq!(
            serde_json::to_value(&nan).expect("writes"),
            json!({"price": "NaN"})
        );
        assert_eq!(
            serde_json::to_value(&item).expect("writes"),
            json!({"price": 12.5, "ratio": "-INF"})
        );
    }

    #[test]
    fn null_and_absent_are_none() {
        assert_eq!(
            read(json!({"size": null, "sizes": null})).expect("reads"),
            Item::default()
        );
        assert_eq!(read(json!({})).expect("reads"), Item::default());
    }
}

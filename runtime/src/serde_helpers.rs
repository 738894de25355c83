//! Serde adapters for `Edm.Binary` properties, which Graph sends as base64 strings.

/// Serde `with` module for `Vec<u8>` as a base64 string.
///
/// Serializes with the standard alphabet and padding. Deserializing also
/// accepts missing padding and the URL-safe alphabet, which OData allows.
///
/// ```ignore
/// #[derive(Serialize, Deserialize)]
/// struct FileAttachment {
///     #[serde(rename = "contentBytes", with = "runtime::base64_bytes")]
///     content_bytes: Vec<u8>,
/// }
/// ```
pub mod base64_bytes {
    use std::fmt;

    use base64::Engine as _;
    use base64::alphabet;
    use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
    use serde::de::{self, Deserializer, Visitor};
    use serde::ser::Serializer;

    const LENIENT: GeneralPurposeConfig =
        GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent);
    const STANDARD: GeneralPurpose = GeneralPurpose::new(&alphabet::STANDARD, LENIENT);
    const URL_SAFE: GeneralPurpose = GeneralPurpose::new(&alphabet::URL_SAFE, LENIENT);

    /// Serializes `bytes` as a padded, standard-alphabet base64 string.
    pub fn serialize<S: Serializer>(bytes: &[u8], serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&base64_simd::STANDARD.encode_to_string(bytes))
    }

    /// Deserializes a base64 string into bytes.
    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<u8>, D::Error> {
        deserializer.deserialize_str(Base64Visitor)
    }

    pub(super) fn decode(text: &str) -> Result<Vec<u8>, base64::DecodeError> {
        // What the service sends: canonical, padded, standard alphabet. The
        // SIMD decoder accepts only that, so whatever it decodes, the lenient
        // engine below decodes to the same bytes; anything else (no padding,
        // URL-safe) is left to it, as are the errors.
        match base64_simd::STANDARD.decode_to_vec(text) {
            Ok(bytes) => Ok(bytes),
            Err(_) => decode_lenient(text),
        }
    }

    /// Any padding, either alphabet.
    pub(super) fn decode_lenient(text: &str) -> Result<Vec<u8>, base64::DecodeError> {
        // The standard alphabet first, with no scan of the text: it rejects
        // `-` and `_`, so text it decodes has neither, and scanning a large
        // attachment for them cost as much as decoding it. Only text it
        // rejects is looked at again, and its error kept unless the text is
        // URL-safe (the same answers as choosing by a scan first).
        STANDARD.decode(text).or_else(|err| {
            if text.bytes().any(|b| b == b'-' || b == b'_') {
                URL_SAFE.decode(text)
            } else {
                Err(err)
            }
        })
    }

    pub(super) struct Base64Visitor;

    impl Visitor<'_> for Base64Visitor {
        type Value = Vec<u8>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a base64 string")
        }

        fn visit_str<E: de::Error>(self, text: &str) -> Result<Vec<u8>, E> {
            decode(text).map_err(|err| E::custom(format_args!("invalid base64: {err}")))
        }
    }
}

/// Serde `with` module for `Option<Vec<u8>>` as an optional base64 string
/// (see [`base64_bytes`]); JSON `null` is `None`.
///
/// Combine it with `default` so that a missing property is `None` too:
///
/// ```ignore
/// #[serde(default, skip_serializing_if = "Option::is_none", with = "runtime::option_base64_bytes")]
/// thumbnail: Option<Vec<u8>>,
/// ```
pub mod option_base64_bytes {
    use serde::de;
    use serde::de::Deserializer;
    use serde::ser::{Serialize, Serializer};

    /// Serializes `Some(bytes)` as a base64 string and `None` as `null`.
    pub fn serialize<S: Serializer>(
        bytes: &Option<Vec<u8>>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        struct Base64<'a>(&'a [u8]);

        impl Serialize for Base64<'_> {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                super::base64_bytes::serialize(self.0, serializer)
            }
        }

        match bytes {
            Some(bytes) => serializer.serialize_some(&Base64(bytes)),
            None => serializer.serialize_none(),
        }
    }

    /// Deserializes `null` as `None` and a base64 string as `Some(bytes)`.
    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<Vec<u8>>, D::Error> {
        deserializer.deserialize_option(OptionalBase64)
    }

    /// Decodes the string where the input holds it: no copy of the text first.
    struct OptionalBase64;

    impl<'de> de::Visitor<'de> for OptionalBase64 {
        type Value = Option<Vec<u8>>;

        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("null or a base64 string")
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
            deserializer
                .deserialize_str(super::base64_bytes::Base64Visitor)
                .map(Some)
        }
    }
}

#[cfg(test)]
mod tests {
    use serde::{Deserialize, Serialize};
    use serde_json::json;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Attachment {
        #[serde(with = "super::base64_bytes")]
        content: Vec<u8>,
        #[serde(
            default,
            skip_serializing_if = "Option::is_none",
            with = "super::option_base64_bytes"
        )]
        thumbnail: Option<Vec<u8>>,
    }

    #[test]
    fn round_trips_bytes() {
        let all_bytes: Vec<u8> = (0..=255).collect();
        for content in [
            Vec::new(),
            b"f".to_vec(),
            b"hello world".to_vec(),
            all_bytes,
        ] {
            for thumbnail in [None, Some(Vec::new()), Some(vec![0xfb, 0xff, 0xbf])] {
                let value = Attachment {
                    content: content.clone(),
                    thumbnail,
                };
                let text = serde_json::to_string(&value).expect("serializable");
                let back: Attachment = serde_json::from_str(&text).expect("decodable");
                assert_eq!(back, value, "{text}");
            }
        }
    }

    #[test]
    fn uses_standard_padded_base64() {
        let value = Attachment {
            content: b"hi?>".to_vec(),
            thumbnail: Some(vec![0xfb, 0xff]),
        };
        assert_eq!(
            serde_json::to_value(&value).expect("serializable"),
            json!({"content": "aGk/Pg==", "thumbnail": "+/8="})
        );
        let value = Attachment {
            content: Vec::new(),
            thumbnail: None,
        };
        assert_eq!(
            serde_json::to_value(&value).expect("serializable"),
            json!({"content": ""})
        );
    }

    #[test]
    fn accepts_unpadded_url_safe_and_null() {
        let value: Attachment =
            serde_json::from_value(json!({"content": "aGk_Pg", "thumbnail": null}))
                .expect("decodable");
        assert_eq!(
            value,
            Attachment {
                content: b"hi?>".to_vec(),
                thumbnail: None
            }
        );
        let value: Attachment =
            serde_json::from_value(json!({"content": "aGk/Pg", "thumbnail": "-_8"}))
                .expect("decodable");
        assert_eq!(value.thumbnail, Some(vec![0xfb, 0xff]));
    }

    #[test]
    fn writes_large_content_as_one_padded_string() {
        use base64::Engine as _;
        // Lengths around the pieces the encoder writes in, both serializers.
        for len in [
            1, 2, 3, 767, 768, 769, 1023, 1024, 1025, 3071, 3072, 3073, 100_000,
        ] {
            let content: Vec<u8> = (0..len).map(|i| (i * 7 + len) as u8).collect();
            let expected = base64::engine::general_purpose::STANDARD.encode(&content);
            let value = Attachment {
                content,
                thumbnail: None,
            };
            let text = serde_json::to_string(&value).expect("serializable");
            assert_eq!(
                text,
                format!("{{\"content\":\"{expected}\"}}"),
                "length {len}"
            );
            assert_eq!(
                serde_json::to_value(&value).expect("serializable"),
                json!({ "content": expected }),
                "length {len}"
            );
        }
    }

    #[test]
    fn decoding_errors_name_the_standard_alphabet_unless_the_text_is_url_safe() {
        let error = |text: &str| {
            super::base64_bytes::decode(text)
                .expect_err(text)
                .to_string()
        };
        use base64::Engine as _;
        let standard = |text: &str| {
            base64::engine::general_purpose::STANDARD
                .decode(text)
                .expect_err(text)
                .to_string()
        };
        // Not URL-safe: the standard alphabet's own error.
        assert_eq!(error("ab!d"), standard("ab!d"));
        assert_eq!(error("abcde"), standard("abcde"));
        // Both alphabets at once: neither reads it.
        assert!(super::base64_bytes::decode("+_8=").is_err());
        assert!(super::base64_bytes::decode("/-8=").is_err());
        assert_eq!(
            super::base64_bytes::decode("-_8=").ok(),
            Some(vec![0xfb, 0xff])
        );
    }

    #[test]
    fn the_simd_decoder_reads_what_the_lenient_engine_reads() {
        use super::base64_bytes::{decode, decode_lenient};
        let mut texts: Vec<String> = [
            "",
            "=",
            "==",
            "Q",
            "QQ",
            "QQ=",
            "QQ==",
            "QR==",
            "QUI",
            "QUI=",
            "QUJ=",
            "QUJD",
            "Q===",
            "QUJD====",
            "QU JD",
            " QUJD",
            "QUJD\n",
            "QQ==QQ==",
            "-_8=",
            "+/8=",
            "+_8=",
            "aGk_Pg",
            "\u{e9}QUJD",
            "QUJD\0",
        ]
        .iter()
        .map(|t| (*t).to_owned())
        .collect();
        // Every length around the SIMD decoder's blocks, each text padded,
        // unpadded, URL-safe, with a last symbol carrying stray bits, and
        // with a space or a stray character in the middle.
        for len in 0..200usize {
            let content: Vec<u8> = (0..len).map(|i| (i * 89 + len * 7) as u8).collect();
            let padded = base64_simd::STANDARD.encode_to_string(&content);
            let mut last_bits = padded.trim_end_matches('=').to_owned();
            if let Some(c) = last_bits.pop() {
                // `P` (001111) and `B` (000001) both set the low bits that a
                // padded text's last symbol must leave clear.
                last_bits.push(if c == 'P' { 'B' } else { 'P' });
                last_bits.push_str(&padded[padded.trim_end_matches('=').len()..]);
            }
            let middle = padded.len() / 2;
            texts.extend([
                padded.clone(),
                padded.trim_end_matches('=').to_owned(),
                base64_simd::URL_SAFE.encode_to_string(&content),
                last_bits,
                format!("{} {}", &padded[..middle], &padded[middle..]),
                format!("{}*{}", &padded[..middle], &padded[middle..]),
            ]);
        }
        for text in &texts {
            match (decode(text), decode_lenient(text)) {
                (Ok(fast), Ok(lenient)) => assert_eq!(fast, lenient, "{text:?}"),
                (Err(fast), Err(lenient)) => {
                    assert_eq!(fast.to_string(), lenient.to_string(), "{text:?}")
                }
                (fast, lenient) => panic!("{text:?}: {fast:?} against {lenient:?}"),
            }
        }
    }

    #[test]
    fn rejects_invalid_input() {
        for bad in [
            json!({"content": "not base64!"}),
            json!({"content": 12}),
            json!({"content": null}),
            json!({"content": "", "thumbnail": "%%%"}),
            json!({"content": "", "thumbnail": [1, 2]}),
        ] {
            assert!(
                serde_json::from_value::<Attachment>(bad.clone()).is_err(),
                "{bad}"
            );
        }
    }
}

//! `Edm.Duration`: an ISO 8601 duration, kept as the service wrote it.

use serde::{Deserialize, Serialize};

/// An ISO 8601 duration (`PT1H30M`, `P1D`, `-PT5M`), as written on the wire.
///
/// Kept as text, so every value survives a round trip unchanged, including
/// those no fixed-range duration type holds (the service writes .NET's
/// `TimeSpan.MaxValue`, `P10675199DT2H48M5.4775807S`, for "no limit").
/// [`to_std`](Self::to_std) and [`to_span`](Self::to_span) read it as a
/// number when you need one.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct IsoDuration(String);

impl IsoDuration {
    /// A duration from its ISO 8601 text.
    pub fn new(text: impl Into<String>) -> Self {
        IsoDuration(text.into())
    }

    /// A duration of `duration`, written the way the service writes them.
    pub fn from_std(duration: std::time::Duration) -> Self {
        let span = jiff::SignedDuration::try_from(duration)
            .ok()
            .and_then(|d| jiff::Span::try_from(d).ok())
            .and_then(|s| {
                s.round(jiff::SpanRound::new().largest(jiff::Unit::Hour))
                    .ok()
            });
        match span {
            Some(span) => IsoDuration(span.to_string()),
            None => IsoDuration(format!("PT{}S", duration.as_secs())),
        }
    }

    /// The text, as received.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The duration as years, months, days, hours… as written; `None` when the
    /// text is not an ISO 8601 duration or is out of range.
    pub fn to_span(&self) -> Option<jiff::Span> {
        self.0.parse().ok()
    }

    /// The length of time, with days of 24 hours; `None` for a negative
    /// duration, one with years or months (whose length depends on a date),
    /// or text that is not a duration.
    pub fn to_std(&self) -> Option<std::time::Duration> {
        let span = self.to_span()?;
        let relative = jiff::SpanRelativeTo::days_are_24_hours();
        let signed = span.to_duration(relative).ok()?;
        std::time::Duration::try_from(signed).ok()
    }
}

impl std::fmt::Display for IsoDuration {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<std::time::Duration> for IsoDuration {
    fn from(duration: std::time::Duration) -> Self {
        IsoDuration::from_std(duration)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn any_text_round_trips_unchanged() {
        for text in [
            "PT1H30M",
            "P0D",
            "P10675199DT2H48M5.4775807S",
            "not a duration",
        ] {
            let json = format!("\"{text}\"");
            let d: IsoDuration = serde_json::from_str(&json).expect("reads");
            assert_eq!(d.as_str(), text);
            assert_eq!(serde_json::to_string(&d).expect("writes"), json);
        }
    }

    #[test]
    fn reads_as_a_length_of_time_when_it_has_one() {
        assert_eq!(
            IsoDuration::new("PT1H30M").to_std(),
            Some(Duration::from_secs(5400))
        );
        assert_eq!(
            IsoDuration::new("P1DT0.5S").to_std(),
            Some(Duration::from_millis(86_400_500))
        );
        assert_eq!(IsoDuration::new("P1M").to_std(), None);
        assert_eq!(IsoDuration::new("-PT5M").to_std(), None);
        assert_eq!(IsoDuration::new("soon").to_std(), None);
        assert!(IsoDuration::new("P1Y2M").to_span().is_some());
    }

    #[test]
    fn writes_lengths_of_time_in_hours_minutes_and_seconds() {
        assert_eq!(
            IsoDuration::from(Duration::from_secs(5400)).as_str(),
            "PT1H30M"
        );
        assert_eq!(IsoDuration::from(Duration::from_secs(0)).as_str(), "PT0S");
        assert_eq!(
            IsoDuration::from(Duration::from_millis(1500)).to_std(),
            Some(Duration::from_millis(1500))
        );
    }
}

//! How times go on the wire: exactly chrono's own serde format (RFC 3339, `Z` for UTC,
//! as many fraction digits as needed), written as one string. chrono's `Serialize`
//! hands serde_json a `Display` that writes a character at a time, and serde_json
//! escapes each piece on its own: with a few hundred times in a page, that was a tenth
//! of `desk serve`'s CPU. Reading them back is chrono's own `Deserialize`.

use chrono::{DateTime, NaiveDate, SecondsFormat, TimeZone};
use serde::Serializer;
use std::fmt::Display;

/// `#[serde(serialize_with = "time::instant")]`
pub fn instant<Tz, S>(t: &DateTime<Tz>, s: S) -> Result<S::Ok, S::Error>
where
    Tz: TimeZone,
    Tz::Offset: Display,
    S: Serializer,
{
    s.serialize_str(&t.to_rfc3339_opts(SecondsFormat::AutoSi, true))
}

/// `#[serde(serialize_with = "time::instant_opt")]`
pub fn instant_opt<Tz, S>(t: &Option<DateTime<Tz>>, s: S) -> Result<S::Ok, S::Error>
where
    Tz: TimeZone,
    Tz::Offset: Display,
    S: Serializer,
{
    match t {
        Some(t) => instant(t, s),
        None => s.serialize_none(),
    }
}

/// `#[serde(serialize_with = "time::date")]`: `YYYY-MM-DD`.
pub fn date<S: Serializer>(d: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&d.to_string())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use chrono::{FixedOffset, Utc};
    use serde::Serialize;

    #[derive(Serialize)]
    struct Ours {
        #[serde(serialize_with = "instant")]
        utc: DateTime<Utc>,
        #[serde(serialize_with = "instant")]
        local: DateTime<FixedOffset>,
        #[serde(serialize_with = "instant_opt")]
        due: Option<DateTime<Utc>>,
        #[serde(serialize_with = "instant_opt")]
        none: Option<DateTime<Utc>>,
        #[serde(serialize_with = "date")]
        day: NaiveDate,
    }

    #[derive(Serialize)]
    struct Chronos {
        utc: DateTime<Utc>,
        local: DateTime<FixedOffset>,
        due: Option<DateTime<Utc>>,
        none: Option<DateTime<Utc>>,
        day: NaiveDate,
    }

    /// The wire format does not change: for whole seconds, milliseconds, nanoseconds, a
    /// leap second, negative and odd offsets and early years, the same text as chrono's.
    #[test]
    fn times_serialize_exactly_as_chrono_does() {
        let cases = [
            "2026-11-29T23:59:59Z",
            "2026-11-29T23:59:59.5Z",
            "2026-03-29T01:00:00.123Z",
            "2026-10-25T00:59:59.123456789Z",
            "2016-12-31T23:59:60.25Z",
            "0001-01-01T00:00:00Z",
        ];
        for (case, offset) in cases.iter().zip([0, 3600, -28800, 20700, 46800, -34200]) {
            let utc = DateTime::parse_from_rfc3339(case)
                .unwrap()
                .with_timezone(&Utc);
            let local = utc.with_timezone(&FixedOffset::east_opt(offset).unwrap());
            let day = local.date_naive();
            let ours = serde_json::to_string(&Ours {
                utc,
                local,
                due: Some(utc),
                none: None,
                day,
            })
            .unwrap();
            let theirs = serde_json::to_string(&Chronos {
                utc,
                local,
                due: Some(utc),
                none: None,
                day,
            })
            .unwrap();
            assert_eq!(ours, theirs, "{case} at {offset} s");
        }
    }
}

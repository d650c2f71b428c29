//! Conversions between the validated text types and the types users already have, each behind
//! a cargo feature: `time`, `chrono` and `uuid`. The text types stay what the generated code
//! holds (they keep the exact wire text, so values round-trip byte for byte); these are the way
//! out to arithmetic and formatting, and the way back in.
//!
//! Conversions that can fail are `TryFrom` with [`InvalidValue`]: a value outside the range of
//! the other crate, a Graph duration in years or months (no fixed length), or a value the other
//! crate writes in a form Graph does not read.

#[cfg(any(feature = "time", feature = "chrono"))]
use crate::{parse_date, parse_time};
#[allow(unused_imports)]
use crate::{Date, DateTimeOffset, Duration, Guid, InvalidValue, TimeOfDay};

#[allow(dead_code)]
fn invalid(expected: &'static str, value: impl std::fmt::Display) -> InvalidValue {
    InvalidValue { expected, value: value.to_string() }
}

#[cfg(feature = "uuid")]
mod with_uuid {
    use super::*;

    impl From<&Guid> for ::uuid::Uuid {
        fn from(guid: &Guid) -> Self {
            // A `Guid` holds the 8-4-4-4-12 hexadecimal form, which always parses.
            ::uuid::Uuid::parse_str(guid.as_str()).unwrap_or_default()
        }
    }

    impl From<::uuid::Uuid> for Guid {
        fn from(uuid: ::uuid::Uuid) -> Self {
            Guid(uuid.hyphenated().to_string())
        }
    }
}

/// The seconds and nanoseconds of a Graph duration in days, hours, minutes and seconds;
/// `None` for years, months or weeks, which have no fixed length.
#[cfg(feature = "time")]
fn duration_nanos(text: &str) -> Option<i128> {
    let (negative, rest) = match text.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, text),
    };
    let rest = rest.strip_prefix('P')?;
    let (days, time) = match rest.split_once('T') {
        Some((d, t)) => (d, t),
        None => (rest, ""),
    };
    let mut total: i128 = 0;
    if !days.is_empty() {
        total = days.strip_suffix('D')?.parse::<i128>().ok()?.checked_mul(86_400_000_000_000)?;
    }
    let mut number = String::new();
    for c in time.chars() {
        let unit: i128 = match c {
            'H' => 3_600_000_000_000,
            'M' => 60_000_000_000,
            'S' => 1_000_000_000,
            _ => {
                number.push(c);
                continue;
            }
        };
        let (whole, fraction) = number.split_once('.').unwrap_or((&number, ""));
        // Checked: the docs' grammar allows any number of digits.
        total = total.checked_add(whole.parse::<i128>().ok()?.checked_mul(unit)?)?;
        if !fraction.is_empty() {
            let digits: String = fraction.chars().chain(std::iter::repeat('0')).take(9).collect();
            total = total.checked_add(digits.parse::<i128>().ok()? * (unit / 1_000_000_000))?;
        }
        number.clear();
    }
    Some(if negative { -total } else { total })
}

#[cfg(feature = "time")]
mod with_time {
    use super::*;
    use ::time::format_description::well_known::Rfc3339;

    impl TryFrom<&DateTimeOffset> for ::time::OffsetDateTime {
        type Error = InvalidValue;
        fn try_from(value: &DateTimeOffset) -> Result<Self, InvalidValue> {
            let p = value.parts();
            let month = ::time::Month::try_from(p.month).map_err(|e| invalid("a month", e))?;
            let date = ::time::Date::from_calendar_date(p.year, month, p.day).map_err(|e| invalid("a date", e))?;
            // A leap second (`:60`) has no `time::Time`: an error, not a silent change.
            let time = ::time::Time::from_hms_nano(p.hour, p.minute, p.second, p.nanosecond)
                .map_err(|e| invalid("a time", e))?;
            let offset = ::time::UtcOffset::from_whole_seconds(i32::from(p.offset_minutes) * 60)
                .map_err(|e| invalid("a UTC offset", e))?;
            Ok(::time::PrimitiveDateTime::new(date, time).assume_offset(offset))
        }
    }

    impl TryFrom<::time::OffsetDateTime> for DateTimeOffset {
        type Error = InvalidValue;
        fn try_from(value: ::time::OffsetDateTime) -> Result<Self, InvalidValue> {
            let text = value.format(&Rfc3339).map_err(|e| invalid(DateTimeOffset::EXPECTED, e))?;
            DateTimeOffset::new(text)
        }
    }

    impl TryFrom<&Date> for ::time::Date {
        type Error = InvalidValue;
        fn try_from(value: &Date) -> Result<Self, InvalidValue> {
            let (year, month, day) =
                parse_date(value.as_str().as_bytes()).ok_or_else(|| invalid("a date", value.as_str()))?;
            let month = ::time::Month::try_from(month).map_err(|e| invalid("a month", e))?;
            ::time::Date::from_calendar_date(year, month, day).map_err(|e| invalid("a date", e))
        }
    }

    impl TryFrom<::time::Date> for Date {
        type Error = InvalidValue;
        fn try_from(value: ::time::Date) -> Result<Self, InvalidValue> {
            Date::new(format!("{:04}-{:02}-{:02}", value.year(), u8::from(value.month()), value.day()))
        }
    }

    impl TryFrom<&TimeOfDay> for ::time::Time {
        type Error = InvalidValue;
        fn try_from(value: &TimeOfDay) -> Result<Self, InvalidValue> {
            let (h, m, s, n) =
                parse_time(value.as_str().as_bytes()).ok_or_else(|| invalid("a time", value.as_str()))?;
            ::time::Time::from_hms_nano(h, m, s, n).map_err(|e| invalid("a time", e))
        }
    }

    impl From<::time::Time> for TimeOfDay {
        fn from(value: ::time::Time) -> Self {
            TimeOfDay(format!(
                "{:02}:{:02}:{:02}.{:07}",
                value.hour(),
                value.minute(),
                value.second(),
                value.nanosecond() / 100
            ))
        }
    }

    impl TryFrom<&Duration> for ::time::Duration {
        type Error = InvalidValue;
        fn try_from(value: &Duration) -> Result<Self, InvalidValue> {
            let nanos = duration_nanos(value.as_str())
                .ok_or_else(|| invalid("a duration in days, hours, minutes and seconds", value.as_str()))?;
            let seconds = i64::try_from(nanos / 1_000_000_000).map_err(|e| invalid("a duration", e))?;
            let rest = i32::try_from(nanos % 1_000_000_000).map_err(|e| invalid("a duration", e))?;
            Ok(::time::Duration::new(seconds, rest))
        }
    }

    impl From<::time::Duration> for Duration {
        fn from(value: ::time::Duration) -> Self {
            let sign = if value.is_negative() { "-" } else { "" };
            let value = value.abs();
            let nanos = value.subsec_nanoseconds();
            let fraction =
                if nanos == 0 { String::new() } else { format!(".{:09}", nanos).trim_end_matches('0').to_string() };
            Duration(format!("{sign}PT{}{fraction}S", value.whole_seconds()))
        }
    }
}

#[cfg(feature = "chrono")]
mod with_chrono {
    use super::*;

    impl TryFrom<&DateTimeOffset> for ::chrono::DateTime<::chrono::FixedOffset> {
        type Error = InvalidValue;
        fn try_from(value: &DateTimeOffset) -> Result<Self, InvalidValue> {
            ::chrono::DateTime::parse_from_rfc3339(value.as_str()).map_err(|e| invalid(DateTimeOffset::EXPECTED, e))
        }
    }

    impl<Tz: ::chrono::TimeZone> TryFrom<::chrono::DateTime<Tz>> for DateTimeOffset
    where
        Tz::Offset: std::fmt::Display,
    {
        type Error = InvalidValue;
        fn try_from(value: ::chrono::DateTime<Tz>) -> Result<Self, InvalidValue> {
            DateTimeOffset::new(value.to_rfc3339())
        }
    }

    impl TryFrom<&Date> for ::chrono::NaiveDate {
        type Error = InvalidValue;
        fn try_from(value: &Date) -> Result<Self, InvalidValue> {
            let (year, month, day) =
                parse_date(value.as_str().as_bytes()).ok_or_else(|| invalid("a date", value.as_str()))?;
            ::chrono::NaiveDate::from_ymd_opt(year, u32::from(month), u32::from(day))
                .ok_or_else(|| invalid("a date", value.as_str()))
        }
    }

    impl TryFrom<::chrono::NaiveDate> for Date {
        type Error = InvalidValue;
        fn try_from(value: ::chrono::NaiveDate) -> Result<Self, InvalidValue> {
            Date::new(value.format("%Y-%m-%d").to_string())
        }
    }

    impl TryFrom<&TimeOfDay> for ::chrono::NaiveTime {
        type Error = InvalidValue;
        fn try_from(value: &TimeOfDay) -> Result<Self, InvalidValue> {
            let (h, m, s, n) =
                parse_time(value.as_str().as_bytes()).ok_or_else(|| invalid("a time", value.as_str()))?;
            ::chrono::NaiveTime::from_hms_nano_opt(u32::from(h), u32::from(m), u32::from(s), n)
                .ok_or_else(|| invalid("a time", value.as_str()))
        }
    }
}

#[cfg(test)]
mod tests {
    #[allow(unused_imports)]
    use super::*;

    #[cfg(feature = "uuid")]
    #[test]
    fn guids_and_uuids() {
        let guid = Guid::new("A0AC9B6F-9B6F-A0AC-6F9B-ACA06F9BACA0").unwrap();
        let uuid = ::uuid::Uuid::from(&guid);
        assert_eq!(Guid::from(uuid).as_str(), "a0ac9b6f-9b6f-a0ac-6f9b-aca06f9baca0");
    }

    #[cfg(feature = "time")]
    #[test]
    fn time_values() {
        let t = DateTimeOffset::new("2017-01-01T00:00:35.1329464-08:00").unwrap();
        let odt = ::time::OffsetDateTime::try_from(&t).unwrap();
        assert_eq!(odt.unix_timestamp(), t.unix_timestamp());
        assert_eq!(odt.nanosecond(), 132_946_400);
        let back = DateTimeOffset::try_from(odt).unwrap();
        assert_eq!(back.unix_timestamp(), t.unix_timestamp());
        let d = ::time::Date::try_from(&Date::new("2020-02-29").unwrap()).unwrap();
        assert_eq!(Date::try_from(d).unwrap().as_str(), "2020-02-29");
        let tod = ::time::Time::try_from(&TimeOfDay::new("13:45:00.5").unwrap()).unwrap();
        assert_eq!(TimeOfDay::from(tod).as_str(), "13:45:00.5000000");
        let dur = ::time::Duration::try_from(&Duration::new("-P1DT2H30M1.25S").unwrap()).unwrap();
        assert_eq!(
            dur,
            -(::time::Duration::days(1) + ::time::Duration::seconds(9001) + ::time::Duration::milliseconds(250))
        );
        assert_eq!(Duration::from(::time::Duration::milliseconds(1500)).as_str(), "PT1.5S");
        // Years and months have no fixed length; a number past any duration is an error too.
        assert!(::time::Duration::try_from(&Duration::new("P1Y").unwrap()).is_err());
        let huge = Duration::new("PT99999999999999999999999999999999999999H").unwrap();
        assert!(::time::Duration::try_from(&huge).is_err());
    }

    #[cfg(feature = "chrono")]
    #[test]
    fn chrono_values() {
        let t = DateTimeOffset::new("2021-07-01T08:30:00.5+02:00").unwrap();
        let dt = ::chrono::DateTime::<::chrono::FixedOffset>::try_from(&t).unwrap();
        assert_eq!(dt.timestamp(), t.unix_timestamp());
        assert_eq!(DateTimeOffset::try_from(dt).unwrap().unix_timestamp(), t.unix_timestamp());
        let d = ::chrono::NaiveDate::try_from(&Date::new("2021-07-01").unwrap()).unwrap();
        assert_eq!(Date::try_from(d).unwrap().as_str(), "2021-07-01");
        assert!(::chrono::NaiveTime::try_from(&TimeOfDay::new("23:59:59").unwrap()).is_ok());
    }
}

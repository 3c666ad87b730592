//! Block time as the state machine sees it (never the wall clock), with the
//! text forms Cosmos JSON uses: RFC 3339 timestamps (`2024-01-02T03:04:05Z`)
//! and protobuf-JSON durations (`1814400s`).

use std::fmt;

use borsh::{BorshDeserialize, BorshSerialize};

/// A UTC instant: seconds and nanoseconds since the Unix epoch.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, BorshSerialize, BorshDeserialize)]
pub struct Timestamp {
    pub secs: i64,
    pub nanos: u32,
}

/// A span of time (the SDK's `time.Duration`), non-negative.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, BorshSerialize, BorshDeserialize)]
pub struct Duration {
    pub secs: i64,
    pub nanos: u32,
}

const NANOS: i64 = 1_000_000_000;

impl Timestamp {
    pub fn new(secs: i64, nanos: u32) -> Self {
        Timestamp { secs, nanos }
    }

    /// `self + d`, saturating at the far future.
    pub fn plus(self, d: Duration) -> Timestamp {
        let total = self.nanos as i64 + d.nanos as i64;
        Timestamp { secs: self.secs.saturating_add(d.secs).saturating_add(total / NANOS), nanos: (total % NANOS) as u32 }
    }

    /// `self - earlier` in whole seconds (negative when `earlier` is later).
    pub fn secs_since(self, earlier: Timestamp) -> i64 {
        let n = (self.secs - earlier.secs) * NANOS + self.nanos as i64 - earlier.nanos as i64;
        n.div_euclid(NANOS)
    }

    /// RFC 3339 with the nanoseconds Go's `RFC3339Nano` prints (trailing
    /// zeros trimmed): what protobuf JSON and the SDK's JSON write.
    pub fn to_rfc3339(self) -> String {
        let (y, mo, d, h, mi, s) = civil(self.secs);
        let frac = if self.nanos == 0 { String::new() } else { format!(".{:09}", self.nanos).trim_end_matches('0').to_string() };
        format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}{frac}Z")
    }

    /// RFC 3339 in whole seconds (Go's `time.RFC3339`, used in events).
    pub fn to_rfc3339_secs(self) -> String {
        Timestamp { nanos: 0, ..self }.to_rfc3339()
    }

    /// Parse `YYYY-MM-DDTHH:MM:SS[.fff…](Z|±HH:MM)`.
    pub fn parse_rfc3339(s: &str) -> Option<Timestamp> {
        let b = s.as_bytes();
        if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b't') || b[13] != b':' || b[16] != b':' {
            return None;
        }
        let num = |r: std::ops::Range<usize>| -> Option<i64> {
            let t = s.get(r)?;
            if t.bytes().all(|c| c.is_ascii_digit()) { t.parse().ok() } else { None }
        };
        let (y, mo, d, h, mi, sec) = (num(0..4)?, num(5..7)?, num(8..10)?, num(11..13)?, num(14..16)?, num(17..19)?);
        if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || sec > 60 {
            return None;
        }
        let mut rest = &s[19..];
        let mut nanos = 0u32;
        if let Some(f) = rest.strip_prefix('.') {
            let digits = f.bytes().take_while(u8::is_ascii_digit).count();
            if digits == 0 || digits > 9 {
                return None;
            }
            nanos = f[..digits].parse::<u32>().ok()? * 10u32.pow(9 - digits as u32);
            rest = &f[digits..];
        }
        let offset = match rest {
            "Z" | "z" => 0,
            o if o.len() == 6 && (o.starts_with('+') || o.starts_with('-')) && &o[3..4] == ":" => {
                let hh: i64 = o[1..3].parse().ok()?;
                let mm: i64 = o[4..6].parse().ok()?;
                let v = hh * 3600 + mm * 60;
                if o.starts_with('-') { -v } else { v }
            }
            _ => return None,
        };
        let secs = days_from_civil(y, mo as u32, d as u32) * 86_400 + h * 3600 + mi * 60 + sec - offset;
        Some(Timestamp { secs, nanos })
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_rfc3339())
    }
}

impl Duration {
    pub fn from_secs(secs: i64) -> Self {
        Duration { secs, nanos: 0 }
    }

    /// Protobuf JSON: `"1814400s"`, `"0.5s"`.
    pub fn to_json_string(self) -> String {
        if self.nanos == 0 {
            format!("{}s", self.secs)
        } else {
            format!("{}.{}s", self.secs, format!("{:09}", self.nanos).trim_end_matches('0'))
        }
    }

    /// `"1814400s"`, `"0.5s"`; also Go's `"336h0m0s"`-style hours, minutes, seconds.
    pub fn parse(s: &str) -> Option<Duration> {
        let body = s.strip_suffix('s')?;
        if let Some((i, f)) = body.split_once('.') {
            if f.is_empty() || f.len() > 9 || !f.bytes().all(|c| c.is_ascii_digit()) || !i.bytes().all(|c| c.is_ascii_digit()) {
                return None;
            }
            let nanos = f.parse::<u32>().ok()? * 10u32.pow(9 - f.len() as u32);
            return Some(Duration { secs: i.parse().ok()?, nanos });
        }
        if body.bytes().all(|c| c.is_ascii_digit()) && !body.is_empty() {
            return Some(Duration { secs: body.parse().ok()?, nanos: 0 });
        }
        // 336h0m0s
        let mut secs = 0i64;
        let mut num = String::new();
        for c in s.chars() {
            if c.is_ascii_digit() {
                num.push(c);
                continue;
            }
            let n: i64 = num.parse().ok()?;
            num.clear();
            secs += n * match c {
                'h' => 3600,
                'm' => 60,
                's' => 1,
                _ => return None,
            };
        }
        num.is_empty().then_some(Duration { secs, nanos: 0 })
    }
}

/// (year, month, day, hour, minute, second) of Unix seconds (proleptic
/// Gregorian, Howard Hinnant's `civil_from_days`).
fn civil(secs: i64) -> (i64, u32, u32, u32, u32, u32) {
    let days = secs.div_euclid(86_400);
    let sod = secs.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d, (sod / 3600) as u32, (sod % 3600 / 60) as u32, (sod % 60) as u32)
}

fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = if m > 2 { m - 3 } else { m + 9 } as i64;
    let doy = (153 * mp + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_round_trips() {
        assert_eq!(Timestamp::new(0, 0).to_rfc3339(), "1970-01-01T00:00:00Z");
        let t = Timestamp::new(1_700_000_000, 120_000_000);
        assert_eq!(t.to_rfc3339(), "2023-11-14T22:13:20.12Z");
        assert_eq!(t.to_rfc3339_secs(), "2023-11-14T22:13:20Z");
        assert_eq!(Timestamp::parse_rfc3339(&t.to_rfc3339()), Some(t));
        assert_eq!(Timestamp::parse_rfc3339("2023-11-14T23:13:20.12+01:00"), Some(t));
        assert_eq!(Timestamp::parse_rfc3339("2000-02-29T00:00:00Z").unwrap().to_rfc3339(), "2000-02-29T00:00:00Z");
        assert!(Timestamp::parse_rfc3339("2023-13-01T00:00:00Z").is_none());
        for secs in [-86_401i64, 951_782_400, 4_102_444_800, 253_402_300_799] {
            let t = Timestamp::new(secs, 1);
            assert_eq!(Timestamp::parse_rfc3339(&t.to_rfc3339()), Some(t), "{secs}");
        }
    }

    #[test]
    fn durations() {
        assert_eq!(Duration::parse("1814400s"), Some(Duration::from_secs(1_814_400)));
        assert_eq!(Duration::parse("336h0m0s"), Some(Duration::from_secs(1_209_600)));
        assert_eq!(Duration::parse("0.5s").unwrap().to_json_string(), "0.5s");
        assert_eq!(Duration::parse("1814400"), None);
        let t = Timestamp::new(10, 900_000_000).plus(Duration { secs: 1, nanos: 200_000_000 });
        assert_eq!(t, Timestamp::new(12, 100_000_000));
        assert_eq!(t.secs_since(Timestamp::new(10, 900_000_000)), 1);
    }
}

//! A calendar date: the day a count of days since 1970 falls on, a year later, and the
//! forms a pack's version and expiry are written in.

/// A calendar date (proleptic Gregorian), for a pack's default version and expiry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    /// Year, e.g. 2026.
    pub year: i64,
    /// Month, 1 to 12.
    pub month: u32,
    /// Day of the month, 1 to 31.
    pub day: u32,
}

impl Date {
    /// The date `days` days after 1970-01-01 (negative: before), e.g. the Unix time in
    /// seconds divided by 86,400 (Howard Hinnant's algorithm).
    pub fn from_unix_days(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = yoe + era * 400 + i64::from(month <= 2);
        Date { year, month, day }
    }

    /// `YYYY-MM-DD`, as a pack's `expires`.
    pub fn iso(self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }

    /// `YYYY.MM.DD`, a pack's default `version`.
    pub fn dotted(self) -> String {
        format!("{:04}.{:02}.{:02}", self.year, self.month, self.day)
    }

    /// The same day a year later (29 February becomes 28 February): a pack's default
    /// expiry.
    pub fn next_year(self) -> Date {
        Date {
            year: self.year + 1,
            month: self.month,
            day: if self.month == 2 && self.day == 29 {
                28
            } else {
                self.day
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        let d = |y, m, day| Date {
            year: y,
            month: m,
            day,
        };
        assert_eq!(Date::from_unix_days(0), d(1970, 1, 1));
        assert_eq!(Date::from_unix_days(20_513), d(2026, 3, 1));
        assert_eq!(Date::from_unix_days(11_016), d(2000, 2, 29));
        assert_eq!(d(2000, 2, 29).next_year().iso(), "2001-02-28");
        assert_eq!(d(2026, 3, 1).dotted(), "2026.03.01");
    }
}

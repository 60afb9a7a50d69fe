//! The period every table that compares times counts by: the year, the
//! quarter or the month (`[time] period` in analysis.toml, `--period`).
//!
//! A period is held as one integer key, consecutive periods by consecutive
//! keys (a year is its number, a quarter `year × 4 + quarter − 1`, a month
//! `year × 12 + month − 1`), so that "the next period" and "a gap" mean the
//! same at every period as they do for years. Tables write the key as its
//! label (`2023`, `2023-Q3`, `2023-08`) in a `period` column beside `year`;
//! a label says its own period, so a table read back needs no setting.

use serde::Deserialize;

/// How finely times are compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Period {
    #[default]
    Year,
    Quarter,
    Month,
}

impl Period {
    /// Periods in a year.
    pub fn per_year(self) -> i32 {
        match self {
            Period::Year => 1,
            Period::Quarter => 4,
            Period::Month => 12,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Period::Year => "year",
            Period::Quarter => "quarter",
            Period::Month => "month",
        }
    }

    /// The key of the period holding a record of `year` dated `date`
    /// (`YYYY-MM-DD`, as answers.csv writes it). None where the period is
    /// finer than the year and the date gives no month of that year.
    pub fn key(self, year: i32, date: Option<&str>) -> Option<i32> {
        if self == Period::Year {
            return Some(year);
        }
        let month = month_of(year, date?)?;
        let months_per = 12 / self.per_year();
        Some(year * self.per_year() + (month - 1) / months_per)
    }

    /// The key's start in calendar years (2023.5 for 2023-07): the time
    /// axis of a trend's slope, which stays per year at every period.
    pub fn years(self, key: i32) -> f64 {
        f64::from(key) / f64::from(self.per_year())
    }

    /// A series' status where it has one period.
    pub fn one(self) -> &'static str {
        match self {
            Period::Year => "one year",
            Period::Quarter => "one quarter",
            Period::Month => "one month",
        }
    }

    /// The year a key lies in.
    pub fn year(self, key: i32) -> i32 {
        key.div_euclid(self.per_year())
    }

    /// The key's label: `2023`, `2023-Q3` or `2023-08`.
    pub fn label(self, key: i32) -> String {
        let (y, i) = (self.year(key), key.rem_euclid(self.per_year()) + 1);
        match self {
            Period::Year => y.to_string(),
            Period::Quarter => format!("{y}-Q{i}"),
            Period::Month => format!("{y}-{i:02}"),
        }
    }

    /// The period and key a label names (the inverse of [`Period::label`]).
    pub fn parse(label: &str) -> Option<(Period, i32)> {
        let (y, rest) = match label.split_once('-') {
            None => return Some((Period::Year, label.parse().ok()?)),
            Some(parts) => parts,
        };
        let y: i32 = y.parse().ok()?;
        let (period, i) = match rest.strip_prefix('Q') {
            Some(q) => (Period::Quarter, q.parse::<i32>().ok()?),
            None if rest.len() == 2 => (Period::Month, rest.parse::<i32>().ok()?),
            None => return None,
        };
        (1..=period.per_year())
            .contains(&i)
            .then_some((period, y * period.per_year() + i - 1))
    }

    /// The keys of a table's `period` column, each checked to be of this
    /// period: a table counted at another period must be recomputed, not
    /// read as if it were of this one.
    pub fn keys(self, df: &polars::prelude::DataFrame) -> crate::error::Result<Vec<Option<i32>>> {
        let labels = df.column("period")?.str()?;
        labels
            .iter()
            .map(|l| match l.map(Period::parse) {
                None => Ok(None),
                Some(Some((p, k))) if p == self => Ok(Some(k)),
                Some(_) => Err(crate::error::Error::Table(format!(
                    "a table holds period {:?}, not a {}: rerun from the frequencies stage \
                     with this period (or `all`)",
                    l.unwrap_or_default(),
                    self.as_str()
                ))),
            })
            .collect()
    }

    /// The period of a table's `period` column (its first label's), the
    /// year for an empty table.
    pub fn of_table(df: &polars::prelude::DataFrame) -> crate::error::Result<Period> {
        let labels = df.column("period")?.str()?;
        Ok(labels
            .iter()
            .flatten()
            .find_map(Period::parse)
            .map_or(Period::Year, |(p, _)| p))
    }
}

/// The days since 1970-01-01 of a civil date (Hinnant's `days_from_civil`).
pub fn day_number(y: i32, m: u32, d: u32) -> i64 {
    let y = i64::from(y) - i64::from(m <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (i64::from(m) + 9) % 12;
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The day number of a `YYYY-MM-DD` date.
pub fn day_of(date: &str) -> Option<i64> {
    let mut parts = date.split('-').map(|p| p.parse::<u32>().ok());
    let (y, m, d) = (parts.next()??, parts.next()??, parts.next()??);
    ((1..=12).contains(&m) && (1..=31).contains(&d)).then(|| day_number(y as i32, m, d))
}

impl Period {
    /// The first and the last day of a key's period, as day numbers.
    pub fn days(self, key: i32) -> (i64, i64) {
        let (y, i) = (self.year(key), key.rem_euclid(self.per_year()) as u32);
        let months = 12 / self.per_year() as u32;
        let first = day_number(y, i * months + 1, 1);
        let next = match (i + 1) * months + 1 {
            13 => day_number(y + 1, 1, 1),
            m => day_number(y, m, 1),
        };
        (first, next - 1)
    }
}

/// The month of a `YYYY-MM-DD` date, where it lies in `year`.
fn month_of(year: i32, date: &str) -> Option<i32> {
    let mut parts = date.split('-');
    let (y, m) = (
        parts.next()?.parse::<i32>().ok()?,
        parts.next()?.parse::<i32>().ok()?,
    );
    (y == year && (1..=12).contains(&m)).then_some(m)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_labels_and_years_agree() {
        for period in [Period::Year, Period::Quarter, Period::Month] {
            for year in [1997, 2023] {
                for month in 1..=12 {
                    let date = format!("{year}-{month:02}-15");
                    let key = period.key(year, Some(&date)).unwrap();
                    assert_eq!(period.year(key), year);
                    assert_eq!(Period::parse(&period.label(key)), Some((period, key)));
                }
            }
        }
        assert_eq!(
            Period::Quarter.label(Period::Quarter.key(2023, Some("2023-08-01")).unwrap()),
            "2023-Q3"
        );
        assert_eq!(
            Period::Month.label(Period::Month.key(2023, Some("2023-08-01")).unwrap()),
            "2023-08"
        );
        // December and the next January are consecutive keys.
        let dec = Period::Month.key(2023, Some("2023-12-31")).unwrap();
        assert_eq!(Period::Month.key(2024, Some("2024-01-01")), Some(dec + 1));
    }

    #[test]
    fn day_numbers_and_period_days() {
        assert_eq!(day_number(1970, 1, 1), 0);
        assert_eq!(day_number(2000, 3, 1) - day_number(2000, 2, 28), 2);
        assert_eq!(day_of("2021-01-04"), Some(day_number(2021, 1, 4)));
        let feb = Period::Month.key(2024, Some("2024-02-10")).unwrap();
        let (a, b) = Period::Month.days(feb);
        assert_eq!(b - a + 1, 29);
        let q4 = Period::Quarter.key(2023, Some("2023-11-01")).unwrap();
        let (a, b) = Period::Quarter.days(q4);
        assert_eq!((a, b), (day_number(2023, 10, 1), day_number(2023, 12, 31)));
        let (a, b) = Period::Year.days(2023);
        assert_eq!(b - a + 1, 365);
    }

    #[test]
    fn no_month_no_finer_period() {
        assert_eq!(Period::Month.key(2023, None), None);
        assert_eq!(Period::Month.key(2023, Some("2022-08-01")), None);
        assert_eq!(Period::Year.key(2023, None), Some(2023));
        assert_eq!(Period::parse("2023-13"), None);
        assert_eq!(Period::parse("2023-Q5"), None);
        assert_eq!(Period::parse("x"), None);
    }
}

//! What each period's transcripts are (genre, share of the questions asked),
//! as every table that compares times carries it.

use std::collections::{BTreeMap, BTreeSet};

use polars::prelude::*;

use crate::categories::{Category, Genre};
use crate::error::Result;
use crate::period::{day_of, Period};
use crate::table::{field, Field, Ty};

/// The columns [`PeriodFacts::insert`] makes of a table's time.
const YEAR: Field = field("year", Ty::I32);
const PERIOD: Field = field("period", Ty::Str);
const GENRE: Field = field("genre", Ty::Str);
const QUESTIONS_SHARE: Field = field("questions_share", Ty::F64);

/// What each period's transcripts are, as every table that compares times
/// carries it after `year` and `period`: the `genre` (several joined by `+`
/// where a period mixes them, so that no table compares a summary with a
/// verbatim text unseen) and the `questions_share` its text holds of the
/// questions asked (empty where unknown). For a year: coverage.csv's
/// (for a year of many dated briefings, its `year_share` where below
/// `partial_year_below`, else 1). For a quarter or a month: the share of
/// its transcript where its year has one (a press conference), else its
/// briefings (distinct dates) over those its weekdays lead one to expect
/// ([`Expected`]), where below `partial_year_below`, else 1.
pub struct PeriodFacts {
    period: Period,
    facts: BTreeMap<i32, (String, Option<f64>)>,
}

/// The briefings a span of days is expected to hold: for each weekday, the
/// corpus's briefings on that weekday over the days of that weekday from
/// its first briefing to its last, summed over the span's days. A month
/// with one Monday fewer is not short of briefings where the corpus briefs
/// on Mondays and Thursdays; one whose first half precedes the corpus, or
/// whose briefings stopped for a holiday week, is.
struct Expected([f64; 7]);

impl Expected {
    fn of(days: impl Iterator<Item = i64>) -> Expected {
        let days: BTreeSet<i64> = days.collect();
        let (Some(&first), Some(&last)) = (days.first(), days.last()) else {
            return Expected([0.0; 7]);
        };
        let (mut held, mut all) = ([0.0f64; 7], [0.0f64; 7]);
        for d in &days {
            held[d.rem_euclid(7) as usize] += 1.0;
        }
        for d in first..=last {
            all[d.rem_euclid(7) as usize] += 1.0;
        }
        Expected(std::array::from_fn(|w| {
            if all[w] > 0.0 {
                held[w] / all[w]
            } else {
                0.0
            }
        }))
    }

    /// Briefings expected from day `first` to day `last`, both included.
    fn between(&self, first: i64, last: i64) -> f64 {
        (first..=last)
            .map(|d| self.0[d.rem_euclid(7) as usize])
            .sum()
    }
}

/// The facts of both times a run compares: years (keyness, formulations)
/// and its period (every other table); the same where the period is the year.
pub struct Times {
    pub year: PeriodFacts,
    pub period: PeriodFacts,
}

impl Times {
    pub fn of_answers(
        answers: &DataFrame,
        coverage: &DataFrame,
        period: Period,
        partial_below: f64,
    ) -> Result<Times> {
        Ok(Times {
            year: PeriodFacts::of_answers(answers, coverage, Period::Year, partial_below)?,
            period: PeriodFacts::of_answers(answers, coverage, period, partial_below)?,
        })
    }
}

impl PeriodFacts {
    /// What the period key of a table of periods (an i32 `period`) becomes
    /// in its schema (see [`PeriodFacts::insert`]).
    pub const OF_PERIOD: [Field; 4] = [YEAR, PERIOD, GENRE, QUESTIONS_SHARE];
    /// What the `year` of a table of years becomes in its schema.
    pub const OF_YEAR: [Field; 3] = [YEAR, GENRE, QUESTIONS_SHARE];

    /// From the answers (`year`, `date`, `genre`) and coverage.csv (`year`,
    /// `questions_share`).
    pub fn of_answers(
        answers: &DataFrame,
        coverage: &DataFrame,
        period: Period,
        partial_below: f64,
    ) -> Result<PeriodFacts> {
        let (year, date, genre) = (
            answers.column("year")?.i32()?,
            answers.column("date")?.str()?,
            answers.column("genre")?.str()?,
        );
        let mut genres: BTreeMap<i32, Vec<Genre>> = BTreeMap::new();
        // The distinct dates of each period, and each year's.
        let mut dates: BTreeMap<i32, BTreeSet<&str>> = BTreeMap::new();
        let mut year_dates: BTreeMap<i32, BTreeSet<&str>> = BTreeMap::new();
        for i in 0..answers.height() {
            let (Some(y), Some(g)) = (year.get(i), genre.get(i)) else {
                continue;
            };
            let Some(key) = period.key(y, date.get(i)) else {
                continue;
            };
            if let Some(d) = date.get(i).filter(|d| !d.is_empty()) {
                dates.entry(key).or_default().insert(d);
                year_dates.entry(y).or_default().insert(d);
            }
            let Some(&g) = Genre::ALL.iter().find(|x| x.as_str() == g) else {
                continue;
            };
            let gs = genres.entry(key).or_default();
            if !gs.contains(&g) {
                gs.push(g);
            }
        }
        let (cy, share) = (
            coverage.column("year")?.i32()?,
            coverage.column("questions_share")?.f64()?,
        );
        let mut shares: BTreeMap<i32, Vec<Option<f64>>> = BTreeMap::new();
        for (y, s) in cy.iter().zip(share.iter()) {
            if let Some(y) = y {
                shares.entry(y).or_default().push(s);
            }
        }
        // One file's share, or the share all the files of a year give.
        let year_share = |y: i32| match shares.get(&y).map(Vec::as_slice) {
            Some([first, rest @ ..]) if rest.iter().all(|s| s == first) => *first,
            _ => None,
        };
        let many = |y: i32| year_dates.get(&y).is_some_and(|d| d.len() >= 2);
        let expected = Expected::of(
            year_dates
                .iter()
                .filter(|(y, _)| many(**y))
                .flat_map(|(_, ds)| ds.iter().filter_map(|d| day_of(d))),
        );
        let share_of = |key: i32| {
            let y = period.year(key);
            if period == Period::Year || !many(y) {
                return year_share(y);
            }
            let held = dates.get(&key).map_or(0, BTreeSet::len) as f64;
            let (first, last) = period.days(key);
            let want = expected.between(first, last);
            let s = if want > 0.0 {
                (held / want).min(1.0)
            } else {
                1.0
            };
            Some(if s < partial_below { s } else { 1.0 })
        };
        Ok(PeriodFacts {
            period,
            facts: genres
                .into_iter()
                .map(|(key, mut gs)| {
                    gs.sort();
                    let names: Vec<&str> = gs.iter().map(|g| g.as_str()).collect();
                    (key, (names.join("+"), share_of(key)))
                })
                .collect(),
        })
    }

    /// From a table that carries them (`period` or `year`, `genre`,
    /// `questions_share`).
    pub fn of_table(df: &DataFrame) -> Result<PeriodFacts> {
        let (period, keys) = if df.get_column_index(PERIOD.name).is_some() {
            let period = Period::of_table(df)?;
            (period, period.keys(df)?)
        } else {
            (Period::Year, df.column(YEAR.name)?.i32()?.iter().collect())
        };
        let genre = df.column(GENRE.name)?.str()?;
        let share = df.column(QUESTIONS_SHARE.name)?.f64()?;
        Ok(PeriodFacts {
            period,
            facts: (0..df.height())
                .filter_map(|i| Some((keys[i]?, (genre.get(i)?.to_string(), share.get(i)))))
                .collect(),
        })
    }

    pub fn period(&self) -> Period {
        self.period
    }

    /// Every period with answers, in order, with its genre and its
    /// questions_share.
    pub fn iter(&self) -> impl Iterator<Item = (i32, &str, Option<f64>)> {
        self.facts.iter().map(|(k, (g, s))| (*k, g.as_str(), *s))
    }

    /// The periods whose genre may enter a rate comparison: all but those
    /// of a genre in `exclude` (a period mixing genres stays, its genre says
    /// so).
    pub fn compared(&self, exclude: &[Genre]) -> BTreeSet<i32> {
        self.facts
            .iter()
            .filter(|(_, (g, _))| !exclude.iter().any(|e| e.as_str() == g.as_str()))
            .map(|(y, _)| *y)
            .collect()
    }

    /// The periods whose transcripts hold only part of the questions asked.
    pub fn partial(&self) -> BTreeSet<i32> {
        self.facts
            .iter()
            .filter(|(_, (_, share))| share.is_some_and(|s| s < 1.0))
            .map(|(y, _)| *y)
            .collect()
    }

    /// The periods whose text may miss what was said: partial, or a summary
    /// (alone or mixed with other genres).
    pub fn incomplete(&self) -> BTreeSet<i32> {
        let summary = Genre::Summary.as_str();
        let mut keys = self.partial();
        keys.extend(
            self.facts
                .iter()
                .filter(|(_, (g, _))| g.split('+').any(|x| x == summary))
                .map(|(y, _)| *y),
        );
        keys
    }

    /// The table with `genre` and `questions_share` columns after its time.
    /// A table of periods holds each row's key in an i32 `period` column;
    /// it becomes the row's `year` and the period's label (`period`), the
    /// facts after them. A table of years keeps its `year`.
    pub fn insert(&self, mut df: DataFrame) -> Result<DataFrame> {
        let keyed = df
            .column(PERIOD.name)
            .is_ok_and(|c| c.dtype() == &DataType::Int32);
        let name = if keyed { PERIOD.name } else { YEAR.name };
        let keys: Vec<Option<i32>> = df.column(name)?.i32()?.iter().collect();
        let mut at = df.get_column_index(name).map_or(0, |i| i + 1);
        if keyed {
            let p = self.period;
            let years: Vec<Option<i32>> = keys.iter().map(|k| k.map(|k| p.year(k))).collect();
            let labels: Vec<Option<String>> = keys.iter().map(|k| k.map(|k| p.label(k))).collect();
            df.replace(PERIOD.name, Column::new(PERIOD.name.into(), labels))?;
            df.insert_column(at - 1, Column::new(YEAR.name.into(), years))?;
            at += 1;
        }
        let facts: Vec<Option<&(String, Option<f64>)>> = keys
            .iter()
            .map(|k| k.and_then(|k| self.facts.get(&k)))
            .collect();
        let genres: Vec<Option<&str>> = facts.iter().map(|f| f.map(|f| f.0.as_str())).collect();
        let shares: Vec<Option<f64>> = facts.iter().map(|f| f.and_then(|f| f.1)).collect();
        df.insert_column(at, Column::new(GENRE.name.into(), genres))?;
        df.insert_column(at + 1, Column::new(QUESTIONS_SHARE.name.into(), shares))?;
        Ok(df)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::period::day_number;

    /// Briefings every Monday and Thursday from Thursday 2021-01-14 to
    /// Monday 2021-03-29: January holds 5 of the 8 its Mondays and
    /// Thursdays lead one to expect (from the 14th on), February and March
    /// all of theirs (8 and 9), though their counts differ.
    #[test]
    fn a_month_is_partial_where_it_lacks_the_briefings_its_weekdays_expect() {
        let (start, end) = (day_number(2021, 1, 14), day_number(2021, 3, 29));
        let dates: Vec<String> = (start..=end)
            // Day 0, 1970-01-01, was a Thursday: Thursdays are 0, Mondays 4.
            .filter(|d| matches!(d.rem_euclid(7), 0 | 4))
            .map(|d| {
                let (y, m) = (
                    2021,
                    (1..=12).rfind(|&m| day_number(2021, m, 1) <= d).unwrap(),
                );
                format!("{y}-{m:02}-{:02}", d - day_number(y, m, 1) + 1)
            })
            .collect();
        assert_eq!(dates.first().map(String::as_str), Some("2021-01-14"));
        assert_eq!(dates.last().map(String::as_str), Some("2021-03-29"));
        let n = dates.len();
        let answers = df!(
            "year" => vec![2021; n],
            "date" => dates,
            "genre" => vec!["briefing"; n],
        )
        .unwrap();
        let coverage = df!("year" => [2021], "questions_share" => [1.0]).unwrap();
        let facts = PeriodFacts::of_answers(&answers, &coverage, Period::Month, 0.9).unwrap();
        let shares: Vec<(String, Option<f64>)> = facts
            .iter()
            .map(|(k, _, s)| (Period::Month.label(k), s))
            .collect();
        assert_eq!(
            shares,
            [
                ("2021-01".to_string(), Some(5.0 / 8.0)),
                ("2021-02".to_string(), Some(1.0)),
                ("2021-03".to_string(), Some(1.0)),
            ]
        );
        assert_eq!(facts.partial().len(), 1);
        // By quarter: 5 + 8 + 9 of 8 + 8 + 9 expected, 22/25 = 0.88, partial.
        let q = PeriodFacts::of_answers(&answers, &coverage, Period::Quarter, 0.9).unwrap();
        let (_, _, share) = q.iter().next().unwrap();
        assert!((share.unwrap() - 22.0 / 25.0).abs() < 1e-12, "{share:?}");
    }
}

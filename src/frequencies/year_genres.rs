//! What each year's transcripts are (genre, share of the questions asked),
//! as every table that compares years carries it.

use std::collections::{BTreeMap, BTreeSet};

use polars::prelude::*;

use crate::error::Result;
use crate::vocab::{Category, Genre};

/// What each year's transcripts are, as every table that compares years
/// carries it after `year`: the `genre` (several joined by `+` where a year
/// mixes them, so that no table compares a summary with a verbatim text
/// unseen) and the `questions_share` its text holds of the questions asked
/// (coverage.csv; for a year of many dated briefings, the share of a
/// typical year's briefings it holds, 1 where it is whole; empty where
/// unknown or where a year's files give different shares).
pub struct YearGenres(BTreeMap<i32, (String, Option<f64>)>);

impl YearGenres {
    /// From the answers (`year`, `genre`) and coverage.csv (`year`,
    /// `questions_share`).
    pub fn of_answers(answers: &DataFrame, coverage: &DataFrame) -> Result<YearGenres> {
        let (year, genre) = (
            answers.column("year")?.i32()?,
            answers.column("genre")?.str()?,
        );
        let mut by_year: BTreeMap<i32, Vec<Genre>> = BTreeMap::new();
        for (y, g) in year.iter().zip(genre.iter()) {
            let (Some(y), Some(g)) = (y, g) else { continue };
            let Some(&g) = Genre::ALL.iter().find(|x| x.as_str() == g) else {
                continue;
            };
            let gs = by_year.entry(y).or_default();
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
        Ok(YearGenres(
            by_year
                .into_iter()
                .map(|(y, mut gs)| {
                    gs.sort();
                    let names: Vec<&str> = gs.iter().map(|g| g.as_str()).collect();
                    // One file's share, or the share all the files of a year
                    // give (a year of many dated briefings: coverage.csv).
                    let share = match shares.get(&y).map(Vec::as_slice) {
                        Some([first, rest @ ..]) if rest.iter().all(|s| s == first) => *first,
                        _ => None,
                    };
                    (y, (names.join("+"), share))
                })
                .collect(),
        ))
    }

    /// From a table that carries them (`year`, `genre`, `questions_share`).
    pub fn of_table(df: &DataFrame) -> Result<YearGenres> {
        let year = df.column("year")?.i32()?;
        let genre = df.column("genre")?.str()?;
        let share = df.column("questions_share")?.f64()?;
        Ok(YearGenres(
            (0..df.height())
                .filter_map(|i| Some((year.get(i)?, (genre.get(i)?.to_string(), share.get(i)))))
                .collect(),
        ))
    }

    /// The years whose genre may enter a rate comparison: all but those of a
    /// genre in `exclude` (a year mixing genres stays, its genre says so).
    pub fn compared(&self, exclude: &[Genre]) -> BTreeSet<i32> {
        self.0
            .iter()
            .filter(|(_, (g, _))| !exclude.iter().any(|e| e.as_str() == g.as_str()))
            .map(|(y, _)| *y)
            .collect()
    }

    /// The years whose transcript holds only part of the questions asked.
    pub fn partial(&self) -> BTreeSet<i32> {
        self.0
            .iter()
            .filter(|(_, (_, share))| share.is_some_and(|s| s < 1.0))
            .map(|(y, _)| *y)
            .collect()
    }

    /// The years whose text may miss what was said: partial, or a summary
    /// (alone or mixed with other genres).
    pub fn incomplete(&self) -> BTreeSet<i32> {
        let summary = Genre::Summary.as_str();
        let mut years = self.partial();
        years.extend(
            self.0
                .iter()
                .filter(|(_, (g, _))| g.split('+').any(|x| x == summary))
                .map(|(y, _)| *y),
        );
        years
    }

    /// The rows of `df` whose `year` is in `years`.
    pub fn only(df: &DataFrame, years: &BTreeSet<i32>) -> Result<DataFrame> {
        let mask: BooleanChunked = df
            .column("year")?
            .i32()?
            .iter()
            .map(|y| Some(y.is_some_and(|y| years.contains(&y))))
            .collect();
        Ok(df.filter(&mask)?)
    }

    /// The table with `genre` and `questions_share` columns after its `year`.
    pub fn insert(&self, mut df: DataFrame) -> Result<DataFrame> {
        let at = df.get_column_index("year").map_or(0, |i| i + 1);
        let facts: Vec<Option<&(String, Option<f64>)>> = df
            .column("year")?
            .i32()?
            .iter()
            .map(|y| y.and_then(|y| self.0.get(&y)))
            .collect();
        let genres: Vec<Option<&str>> = facts.iter().map(|f| f.map(|f| f.0.as_str())).collect();
        let shares: Vec<Option<f64>> = facts.iter().map(|f| f.and_then(|f| f.1)).collect();
        df.insert_column(at, Column::new("genre".into(), genres))?;
        df.insert_column(at + 1, Column::new("questions_share".into(), shares))?;
        Ok(df)
    }
}

//! What a corpus holds, as the report and the explorer describe it: its
//! genres, speakers and dates, read from answers.csv, so that neither calls
//! a corpus of briefings "the annual press conference".

use std::collections::{BTreeMap, BTreeSet};

use polars::prelude::*;

use crate::categories::{Category, Genre};
use crate::error::Result;

/// The genres, speakers and dates of the records of answers.csv.
pub struct Summary {
    /// The genres present, in [`Genre::ALL`] order.
    genres: Vec<Genre>,
    /// The speakers named, most records first, then by name.
    speakers: Vec<String>,
    /// Distinct dates (conferences or briefings), the first and the last.
    dates: usize,
    first: String,
    last: String,
    /// One date a year and no briefing: the annual NPC press conference.
    annual: bool,
}

/// At most this many speakers are named in a description.
const NAMED: usize = 5;

impl Summary {
    pub fn of(answers: &DataFrame) -> Result<Summary> {
        let (date, genre, speaker) = (
            answers.column("date")?.str()?,
            answers.column("genre")?.str()?,
            answers.column("speaker")?.str()?,
        );
        let dates: BTreeSet<&str> = date.iter().flatten().collect();
        let mut per_year: BTreeMap<&str, usize> = BTreeMap::new();
        for d in &dates {
            *per_year.entry(d.get(..4).unwrap_or(d)).or_default() += 1;
        }
        let named: BTreeSet<&str> = genre.iter().flatten().collect();
        let genres: Vec<Genre> = Genre::ALL
            .iter()
            .copied()
            .filter(|g| named.contains(g.as_str()))
            .collect();
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for s in speaker.iter().flatten().filter(|s| !s.is_empty()) {
            *counts.entry(s).or_default() += 1;
        }
        let mut speakers: Vec<(&str, usize)> = counts.into_iter().collect();
        speakers.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        Ok(Summary {
            annual: !genres.contains(&Genre::Briefing) && per_year.values().all(|&n| n == 1),
            genres,
            speakers: speakers.into_iter().map(|(s, _)| s.to_string()).collect(),
            dates: dates.len(),
            first: dates.first().map_or(String::new(), |d| d.to_string()),
            last: dates.last().map_or(String::new(), |d| d.to_string()),
        })
    }

    /// The speakers, at most [`NAMED`] and how many more, joined by `sep`.
    fn named(&self, sep: &str, more: impl Fn(usize) -> String) -> String {
        let mut shown: Vec<String> = self.speakers.iter().take(NAMED).cloned().collect();
        if self.speakers.len() > NAMED {
            shown.push(more(self.speakers.len() - NAMED));
        }
        shown.join(sep)
    }

    /// What the corpus is, in English: the briefings or transcripts, their
    /// speakers and dates.
    fn english(&self) -> String {
        let what = if self.genres == [Genre::Briefing] {
            "regular briefings".to_string()
        } else {
            let genres: Vec<&str> = self.genres.iter().map(|g| g.as_str()).collect();
            format!("transcripts ({})", genres.join(", "))
        };
        let who = match self.speakers.len() {
            0 => "unnamed speakers".to_string(),
            _ => self.named(", ", |n| format!("{n} more")),
        };
        format!(
            "{} {what} by {who}, {} to {}",
            self.dates, self.first, self.last
        )
    }

    /// The report's opening sentence: how the language of the annual press
    /// conference shifts over `years`, or that of the corpus's briefings or
    /// transcripts.
    pub fn sentence(&self, years: &str) -> String {
        if self.annual {
            format!(
                "How the Chinese foreign minister's language at the annual NPC press conference \
                 shifts, {years}."
            )
        } else {
            format!("How the language of {} shifts.", self.english())
        }
    }

    /// The explorer's title in Chinese.
    pub fn chinese_title(&self) -> String {
        if self.annual {
            return "外长记者会话语探索".into();
        }
        let what = if self.genres == [Genre::Briefing] {
            "例行记者会"
        } else {
            "答问文本"
        };
        format!(
            "{what}话语探索：{}场，{}至{}，{}",
            self.dates,
            self.first,
            self.last,
            self.named("、", |n| format!("等{}人", n + NAMED))
        )
    }

    /// The explorer's title in English.
    pub fn english_title(&self) -> String {
        if self.annual {
            return "rhetoric-shift explorer".into();
        }
        format!("rhetoric-shift explorer: {}", self.english())
    }
}

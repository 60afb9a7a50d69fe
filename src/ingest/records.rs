//! The records of every file as the columns of answers.csv.

use super::layout;
use crate::categories::{Category, DatedBy, Genre};
use crate::config::corpus::{Corpus, TranscriptFile};

crate::columns! {
    /// The columns of `answers.csv`.
    pub const ANSWERS: &Schema;
    /// answers.csv's columns, filled record by record.
    pub(super) struct RecordColumns {
        id: String,
        year: i32,
        date: String,
        dated_by: &'static str,
        seq: u32,
        kind: String,
        genre: &'static str,
        speaker: String,
        outlet: String,
        outlet_printed: String,
        headline: String,
        question: String,
        answer: String,
        chars: u32,
        truncated: bool,
        source: String,
        line: u32,
    }
}

impl RecordColumns {
    /// A record of file `t`; its date is its briefing's where a briefing
    /// header gives one; its speaker is who its label names, else its
    /// briefing's spokesperson, else the file's speaker. The id keeps the
    /// file's date, unique per file.
    pub(super) fn push(
        &mut self,
        t: &TranscriptFile,
        seq: usize,
        r: &layout::Record,
        speaker: &str,
        genre: Genre,
        corpus: &Corpus,
    ) {
        self.genre.push(genre.as_str());
        self.id.push(format!("{}/{:02}", t.date(), seq));
        let briefing = r.briefing.as_ref();
        match briefing.and_then(|b| b.date) {
            Some((year, month, day)) => {
                self.year.push(year);
                self.date.push(format!("{year:04}-{month:02}-{day:02}"));
                self.dated_by.push(DatedBy::Header.as_str());
            }
            None => {
                self.year.push(t.year);
                self.date.push(t.date());
                self.dated_by.push(DatedBy::File.as_str());
            }
        }
        self.speaker.push(match briefing {
            _ if !r.speaker.is_empty() => r.speaker.clone(),
            Some(b) if !b.speaker.is_empty() => b.speaker.clone(),
            _ => speaker.to_string(),
        });
        self.seq.push(seq as u32);
        self.kind.push(r.kind.as_str().to_string());
        self.outlet.push(corpus.outlet(&r.outlet).to_string());
        self.outlet_printed.push(r.outlet.clone());
        self.headline.push(r.headline.clone());
        self.question.push(r.question.clone());
        self.answer.push(r.answer.clone());
        self.chars
            .push(r.answer.chars().filter(|&c| c != '\n').count() as u32);
        self.truncated.push(r.truncated);
        self.source.push(t.file.clone());
        self.line.push(r.line as u32);
    }
}

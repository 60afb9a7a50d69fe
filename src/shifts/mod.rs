//! Stage 5, shifts: which phrases rose or fell for a topic, how sure each number
//! is, and how hard-line the register is.
//!
//! Reads the frequencies stage's tables (phrase_freq, topic_year, answer_sizes,
//! answer_counts), and the answers for the KWIC evidence, and writes six
//! tables, each made in its module (their columns: docs/outputs.md):
//! `keyness.csv` ([`keyness`]), `shifts.csv` ([`trends`]), `register.csv`
//! ([`register`]), `speakers.csv` ([`speakers`]), `sensitivity.csv`
//! ([`sensitivity`]) and `kwic.csv` ([`kwic`]). The statistics are plain
//! functions in [`stats`], checked against an independent implementation.
//!
//! Uncertainty comes from resampling answers: one press conference a year and
//! a handful of answers per topic make a year's rate swing with any one answer,
//! and the bootstrap interval says how far.

pub mod answer_level;
pub mod bootstrap;
pub mod keyness;
pub mod kwic;
pub mod register;
pub mod sensitivity;
pub mod speakers;
pub mod stats;
pub mod trends;
mod units;

pub use keyness::KEYNESS;
pub use register::REGISTER;
pub use trends::TRENDS;
pub use units::{speaker_unit, Per, Unit, Units};

use polars::prelude::*;

use crate::config::Config;
use crate::error::Result;
use crate::frequencies::{units::sums, By, Frequencies, Times};
use crate::period::Period;
use crate::store::Store;
use crate::topics::Tagged;
use kwic::{Kwic, KWIC};
use sensitivity::{Sensitivity, SENSITIVITY};

/// The note of a row (shifts.csv, register.csv) whose interval is left
/// empty because every resample gives the same value: an interval of zero
/// width would read as certainty. Charts draw such a point filled, not
/// hollow: it was resampled, and did not move.
pub const SAME_EVERY_RESAMPLE: &str =
    "every resample gives the same value (as where a phrase or lexicon is in no answer): no interval";

/// The speaker of a row that counts everyone's answers.
pub const ALL_SPEAKERS: &str = "all";

crate::typed_table!(
    /// `keyness.csv` (see [`keyness`]).
    Keyness,
    KEYNESS,
    "keyness.csv"
);
crate::typed_table!(
    /// `shifts.csv`: the trends of the tracked phrases (see [`trends`]).
    Trends,
    TRENDS,
    "shifts.csv"
);
crate::typed_table!(
    /// `register.csv`: the register index (see [`register`]).
    RegisterIndex,
    REGISTER,
    "register.csv"
);

/// What the shifts stage produces.
pub struct Shifts {
    pub keyness: Keyness,
    pub trends: Trends,
    pub register: RegisterIndex,
    pub speakers: speakers::SpeakerRegister,
    pub kwic: Kwic,
    pub sensitivity: Sensitivity,
    /// What a user should know of the tables (a cut lowered to fit).
    pub warnings: Vec<String>,
}

impl Shifts {
    const STAGE: &'static str = "shifts";

    pub fn write(&self, store: &Store) -> Result<()> {
        store.write_tables(&[
            self.keyness.entry(),
            self.trends.entry(),
            self.register.entry(),
            self.speakers.entry(),
            self.kwic.entry(),
            self.sensitivity.entry(),
        ])
    }

    pub fn read(store: &Store) -> Result<Shifts> {
        let read = |name, schema| store.read_table(name, schema, Shifts::STAGE);
        Ok(Shifts {
            keyness: Keyness::new(read(Keyness::FILE, KEYNESS)?)?,
            trends: Trends::new(read(Trends::FILE, TRENDS)?)?,
            register: RegisterIndex::new(read(RegisterIndex::FILE, REGISTER)?)?,
            speakers: speakers::SpeakerRegister::new(read(
                speakers::SpeakerRegister::FILE,
                speakers::SPEAKERS,
            )?)?,
            kwic: Kwic::new(read(Kwic::FILE, KWIC)?)?,
            sensitivity: Sensitivity::new(read(Sensitivity::FILE, SENSITIVITY)?)?,
            // Said when the tables were made.
            warnings: Vec::new(),
        })
    }
}

/// Runs keyness, trends and register on the frequencies stage's tables, and
/// finds the KWIC evidence in the answers and their topics.
pub fn run(
    f: &Frequencies,
    times: &Times,
    answers: &DataFrame,
    tagged: &Tagged,
    config: &Config,
    all_kwic: bool,
    all_keyness: bool,
) -> Result<Shifts> {
    let analysis = &config.analysis;
    let exclude = &analysis.comparison.exclude_genres;
    // Trends, register and speakers count by the run's period; keyness and
    // its sensitivity checks stay yearly (docs/methods.md, "Periods"), on
    // units and sums by year, the same as the period's where it is the year.
    let units = Units::new(&f.counts, By::Period);
    let speakers = Units::by_speaker(&f.counts, By::Period);
    let yearly = f.counts.period != Period::Year;
    let year_units = if yearly {
        Units::new(&f.counts, By::Year)
    } else {
        units.of_times(&units.sorted().iter().map(|u| u.time).collect())
    };
    let year_sums = if yearly {
        sums(&f.counts, By::Year)
    } else {
        Vec::new()
    };
    let compared = times.year.compared(exclude);
    let compared_units = year_units.of_times(&compared);
    let (keyness, cut) = keyness::run(&keyness::Inputs {
        sums: if yearly { &year_sums } else { &f.units },
        counts: &f.counts,
        units: &compared_units,
        compared: &compared,
        settings: &analysis.keyness,
        alpha: analysis.comparison.alpha,
        seed: analysis.bootstrap.seed,
        all: all_keyness,
        min_speaker_answers: analysis.comparison.min_speaker_answers,
    })?;
    let keyness = Keyness::new(times.year.insert(keyness)?)?;
    let sensitivity = sensitivity::run(
        keyness.frame(),
        &sensitivity::Context {
            units: &compared_units,
            counts: &f.counts,
            tags: &tagged.by_answer()?,
            partial: &times.year.partial(),
            settings: &analysis.keyness,
            alpha: analysis.comparison.alpha,
            seed: analysis.bootstrap.seed,
        },
    )?;
    let kwic = kwic::run(
        answers,
        tagged,
        &keyness,
        &config.topics,
        &analysis.kwic,
        all_kwic,
    )?;
    Ok(Shifts {
        trends: Trends::new(times.period.insert(trends::run(
            &f.phrase_freq,
            &units,
            &speakers,
            &analysis.bootstrap,
            &analysis.comparison,
            &times.period.compared(exclude),
        )?)?)?,
        register: RegisterIndex::new(times.period.insert(register::run(
            &register::rows(&units, &speakers, analysis.comparison.min_speaker_answers),
            &analysis.bootstrap,
            analysis.comparison.min_answers,
        )?)?)?,
        speakers: speakers::run(&speakers::Inputs {
            counts: &f.counts,
            all: &units,
            speakers: &speakers,
            min_speaker_answers: analysis.comparison.min_speaker_answers,
            keyness: &analysis.keyness,
            boot: &analysis.bootstrap,
        })?,
        keyness,
        kwic: Kwic::new(kwic)?,
        sensitivity,
        warnings: cut.into_iter().collect(),
    })
}

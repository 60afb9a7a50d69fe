//! The stage graph, written once.
//!
//! Each stage has one accessor here that says what the stage reads and how it
//! computes its output. A run names the stages it computes: `all` computes
//! every stage and hands each output to the next in memory; a subcommand
//! computes its own stage and reads what it needs from the tables an earlier
//! run wrote (each stage's module owns the reading of its tables). Nothing is
//! written until every computed stage has succeeded, so a failed run leaves
//! the previous outputs as they were.

use std::cell::OnceCell;

use polars::prelude::DataFrame;

use crate::charts::{self, Charts};
use crate::config::Config;
use crate::error::Result;
use crate::explore::{self, Explorer};
use crate::frequencies::{self, Frequencies, Times};
use crate::ingest::{self, Ingest};
use crate::progress::Progress;
use crate::report::{self, Report};
use crate::segment::{self, Tokens};
use crate::shifts::{self, Shifts};
use crate::store::Store;
use crate::topics::{self, Tagged};

/// The stages, in the order they run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Stage {
    Ingest,
    Segment,
    Topics,
    Frequencies,
    Shifts,
    Charts,
    Report,
    Explore,
}

impl Stage {
    /// The stage's subcommand.
    pub fn name(self) -> &'static str {
        match self {
            Stage::Ingest => "ingest",
            Stage::Segment => "segment",
            Stage::Topics => "topics",
            Stage::Frequencies => "frequencies",
            Stage::Shifts => "shifts",
            Stage::Charts => "charts",
            Stage::Report => "report",
            Stage::Explore => "explore",
        }
    }

    /// Every stage: what `all` runs.
    pub const ALL: [Stage; 8] = [
        Stage::Ingest,
        Stage::Segment,
        Stage::Topics,
        Stage::Frequencies,
        Stage::Shifts,
        Stage::Charts,
        Stage::Report,
        Stage::Explore,
    ];
}

/// What a run is asked for besides its stages.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    pub charts: charts::Options,
    /// Write tokens.csv and answer_counts.csv whatever the corpus size.
    pub tokens: bool,
    /// Write every KWIC line, not `[kwic] max_lines` per phrase.
    pub all_kwic: bool,
    /// Write every row of phrase_freq.csv, not `[output] phrase_freq_top`
    /// unigrams and bigrams per (year, topic).
    pub all_freq: bool,
    /// Write every tested phrase to keyness.csv, not the `top` of each family.
    pub all_keyness: bool,
    /// Stop on any file the ingest cannot read, instead of setting it aside.
    pub strict: bool,
}

/// What a run leaves to print.
pub struct Outcome {
    pub warnings: Vec<String>,
    /// Transcripts, answers, tokens and seconds, for a run that segmented.
    pub summary: Option<String>,
    /// Each step's seconds and the peak memory so far (see [`Progress`]).
    pub timings: Vec<String>,
}

/// Runs `stages` (in their order) on the data, reading the outputs of the
/// other stages they need from `store`, and writes their outputs.
pub fn run(config: &Config, store: &Store, opts: Options, stages: &[Stage]) -> Result<Outcome> {
    let p = Pipeline {
        config,
        store,
        opts,
        stages,
        ingest: OnceCell::new(),
        answers: OnceCell::new(),
        coverage: OnceCell::new(),
        times: OnceCell::new(),
        tokens: OnceCell::new(),
        tagged: OnceCell::new(),
        frequencies: OnceCell::new(),
        shifts: OnceCell::new(),
        charts: OnceCell::new(),
        report: OnceCell::new(),
        answer_sizes: OnceCell::new(),
        explorer: OnceCell::new(),
    };
    let mut progress = Progress::new(stages.len() + 1);
    let mut warnings = Vec::new();
    for &stage in stages {
        progress.start(stage.name());
        match stage {
            Stage::Ingest => warnings.extend(p.ingest()?.warning_lines(config)?),
            Stage::Segment => drop(p.tokens()?),
            Stage::Topics => drop(p.tagged()?),
            Stage::Frequencies => warnings.extend(p.frequencies()?.warnings.iter().cloned()),
            Stage::Shifts => warnings.extend(p.shifts()?.warnings.iter().cloned()),
            Stage::Charts => warnings.extend(p.charts()?.warnings(config)),
            Stage::Report => drop(p.report()?),
            Stage::Explore => drop(p.explorer()?),
        }
        progress.done(stage.name());
    }
    progress.start("write");
    for &stage in stages {
        match stage {
            Stage::Ingest => p.ingest()?.write(store)?,
            Stage::Segment => p.tokens()?.write(store)?,
            Stage::Topics => p.tagged()?.write(store)?,
            Stage::Frequencies => p.frequencies()?.write(store)?,
            Stage::Shifts => p.shifts()?.write(store)?,
            Stage::Charts => p.charts()?.write(store)?,
            Stage::Report => p.report()?.write(store)?,
            Stage::Explore => p.explorer()?.write(store)?,
        }
    }
    progress.done("write");
    progress.finish();
    let summary = match p.tokens.get() {
        Some(tokens) if stages.contains(&Stage::Segment) => Some(format!(
            "{} transcripts, {} records, {} tokens in {:.2} s",
            config.corpus.files.len(),
            p.answers()?.height(),
            tokens.len(),
            progress.seconds()
        )),
        _ => None,
    };
    let timings = progress
        .steps
        .iter()
        .map(|(name, secs, peak)| match peak {
            Some(mb) => format!("{name}: {secs:.3} s, peak memory so far {mb:.0} MB"),
            None => format!("{name}: {secs:.3} s"),
        })
        .collect();
    Ok(Outcome {
        warnings,
        summary,
        timings,
    })
}

/// One run's stage outputs, each computed or read at most once.
struct Pipeline<'a> {
    config: &'a Config,
    store: &'a Store,
    opts: Options,
    stages: &'a [Stage],
    ingest: OnceCell<Ingest>,
    answers: OnceCell<DataFrame>,
    coverage: OnceCell<DataFrame>,
    times: OnceCell<Times>,
    tokens: OnceCell<Tokens>,
    tagged: OnceCell<Tagged>,
    frequencies: OnceCell<Frequencies>,
    shifts: OnceCell<Shifts>,
    charts: OnceCell<Charts>,
    report: OnceCell<Report>,
    answer_sizes: OnceCell<DataFrame>,
    explorer: OnceCell<Explorer>,
}

/// The cell's value, made by `make` the first time.
fn once<T>(cell: &OnceCell<T>, make: impl FnOnce() -> Result<T>) -> Result<&T> {
    if let Some(v) = cell.get() {
        return Ok(v);
    }
    let v = make()?;
    Ok(cell.get_or_init(|| v))
}

impl Pipeline<'_> {
    /// The output of `stage`: computed where this run computes the stage,
    /// otherwise read from the store.
    fn stage<'s, T>(
        &'s self,
        cell: &'s OnceCell<T>,
        stage: Stage,
        compute: impl FnOnce() -> Result<T>,
        read: impl FnOnce(&Store) -> Result<T>,
    ) -> Result<&'s T> {
        once(cell, || {
            if self.stages.contains(&stage) {
                compute()
            } else {
                read(self.store)
            }
        })
    }

    /// The ingest: transcripts -> answers, repairs, warnings, coverage.
    fn ingest(&self) -> Result<&Ingest> {
        once(&self.ingest, || ingest::run(self.config, self.opts.strict))
    }

    /// The answers, all that later stages read of the ingest.
    fn answers(&self) -> Result<&DataFrame> {
        if self.stages.contains(&Stage::Ingest) {
            return Ok(&self.ingest()?.answers);
        }
        once(&self.answers, || Ingest::read_answers(self.store))
    }

    /// The coverage of each year, which the charts read of the ingest.
    fn coverage(&self) -> Result<&DataFrame> {
        if self.stages.contains(&Stage::Ingest) {
            return Ok(&self.ingest()?.coverage);
        }
        once(&self.coverage, || Ingest::read_coverage(self.store))
    }

    /// What each year's and each period's transcripts are.
    fn times(&self) -> Result<&Times> {
        once(&self.times, || {
            Times::of_answers(
                self.answers()?,
                self.coverage()?,
                self.config.analysis.time.period,
                self.config.layout.partial_year_below,
            )
        })
    }

    /// Whether the per-token tables (tokens.csv, answer_counts.csv) are
    /// written: when asked, or when the corpus is small enough for them to be
    /// read (`[output] tokens_max_mb`).
    fn write_per_token(&self) -> Result<bool> {
        let answers = self.answers()?;
        let mut bytes = 0usize;
        for name in ["question", "answer"] {
            bytes += answers
                .column(name)?
                .str()?
                .iter()
                .flatten()
                .map(str::len)
                .sum::<usize>();
        }
        Ok(self.opts.tokens || bytes as f64 <= self.config.analysis.output.tokens_max_mb * 1e6)
    }

    /// Segment: answers -> tokens.
    fn tokens(&self) -> Result<&Tokens> {
        let words = &self.config.words;
        self.stage(
            &self.tokens,
            Stage::Segment,
            || {
                segment::run(
                    self.answers()?,
                    words,
                    &self.config.analysis.discovery,
                    &self.config.analysis.comparison.exclude_kinds,
                    self.write_per_token()?,
                )
            },
            Tokens::read,
        )
    }

    /// Topics: answers -> answer topics (the tags; answers.csv is not rewritten).
    fn tagged(&self) -> Result<&Tagged> {
        self.stage(
            &self.tagged,
            Stage::Topics,
            || {
                topics::run(
                    self.answers()?,
                    &self.config.topics,
                    &self.config.layout.sentences,
                )
            },
            Tagged::read,
        )
    }

    /// Frequencies: tokens and answer topics -> phrase counts.
    fn frequencies(&self) -> Result<&Frequencies> {
        self.stage(
            &self.frequencies,
            Stage::Frequencies,
            || {
                frequencies::run(
                    self.tokens()?,
                    &self.tagged()?.answer_topics,
                    self.answers()?,
                    self.times()?,
                    self.config,
                    self.write_per_token()?,
                    self.opts.all_freq,
                )
            },
            |store| {
                Frequencies::read(
                    store,
                    &self.config.topics,
                    &self.config.words,
                    self.config.analysis.time.period,
                )
            },
        )
    }

    /// Shifts: phrase counts (and the answers and their topics, for KWIC) ->
    /// keyness, trends, register, KWIC.
    fn shifts(&self) -> Result<&Shifts> {
        self.stage(
            &self.shifts,
            Stage::Shifts,
            || {
                shifts::run(
                    self.frequencies()?,
                    self.times()?,
                    self.answers()?,
                    self.tagged()?,
                    self.config,
                    self.opts.all_kwic,
                    self.opts.all_keyness,
                )
            },
            Shifts::read,
        )
    }

    /// Charts: trends, keyness, register, topic sizes and coverage -> figures.
    fn charts(&self) -> Result<&Charts> {
        self.stage(
            &self.charts,
            Stage::Charts,
            || {
                let s = self.shifts()?;
                let inputs = charts::Inputs {
                    trends: &s.trends,
                    topic_year: &self.frequencies()?.topic_year,
                    keyness: &s.keyness,
                    register: &s.register,
                    formulations: self.frequencies()?.formulations.frame(),
                    coverage: self.coverage()?,
                    min_answers: self.config.analysis.comparison.min_answers,
                    alpha: self.config.analysis.comparison.alpha,
                    exclude_genres: &self.config.analysis.comparison.exclude_genres,
                };
                charts::run(
                    &inputs,
                    &self.config.topics,
                    &self.config.words.glossary,
                    self.opts.charts,
                )
            },
            Charts::read,
        )
    }

    /// Report: the analysis tables and the figures -> report.md, report.html.
    fn report(&self) -> Result<&Report> {
        once(&self.report, || {
            let s = self.shifts()?;
            report::run(&report::Inputs {
                topic_year: &self.frequencies()?.topic_year,
                trends: &s.trends,
                register: &s.register,
                speakers: &s.speakers,
                keyness: &s.keyness,
                kwic: &s.kwic,
                formulations: self.frequencies()?.formulations.frame(),
                answers: self.answers()?,
                tagged: self.tagged()?,
                config: self.config,
                svgs: self.charts()?.svgs(),
            })
        })
    }

    /// answer_sizes.csv, which the explorer reads of the frequencies stage
    /// (without the per-answer counts it does not need).
    fn answer_sizes(&self) -> Result<&DataFrame> {
        if self.stages.contains(&Stage::Frequencies) {
            return Ok(&self.frequencies()?.answer_sizes);
        }
        once(&self.answer_sizes, || Frequencies::read_sizes(self.store))
    }

    /// Explore: answers, topics, sizes, coverage and keyness -> explorer.html.
    fn explorer(&self) -> Result<&Explorer> {
        once(&self.explorer, || {
            explore::run(&explore::Inputs {
                answers: self.answers()?,
                tagged: self.tagged()?,
                answer_sizes: self.answer_sizes()?,
                coverage: self.coverage()?,
                keyness: &self.shifts()?.keyness,
                formulations: self.frequencies()?.formulations.frame(),
                config: self.config,
            })
        })
    }
}

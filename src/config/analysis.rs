//! `data/analysis.toml`: the settings of the shifts stage (keyness, bootstrap)
//! and of the KWIC evidence.

use std::path::Path;

use serde::Deserialize;

use super::{line_of_key, parse_toml, read_or};
use crate::categories::{Genre, PhraseKind, RecordKind};
use crate::error::{Error, Result};

/// The analysis settings shipped with the tool, used where the data folder has none.
pub const DEFAULT_ANALYSIS: &str = include_str!("../../data/analysis.toml");

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Analysis {
    pub time: TimeSettings,
    pub discovery: crate::discover::Settings,
    pub comparison: ComparisonSettings,
    pub keyness: KeynessSettings,
    pub bootstrap: BootstrapSettings,
    pub kwic: KwicSettings,
    pub output: OutputSettings,
    pub explorer: ExplorerSettings,
    pub formulations: FormulationSettings,
}

/// Formulations found without a list (see `[formulations]` in analysis.toml
/// and `crate::formulations`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FormulationSettings {
    pub min_chars: usize,
    /// The shortest formulation that is one unit of the corpus's discovery.
    pub min_chars_cohesive: usize,
    pub min_answers: u32,
    pub max_tokens: usize,
    pub fold_share: f64,
    pub min_cohesion: f64,
    /// The level of the entry and exit tests' q.
    pub change_alpha: f64,
    /// Words that make a run a report of what happened (aspect particles).
    pub narrative: Vec<String>,
    pub top: usize,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeynessSettings {
    pub min_count: u32,
    /// A phrase is tested where it is in at least this many pooled answers.
    pub min_answers: u32,
    /// Over- and under-used phrases kept per family in keyness.csv.
    pub top: usize,
    /// Shifts per family and side rechecked in sensitivity.csv.
    pub recheck: usize,
    pub alpha0: f64,
    pub kinds: Vec<PhraseKind>,
    /// Splits drawn per comparison by the answer-level permutation test.
    pub permutations: u32,
    /// A phrase stops drawing splits after this many as extreme as observed.
    pub permutation_stop: u32,
    /// Level of the interval behind LRC, before the Bonferroni adjustment.
    pub lrc_level: f64,
    /// Answers each side needs for the normal or conditional test.
    pub normal_min_answers: usize,
    /// Answers of the phrase expected on the smaller side for the normal test.
    pub normal_min_expected: f64,
}

/// How finely times are compared (see `[time]` in analysis.toml).
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TimeSettings {
    pub period: crate::period::Period,
}

/// What may be compared across years (see `[comparison]` in analysis.toml).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ComparisonSettings {
    pub exclude_genres: Vec<Genre>,
    /// Kinds of record (answers.csv `kind`) that enter no count.
    pub exclude_kinds: Vec<RecordKind>,
    pub min_answers: usize,
    /// Answers a speaker needs in a (year, topic) for rows of their own.
    pub min_speaker_answers: usize,
    /// The one significance threshold: of q_perm (keyness, the report, the
    /// charts, the explorer), of q_slope (trends) and of the sensitivity checks.
    pub alpha: f64,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BootstrapSettings {
    pub replicates: u32,
    pub seed: u64,
    pub level: f64,
    /// Units of more answers are not resampled answer by answer.
    pub resample_max_answers: usize,
    /// Answers a ratio's numerator needs, in such a unit, for the normal way.
    pub normal_min_answers: usize,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KwicSettings {
    pub window: usize,
    pub top: usize,
    /// Lines kept per (year, topic, phrase) in kwic.csv.
    pub max_lines: usize,
}

/// Which large tables are written (see `[output]` in analysis.toml).
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutputSettings {
    /// Megabytes of question and answer text up to which tokens.csv and
    /// answer_counts.csv are written without `--tokens`.
    pub tokens_max_mb: f64,
    /// Unigram and bigram rows of phrase_freq.csv kept per (year, topic,
    /// kind) without `--freq-all`.
    pub phrase_freq_top: usize,
}

/// The explorer page (see `[explorer]` in analysis.toml).
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExplorerSettings {
    /// Megabytes of answer text up to which the texts are embedded.
    pub max_text_mb: f64,
}

impl Analysis {
    pub fn load(path: &Path) -> Result<Analysis> {
        Analysis::parse(path, &read_or(path, DEFAULT_ANALYSIS)?)
    }

    /// Parses and checks the settings; `path` names the file in messages.
    /// The checks run in a fixed order (section by section, each as below);
    /// the first that fails is the error.
    pub fn parse(path: &Path, text: &str) -> Result<Analysis> {
        let a: Analysis = parse_toml(path, text)?;
        let problem = a
            .test_problem()
            .or_else(|| a.output_problem())
            .or_else(|| a.formulations_problem())
            .or_else(|| a.bootstrap_problem());
        match problem {
            Some((key, msg)) => Err(Error::input(path, line_of_key(text, key), msg.to_string())),
            None => Ok(a),
        }
    }

    /// The first bad setting of `[keyness]` and `[comparison]`.
    fn test_problem(&self) -> Problem {
        if !(self.keyness.alpha0.is_finite() && self.keyness.alpha0 > 0.0) {
            return Some(("alpha0", "alpha0 must be a positive number"));
        }
        if self.keyness.permutations < 99 {
            return Some(("permutations", "permutations must be at least 99"));
        }
        if !(self.keyness.lrc_level > 0.0 && self.keyness.lrc_level < 1.0) {
            return Some(("lrc_level", "lrc_level must lie between 0 and 1, e.g. 0.95"));
        }
        if !(self.comparison.alpha > 0.0 && self.comparison.alpha < 1.0) {
            return Some(("alpha", "alpha must lie between 0 and 1, e.g. 0.05"));
        }
        if self.keyness.top == 0 {
            return Some(("top", "top must be at least 1"));
        }
        if !(self.keyness.normal_min_expected.is_finite() && self.keyness.normal_min_expected > 0.0)
        {
            return Some((
                "normal_min_expected",
                "normal_min_expected must be a positive number",
            ));
        }
        if self.keyness.normal_min_answers < 2 {
            return Some((
                "normal_min_answers",
                "normal_min_answers must be at least 2",
            ));
        }
        None
    }

    /// The first bad setting of `[kwic]`, `[output]` and `[explorer]`.
    fn output_problem(&self) -> Problem {
        if self.kwic.max_lines == 0 {
            return Some(("max_lines", "max_lines must be at least 1"));
        }
        if self.output.phrase_freq_top == 0 {
            return Some(("phrase_freq_top", "phrase_freq_top must be at least 1"));
        }
        if !(self.output.tokens_max_mb.is_finite() && self.output.tokens_max_mb >= 0.0) {
            return Some((
                "tokens_max_mb",
                "tokens_max_mb must be a number of megabytes, 0 or more",
            ));
        }
        if !(self.explorer.max_text_mb.is_finite() && self.explorer.max_text_mb >= 0.0) {
            return Some((
                "max_text_mb",
                "max_text_mb must be a number of megabytes, 0 or more",
            ));
        }
        None
    }

    /// The first bad setting of `[formulations]`.
    fn formulations_problem(&self) -> Problem {
        let f = &self.formulations;
        if f.min_chars < 2 {
            return Some(("min_chars", "min_chars must be at least 2"));
        }
        if f.min_chars_cohesive < 2 || f.min_chars_cohesive > f.min_chars {
            return Some((
                "min_chars_cohesive",
                "min_chars_cohesive must lie between 2 and min_chars",
            ));
        }
        if !(f.change_alpha > 0.0 && f.change_alpha < 1.0) {
            return Some(("change_alpha", "change_alpha must lie in (0, 1), e.g. 0.05"));
        }
        if f.min_answers < 2 {
            return Some((
                "min_answers",
                "a formulation must be said in at least 2 answers",
            ));
        }
        if f.max_tokens == 0 || f.max_tokens > 32 {
            return Some(("max_tokens", "max_tokens must lie between 1 and 32"));
        }
        if !(f.fold_share > 0.0 && f.fold_share <= 1.0) {
            return Some(("fold_share", "fold_share must lie in (0, 1], e.g. 0.8"));
        }
        if !(f.min_cohesion >= 0.0 && f.min_cohesion <= 1.0) {
            return Some(("min_cohesion", "min_cohesion must lie in [0, 1], e.g. 0.2"));
        }
        if f.top == 0 {
            return Some(("top", "top must be at least 1"));
        }
        None
    }

    /// The first bad setting of `[bootstrap]`.
    fn bootstrap_problem(&self) -> Problem {
        if self.bootstrap.replicates < 10 {
            return Some(("replicates", "replicates must be at least 10"));
        }
        if self.bootstrap.resample_max_answers > usize::from(u16::MAX) {
            return Some((
                "resample_max_answers",
                "resample_max_answers must be at most 65535",
            ));
        }
        if !(self.bootstrap.level > 0.0 && self.bootstrap.level < 1.0) {
            return Some(("level", "level must lie between 0 and 1, e.g. 0.95"));
        }
        None
    }
}

/// A bad setting: its key (to find its line) and the message.
type Problem = Option<(&'static str, &'static str)>;

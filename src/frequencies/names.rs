//! Terms as ids, and the strings behind them.

use std::collections::{BTreeSet, HashMap};

use crate::categories::{Category, PhraseKind, Stance};
use crate::config::topics::Topics;
use crate::config::words::Words;

/// A term counted in an answer, by id: a phrase of phrase_freq.csv or a
/// register lexicon's term (the `kind` and `phrase` of answer_counts.csv).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Term {
    /// A content token, by its id in the vocabulary.
    Unigram(u32),
    /// Two adjacent content tokens.
    Bigram(u32, u32),
    /// A tracked phrase, by its index in [`Names::tracked`].
    Tracked(u32),
    /// A formulation found in the corpus, by its index in
    /// [`Names::formulations`] (see `crate::formulations`).
    Formulation(u32),
    /// A register term counted for a stance (which may differ from its
    /// lexicon's where a context rule says so), by its index in
    /// [`Names::register`].
    Register(Stance, u32),
}

/// The strings behind the ids of [`Term`].
pub struct Names {
    pub(super) tokens: Vec<String>,
    pub(super) token_index: HashMap<String, u32>,
    /// The tracked phrases, each once, in string order.
    pub tracked: Vec<String>,
    pub(super) tracked_index: HashMap<String, u32>,
    /// The topics (indices into [`Counts::topics`]) each tracked phrase is
    /// counted in: its own and `all`.
    pub(super) tracked_topics: Vec<Vec<u16>>,
    /// The formulations, best first (formulations.csv's rank order).
    pub formulations: Vec<String>,
    pub(super) formulation_index: HashMap<String, u32>,
    /// The register lexicons' terms, each once.
    pub(super) register: Vec<String>,
    pub(super) register_index: HashMap<String, u32>,
}

impl Names {
    pub(super) fn new(
        tokens: Vec<String>,
        topic_ids: &[String],
        topics: &Topics,
        words: &Words,
        formulations: Vec<String>,
    ) -> Names {
        let mut pairs: BTreeSet<(&str, u16)> = BTreeSet::new();
        for t in &topics.topics {
            let at = topic_ids.iter().position(|x| *x == t.id).unwrap_or(0) as u16;
            for p in &t.phrases {
                pairs.insert((p, at));
                pairs.insert((p, 0));
            }
        }
        let mut tracked: Vec<String> = Vec::new();
        let mut tracked_topics: Vec<Vec<u16>> = Vec::new();
        for (p, t) in pairs {
            if tracked.last().map(String::as_str) != Some(p) {
                tracked.push(p.to_string());
                tracked_topics.push(Vec::new());
            }
            if let Some(ts) = tracked_topics.last_mut() {
                ts.push(t);
            }
        }
        let mut register: Vec<String> = Vec::new();
        for l in &words.lexicons {
            for t in &l.terms {
                if !register.contains(t) {
                    register.push(t.clone());
                }
            }
        }
        let index = |v: &[String]| -> HashMap<String, u32> {
            v.iter()
                .enumerate()
                .map(|(i, s)| (s.clone(), i as u32))
                .collect()
        };
        Names {
            token_index: index(&tokens),
            tokens,
            tracked_index: index(&tracked),
            tracked_topics,
            register_index: index(&register),
            formulation_index: index(&formulations),
            formulations,
            tracked,
            register,
        }
    }

    /// Every token, by id.
    pub fn tokens_of(&self) -> &[String] {
        &self.tokens
    }

    /// The `kind` column of a term.
    pub fn kind(term: Term) -> &'static str {
        match term {
            Term::Unigram(_) => PhraseKind::Unigram.as_str(),
            Term::Bigram(..) => PhraseKind::Bigram.as_str(),
            Term::Tracked(_) => PhraseKind::Tracked.as_str(),
            Term::Formulation(_) => PhraseKind::Formulation.as_str(),
            Term::Register(s, _) => s.as_str(),
        }
    }

    /// The `phrase` column of a term: a bigram is written `左 右`.
    pub fn phrase(&self, term: Term) -> std::borrow::Cow<'_, str> {
        match term {
            Term::Unigram(t) => self.tokens[t as usize].as_str().into(),
            Term::Bigram(a, b) => {
                format!("{} {}", self.tokens[a as usize], self.tokens[b as usize]).into()
            }
            Term::Tracked(p) => self.tracked[p as usize].as_str().into(),
            Term::Formulation(f) => self.formulations[f as usize].as_str().into(),
            Term::Register(_, t) => self.register[t as usize].as_str().into(),
        }
    }

    /// The term of a `kind` and `phrase` as the tables write them, if the
    /// corpus has it.
    pub fn term(&self, kind: &str, phrase: &str) -> Option<Term> {
        let token = |s: &str| self.token_index.get(s).copied();
        if kind == PhraseKind::Unigram.as_str() {
            token(phrase).map(Term::Unigram)
        } else if kind == PhraseKind::Bigram.as_str() {
            let (a, b) = phrase.split_once(' ')?;
            Some(Term::Bigram(token(a)?, token(b)?))
        } else if kind == PhraseKind::Tracked.as_str() {
            self.tracked_index.get(phrase).map(|&p| Term::Tracked(p))
        } else if kind == PhraseKind::Formulation.as_str() {
            self.formulation_index
                .get(phrase)
                .map(|&f| Term::Formulation(f))
        } else {
            let stance = *Stance::ALL.iter().find(|s| s.as_str() == kind)?;
            let t = *self.register_index.get(phrase)?;
            Some(Term::Register(stance, t))
        }
    }

    /// Whether the term is counted in topic `topic`: a tracked phrase only in
    /// its own topics and `all`, everything else wherever its answer is.
    pub fn counts_in(&self, term: Term, topic: u16) -> bool {
        match term {
            Term::Tracked(p) => self.tracked_topics[p as usize].contains(&topic),
            _ => true,
        }
    }
}

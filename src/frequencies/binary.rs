//! `answer_counts.bin`: the per-answer counts ([`Counts`]) kept between runs,
//! written at every corpus size, so that `shifts` run on its own reads them
//! whatever the size (answer_counts.csv, a table to read, is written for
//! small corpora only). A term costs 5 to 13 bytes (a tag, its ids, its
//! count) against about 30 as a CSV row, and decoding needs no parsing of
//! text beyond the vocabulary.
//!
//! The layout, all numbers little-endian: the magic `RSCOUNTS`, a version
//! (u32); the vocabulary (u32 count, then each token as u32 length and
//! UTF-8); the topics (likewise); the tracked phrases and the register terms
//! the counts were made with (likewise: a file made with other topics.toml
//! or lexicons is refused, not misread); the formulations found (likewise);
//! the speakers (likewise); the period (u32: 0 year, 1 quarter, 2 month);
//! then the answers (u32 count), each its id (string), year (i32), period
//! key (i32, i32::MIN where the answer has none), speaker (u16: an index into the speakers, or
//! u16::MAX where none is said), word tokens and characters (u32 each), its
//! topics (u32 count, u16 each) and its terms (u32 count, each a tag byte,
//! its ids and its count).

use std::path::Path;

use super::counts::{Answer, Counts, NO_SPEAKER};
use super::names::{Names, Term};
use crate::categories::Stance;
use crate::config::topics::{Topics, ALL};
use crate::config::words::Words;
use crate::error::{Error, Result};
use crate::period::Period;

const MAGIC: &[u8; 8] = b"RSCOUNTS";

/// The tag byte before a term's ids in the file: which kind of term they are.
#[derive(Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
enum Tag {
    Unigram = 0,
    Bigram = 1,
    Tracked = 2,
    Hardline = 3,
    Conciliatory = 4,
    Formulation = 5,
}

impl Tag {
    const ALL: [Tag; 6] = [
        Tag::Unigram,
        Tag::Bigram,
        Tag::Tracked,
        Tag::Hardline,
        Tag::Conciliatory,
        Tag::Formulation,
    ];

    fn of(byte: u8) -> Option<Tag> {
        Tag::ALL.into_iter().find(|t| *t as u8 == byte)
    }
}
const VERSION: u32 = 4;

/// The periods in the order of their number in the file.
const PERIODS: [Period; 3] = [Period::Year, Period::Quarter, Period::Month];

/// The period key of an answer that has none.
const NO_PERIOD: i32 = i32::MIN;

fn put_u32(out: &mut Vec<u8>, x: u32) {
    out.extend_from_slice(&x.to_le_bytes());
}

fn put_str(out: &mut Vec<u8>, s: &str) {
    put_u32(out, s.len() as u32);
    out.extend_from_slice(s.as_bytes());
}

fn put_strs<'a>(out: &mut Vec<u8>, strs: impl ExactSizeIterator<Item = &'a str>) {
    put_u32(out, strs.len() as u32);
    for s in strs {
        put_str(out, s);
    }
}

/// The counts as the bytes of answer_counts.bin.
pub fn encode(counts: &Counts) -> Vec<u8> {
    let names = &counts.names;
    let entries: usize = counts.answers.iter().map(|a| a.terms.len()).sum();
    let mut out = Vec::with_capacity(64 + entries * 9 + counts.answers.len() * 40);
    out.extend_from_slice(MAGIC);
    put_u32(&mut out, VERSION);
    put_strs(&mut out, names.tokens.iter().map(String::as_str));
    put_strs(&mut out, counts.topics.iter().map(String::as_str));
    put_strs(&mut out, names.tracked.iter().map(String::as_str));
    put_strs(&mut out, names.register.iter().map(String::as_str));
    put_strs(&mut out, names.formulations.iter().map(String::as_str));
    put_strs(&mut out, counts.speakers.iter().map(String::as_str));
    let period = PERIODS
        .iter()
        .position(|p| *p == counts.period)
        .unwrap_or(0);
    put_u32(&mut out, period as u32);
    put_u32(&mut out, counts.answers.len() as u32);
    for a in &counts.answers {
        put_str(&mut out, &a.id);
        out.extend_from_slice(&a.year.to_le_bytes());
        out.extend_from_slice(&a.period.unwrap_or(NO_PERIOD).to_le_bytes());
        out.extend_from_slice(&a.speaker.to_le_bytes());
        put_u32(&mut out, a.n_tokens);
        put_u32(&mut out, a.n_chars);
        put_u32(&mut out, a.topics.len() as u32);
        for &t in &a.topics {
            out.extend_from_slice(&t.to_le_bytes());
        }
        put_u32(&mut out, a.terms.len() as u32);
        for &(term, c) in &a.terms {
            match term {
                Term::Unigram(t) => {
                    out.push(Tag::Unigram as u8);
                    put_u32(&mut out, t);
                }
                Term::Bigram(x, y) => {
                    out.push(Tag::Bigram as u8);
                    put_u32(&mut out, x);
                    put_u32(&mut out, y);
                }
                Term::Tracked(p) => {
                    out.push(Tag::Tracked as u8);
                    put_u32(&mut out, p);
                }
                Term::Register(s, t) => {
                    let tag = match s {
                        Stance::Hardline => Tag::Hardline,
                        Stance::Conciliatory => Tag::Conciliatory,
                    };
                    out.push(tag as u8);
                    put_u32(&mut out, t);
                }
                Term::Formulation(f) => {
                    out.push(Tag::Formulation as u8);
                    put_u32(&mut out, f);
                }
            }
            put_u32(&mut out, c);
        }
    }
    out
}

/// A cursor over the file's bytes; running out of them is an error.
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn take(&mut self, n: usize) -> Option<&[u8]> {
        let end = self.at.checked_add(n)?;
        let s = self.bytes.get(self.at..end)?;
        self.at = end;
        Some(s)
    }

    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }

    fn u16(&mut self) -> Option<u16> {
        Some(u16::from_le_bytes(self.take(2)?.try_into().ok()?))
    }

    fn string(&mut self) -> Option<String> {
        let n = self.u32()? as usize;
        String::from_utf8(self.take(n)?.to_vec()).ok()
    }

    fn strings(&mut self) -> Option<Vec<String>> {
        let n = self.u32()? as usize;
        // A count no file of this size can hold is damage, not a reason to
        // reserve gigabytes.
        let mut v = Vec::with_capacity(n.min(self.bytes.len()));
        for _ in 0..n {
            v.push(self.string()?);
        }
        Some(v)
    }

    /// An id below `limit`.
    fn id(&mut self, limit: u32) -> Option<u32> {
        self.u32().filter(|&t| t < limit)
    }

    /// The magic, the version and the lists of names the counts were made
    /// with; `None` where they are not those of this version.
    fn header(&mut self) -> Option<Header> {
        if self.take(MAGIC.len()) != Some(MAGIC.as_slice()) || self.u32() != Some(VERSION) {
            return None;
        }
        Some(Header {
            tokens: self.strings()?,
            topic_ids: self.strings()?,
            tracked: self.strings()?,
            register: self.strings()?,
            formulations: self.strings()?,
            speakers: self.strings()?,
        })
    }

    /// The answers: their count, then each answer.
    fn answers(&mut self, limits: &Limits) -> Option<Vec<Answer>> {
        let n = self.u32()? as usize;
        let mut answers = Vec::with_capacity(n.min(self.bytes.len()));
        for _ in 0..n {
            answers.push(self.answer(limits)?);
        }
        Some(answers)
    }

    /// One answer; `None` where it is damaged, an id out of its `limits`
    /// among them.
    fn answer(&mut self, limits: &Limits) -> Option<Answer> {
        let id = self.string()?;
        let year = self.u32()? as i32;
        let key = self.u32()? as i32;
        let speaker = self.u16()?;
        if speaker != NO_SPEAKER && usize::from(speaker) >= limits.speakers {
            return None;
        }
        let (tokens_n, chars) = (self.u32()?, self.u32()?);
        let k = self.u32()? as usize;
        let mut topics_of = Vec::with_capacity(k.min(limits.topics));
        for _ in 0..k {
            let t = self.u16()?;
            if t as usize >= limits.topics {
                return None;
            }
            topics_of.push(t);
        }
        let m = self.u32()? as usize;
        let mut terms = Vec::with_capacity(m.min(self.bytes.len() / 9));
        for _ in 0..m {
            terms.push((self.term(limits)?, self.u32()?));
        }
        Some(Answer {
            id,
            year,
            period: (key != NO_PERIOD).then_some(key),
            speaker,
            topics: topics_of,
            n_tokens: tokens_n,
            n_chars: chars,
            terms,
        })
    }

    /// One term: its tag byte and its ids.
    fn term(&mut self, limits: &Limits) -> Option<Term> {
        let tag = Tag::of(self.take(1)?[0])?;
        Some(match tag {
            Tag::Unigram => Term::Unigram(self.id(limits.tokens)?),
            Tag::Bigram => {
                let x = self.id(limits.tokens)?;
                let y = self.id(limits.tokens)?;
                Term::Bigram(x, y)
            }
            Tag::Tracked => Term::Tracked(self.id(limits.tracked)?),
            Tag::Hardline | Tag::Conciliatory => {
                let stance = if tag == Tag::Hardline {
                    Stance::Hardline
                } else {
                    Stance::Conciliatory
                };
                Term::Register(stance, self.id(limits.register)?)
            }
            Tag::Formulation => Term::Formulation(self.id(limits.formulations)?),
        })
    }
}

/// The lists of names at the head of the file.
struct Header {
    tokens: Vec<String>,
    topic_ids: Vec<String>,
    tracked: Vec<String>,
    register: Vec<String>,
    formulations: Vec<String>,
    speakers: Vec<String>,
}

/// How many of each kind of name there are: an id at or above its count is
/// damage.
struct Limits {
    tokens: u32,
    tracked: u32,
    register: u32,
    formulations: u32,
    topics: usize,
    speakers: usize,
}

/// Decodes answer_counts.bin (`path` names it in messages); the topics and
/// words are the config's, which must be those the counts were made with.
pub fn decode(
    bytes: &[u8],
    path: &Path,
    topics: &Topics,
    words: &Words,
    want_period: Period,
) -> Result<Counts> {
    let again = |why: &str| {
        Error::Usage(format!(
            "{}: {why}: run `rhetoric-shift frequencies` (or `all`) again",
            path.display()
        ))
    };
    let damaged = || again("damaged or written by another version of rhetoric-shift");
    let mut r = Reader { bytes, at: 0 };
    let header = r.header().ok_or_else(damaged)?;
    let want: Vec<String> = std::iter::once(ALL)
        .chain(topics.ids())
        .map(String::from)
        .collect();
    let n_tokens = header.tokens.len() as u32;
    let names = Names::new(header.tokens, &want, topics, words, header.formulations);
    if header.topic_ids != want
        || header.tracked != names.tracked
        || header.register != names.register
    {
        return Err(again(
            "made with other topics, tracked phrases or lexicons than data/ now holds",
        ));
    }
    let period = *PERIODS
        .get(r.u32().ok_or_else(damaged)? as usize)
        .ok_or_else(damaged)?;
    if period != want_period {
        return Err(again(&format!(
            "counted by {}, and this run counts by {}",
            period.as_str(),
            want_period.as_str()
        )));
    }
    let limits = Limits {
        tokens: n_tokens,
        tracked: names.tracked.len() as u32,
        register: names.register.len() as u32,
        formulations: names.formulations.len() as u32,
        topics: want.len(),
        speakers: header.speakers.len(),
    };
    let answers = r.answers(&limits).ok_or_else(damaged)?;
    if r.at != bytes.len() {
        return Err(damaged());
    }
    Ok(Counts {
        names: names.into(),
        period,
        topics: want,
        speakers: header.speakers,
        answers,
    })
}

//! The categories written into the tables, as types: a stage that writes a
//! category and a stage that filters on it name the same variant, and the
//! text in the CSV comes from one place, [`Category::as_str`].

use polars::prelude::{lit, Expr};
use serde::Deserialize;

/// A category with a fixed set of values, each written as a lowercase word.
pub trait Category: Copy + 'static {
    /// Every value, in the order the tables list them.
    const ALL: &'static [Self];
    fn as_str(self) -> &'static str;

    /// The value as a Polars literal, to write into or compare with a column.
    fn lit(self) -> Expr {
        lit(self.as_str())
    }
}

macro_rules! category {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $text:literal,)+ }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
        #[serde(rename_all = "lowercase")]
        pub enum $name {
            $($(#[$vdoc])* $variant,)+
        }

        impl Category for $name {
            const ALL: &'static [Self] = &[$($name::$variant,)+];
            fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)+
                }
            }
        }
    };
}

category! {
    /// What a record of answers.csv is (column `kind`).
    RecordKind {
        /// The minister's statement before the first question.
        Opening = "opening",
        /// An answer to a reporter's question.
        Answer = "answer",
        /// A short quoted answer from a sidebar, under its own heading.
        Excerpt = "excerpt",
        /// The minister's statement after the last question.
        Closing = "closing",
        /// A paragraph of reported speech in a summary without questions
        /// ("王毅表示，…"), without the framing words.
        Summary = "summary",
        /// A spokesperson's own words that answer no question: a briefing's
        /// opening announcements and statements, labelled or not.
        Statement = "statement",
        /// A question the text gives no answer to (the answer was not
        /// printed); it counts nothing, and no answer record is ever empty.
        Unanswered = "unanswered",
    }
}

category! {
    /// What kind of text a transcript is (corpus.toml `genre`, coverage.csv).
    Genre {
        /// A complete live or verbatim record of the conference.
        Verbatim = "verbatim",
        /// A newspaper print of the questions and answers, often partial.
        Print = "print",
        /// A TV, wire or newspaper summary: reported speech, some answers.
        Summary = "summary",
        /// An MFA regular press briefing (问 / 答 turns).
        Briefing = "briefing",
    }
}

category! {
    /// What a phrase of phrase_freq.csv and keyness.csv is (column `kind`).
    PhraseKind {
        /// A content token.
        Unigram = "unigram",
        /// Two adjacent content tokens of one answer.
        Bigram = "bigram",
        /// A phrase listed in topics.toml, counted as a literal string.
        Tracked = "tracked",
        /// A formulation found in the corpus (formulations.csv), counted as
        /// its run of tokens.
        Formulation = "formulation",
    }
}

category! {
    /// Whether a formulation entered or left the corpus's language
    /// (formulations.csv `change`; see `crate::formulations::change`).
    Change {
        /// Its first use comes later than chance would put it.
        Entered = "entered",
        /// Its last use comes earlier than chance would put it.
        Left = "left",
        /// Both: said for a while only.
        EnteredLeft = "entered_left",
        /// Neither test below the level.
        Stable = "stable",
    }
}

category! {
    /// A formulation's standing in a year (formulations.csv `status`).
    Status {
        /// Said in the corpus's first year.
        First = "first",
        /// Said, and not in the last earlier year that can tell.
        New = "new",
        /// Said now and in the last earlier year that can tell.
        Continuing = "continuing",
        /// Not said in a complete text, said in the last earlier year that can tell.
        Dropped = "dropped",
        /// Not said, in a partial text or a summary.
        AbsentPartial = "absent_partial",
        /// Not said now, nor in the last earlier year that can tell.
        Absent = "absent",
    }
}

category! {
    /// What a keyness comparison sets a year against (column `reference`).
    Reference {
        /// All other years with answers on the topic, pooled.
        Rest = "rest",
        /// The previous year with answers on the topic.
        Previous = "previous",
        /// The other speakers' answers on the topic in the same year (the
        /// target is one speaker's answers).
        OtherSpeakers = "other_speakers",
    }
}

category! {
    /// How the answer-level p of a keyness row was found (column `test` of
    /// keyness.csv; the rule is in `shifts::answer_level`).
    TestMethod {
        /// Every split of the pool enumerated.
        Exact = "exact",
        /// Seeded random splits with a sequential stop.
        MonteCarlo = "monte carlo",
        /// The normal approximation with the exact permutation variance.
        Normal = "normal",
        /// The phrase's own answers enumerated, the others' sizes normal.
        Conditional = "conditional",
    }
}

category! {
    /// Why a row is in keyness.csv (column `shown`).
    Shown {
        /// Among the family's `top` over- or under-used phrases with q_perm < alpha.
        Significant = "significant",
        /// Filling the family's `top` where fewer pass: the strongest of the
        /// rest by G², not significant.
        Strongest = "strongest",
        /// A tracked phrase of the topic, shown whatever its numbers.
        Tracked = "tracked",
        /// Any other tested phrase (written with `--keyness-all`).
        Tested = "tested",
    }
}

category! {
    /// The two register lexicons of `data/lexicons/` (a `kind` of
    /// answer_counts.csv, and columns of register.csv).
    Stance {
        Hardline = "hardline",
        Conciliatory = "conciliatory",
    }
}

category! {
    /// Why a KWIC line was written (column `why` of kwic.csv).
    Why {
        /// An occurrence of a tracked phrase of the topic.
        Tracked = "tracked",
        /// An occurrence of one of the top keyness phrases of the year and topic.
        Keyness = "keyness",
    }
}

category! {
    /// Where a record's date comes from (column `dated_by` of answers.csv).
    DatedBy {
        /// The file name (`YYYY-MM-DD_slug.txt`).
        File = "file",
        /// A briefing header in the text (`2024年3月8日外交部发言人毛宁主持例行记者会`).
        Header = "header",
    }
}

category! {
    /// What the ingest did to the text (column `action` of repairs.csv, and
    /// the breakdown of `dropped` in coverage.csv).
    RepairAction {
        /// A whole line of page furniture (上接第3版, 两会 重磅, 据新华社…电).
        DropFurniture = "drop_furniture",
        /// A photo caption or credit.
        DropCaption = "drop_caption",
        /// The report's framing sentence (a lede, a TV opening or closing).
        DropLede = "drop_lede",
        /// An article title.
        DropTitle = "drop_title",
        /// A short title over a sidebar.
        DropSidebarTitle = "drop_sidebar_title",
        /// A line that separates briefings (`*****`, `———`).
        DropSeparator = "drop_separator",
        /// Furniture glued to the end of a paragraph, cut off.
        StripFurniture = "strip_furniture",
        /// A framing sentence inside a paragraph of reported speech
        /// (王毅还就……回答了记者提问), cut out.
        StripFraming = "strip_framing",
        /// A paragraph cut mid-sentence joined to the next paragraph.
        JoinCut = "join_cut",
        /// A paragraph cut mid-sentence joined to its continuation elsewhere.
        JoinDisplaced = "join_displaced",
        /// A passage printed again from an earlier answer of the same
        /// conference or briefing, removed from the later answer.
        DropDuplicate = "drop_duplicate",
        /// Undecodable characters (U+FFFD) left by the source.
        DropBrokenCharacter = "drop_broken_character",
        /// A briefing's header line, read for its date and spokesperson.
        DropBriefingHeader = "drop_briefing_header",
        /// A paragraph whose continuation is lost, cut back to its last sentence.
        TrimTruncated = "trim_truncated",
        /// Text outside any question or answer.
        DropUnattached = "drop_unattached",
        /// A manual correction from data/overrides.toml.
        OverrideDrop = "override_drop",
        /// A record split where its question held an answer's label, or its
        /// answer a reporter's (the guard of every file's records).
        SplitLabel = "split_label",
        /// A line standing verbatim at the start or end of many files of the
        /// corpus (copyright, address, print links): logged once per line.
        DropRepeatedFurniture = "drop_repeated_furniture",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_read_as_written() {
        let kinds: Vec<&str> = PhraseKind::ALL.iter().map(|k| k.as_str()).collect();
        assert_eq!(kinds, ["unigram", "bigram", "tracked", "formulation"]);
        let k: PhraseKind = toml::from_str::<toml::Value>("k = 'bigram'").unwrap()["k"]
            .clone()
            .try_into()
            .unwrap();
        assert_eq!(k, PhraseKind::Bigram);
    }
}

//! How labels read in the chosen language: Chinese, English (glosses from
//! `data/glossary.csv`, topic names from topics.toml) or both.

use std::collections::{BTreeMap, BTreeSet};

use super::Lang;
use crate::categories::{Category, Genre};
use crate::config::topics::{Topics, ALL};

/// A count of headline topics in Chinese numerals (there are at most six).
pub(super) fn chinese_count(n: usize) -> &'static str {
    ["", "一", "两", "三", "四", "五", "六"]
        .get(n)
        .copied()
        .unwrap_or("多")
}

/// How labels read in the chosen language, and which phrases lacked a gloss.
pub(super) struct Labels<'a> {
    pub(super) lang: Lang,
    pub(super) glossary: &'a BTreeMap<String, String>,
    pub(super) topics: &'a Topics,
    pub(super) missing: std::cell::RefCell<BTreeSet<String>>,
}

impl Labels<'_> {
    pub(super) fn text(&self, zh: &str, en: &str) -> String {
        match self.lang {
            Lang::Zh => zh.to_string(),
            Lang::En => en.to_string(),
            Lang::Both => format!("{zh} {en}"),
        }
    }

    pub(super) fn phrase(&self, p: &str) -> String {
        if self.lang == Lang::Zh {
            return p.to_string();
        }
        let key: String = p.chars().filter(|c| !c.is_whitespace()).collect();
        match self.glossary.get(&key).or_else(|| self.glossary.get(p)) {
            Some(en) if self.lang == Lang::En => en.clone(),
            Some(en) => format!("{p} {en}"),
            None => {
                self.missing.borrow_mut().insert(p.to_string());
                p.to_string()
            }
        }
    }

    /// A genre's name in a figure's note, which is in one language (English
    /// where the labels are in both, to keep it to a line or two).
    pub(super) fn genre(&self, genre: Genre) -> &'static str {
        match (self.lang, genre) {
            (Lang::Zh, Genre::Verbatim) => "实录",
            (Lang::Zh, Genre::Print) => "报纸刊印",
            (Lang::Zh, Genre::Summary) => "摘要",
            (Lang::Zh, Genre::Briefing) => "例行记者会",
            (Lang::En | Lang::Both, g) => g.as_str(),
        }
    }

    /// The label of a year without a transcript (short: it must fit a band).
    pub(super) fn no_data(&self) -> String {
        match self.lang {
            Lang::Zh => "无记录".into(),
            Lang::En | Lang::Both => "no data".into(),
        }
    }

    pub(super) fn topic(&self, id: &str) -> String {
        if id == ALL {
            return self.text("全部回答", "all answers");
        }
        match self.topics.topics.iter().find(|t| t.id == id) {
            Some(t) => self.text(&t.zh, &t.en),
            None => id.to_string(),
        }
    }
}

//! Page furniture repeated across files: a line that stands verbatim at the
//! start or end of many files of one corpus (a copyright line, an address
//! and postcode, "打印本页") is the site's, not the speaker's. It is found
//! over the whole corpus before any file is parsed, dropped wherever it stands
//! in a file (an archive repeats it after every briefing), and logged once per
//! distinct line with the number of files.

use std::collections::{BTreeMap, HashSet};

use crate::config::Layout;

/// The lines that stand at the edges of at least `min_files` files (and
/// `min_share` of them): the line, and the number of such files.
#[derive(Debug, Default)]
pub struct Repeated(pub BTreeMap<String, usize>);

impl Repeated {
    /// Finds them in `texts`, one per file. A line that is a labelled turn
    /// (a question, an answer, a briefing's header) is never furniture.
    pub fn find(texts: &[&str], layout: &Layout) -> Repeated {
        let r = &layout.repeated_furniture;
        let need = r
            .min_files
            .max((r.min_share * texts.len() as f64).ceil() as usize);
        let mut files: BTreeMap<String, usize> = BTreeMap::new();
        for text in texts {
            for line in edges(text, r.edge_lines) {
                *files.entry(line.to_string()).or_default() += 1;
            }
        }
        files.retain(|line, n| *n >= need && !labelled(line, layout));
        Repeated(files)
    }

    /// Whether `line` (trimmed) is repeated furniture.
    pub fn contains(&self, line: &str) -> bool {
        self.0.contains_key(line)
    }

    /// In how many files the line stands at an edge.
    pub fn files(&self, line: &str) -> usize {
        self.0.get(line).copied().unwrap_or(0)
    }
}

/// The distinct non-empty lines among the first and the last `n` of a text.
fn edges(text: &str, n: usize) -> HashSet<&str> {
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let tail = lines.len().saturating_sub(n);
    lines[..n.min(lines.len())]
        .iter()
        .chain(&lines[tail..])
        .copied()
        .collect()
}

fn labelled(line: &str, layout: &Layout) -> bool {
    // Not the bare name label ("地址：…" reads as one): only the turns of
    // questions, answers and briefings.
    [&layout.reporter, &layout.reply]
        .into_iter()
        .chain(&layout.question_openers)
        .chain(&layout.briefing_header)
        .chain(&layout.statement)
        .any(|re| re.is_match(line))
        || layout.answer.is_match(line)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The layout, compiled once: compiling its patterns is most of a case's time.
    fn layout() -> &'static Layout {
        static LAYOUT: std::sync::LazyLock<Layout> = std::sync::LazyLock::new(|| {
            Layout::parse(
                std::path::Path::new("layout.toml"),
                crate::config::layout::DEFAULT_LAYOUT,
            )
            .unwrap()
        });
        &LAYOUT
    }

    /// The oracle: for each line, the files that hold it among their first or
    /// last `n` non-empty lines, counted the simple way.
    fn oracle(texts: &[String], n: usize, need: usize) -> BTreeMap<String, usize> {
        let mut out = BTreeMap::new();
        let mut all: Vec<String> = texts
            .iter()
            .flat_map(|t| t.lines().map(|l| l.trim().to_string()))
            .filter(|l| !l.is_empty())
            .collect();
        all.sort();
        all.dedup();
        for line in all {
            let files = texts
                .iter()
                .filter(|t| {
                    let ls: Vec<&str> =
                        t.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
                    ls.iter()
                        .enumerate()
                        .any(|(i, l)| *l == line && (i < n || i + n >= ls.len()))
                })
                .count();
            if files >= need {
                out.insert(line, files);
            }
        }
        out
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(crate::cases(10_000)))]
        /// Furniture lines put at the start or end of a random share of files,
        /// around text that never repeats, are found exactly: those in enough
        /// files, with their counts; and nothing else.
        #[test]
        fn repeated_lines_are_found_as_the_oracle_counts(
            files in 1usize..12,
            placed in proptest::collection::vec((0usize..4, any::<bool>(), 0u32..u32::MAX), 0..40),
            body in proptest::collection::vec(1usize..6, 12),
        ) {
            let footers = ["版权所有：本站", "地址：某市某路1号 邮编：100000", "打印本页", "【大 中 小】"];
            let mut texts: Vec<Vec<String>> = (0..files)
                .map(|f| (0..body[f]).map(|k| format!("第{f}份文件的第{k}段正文。")).collect())
                .collect();
            for (which, at_end, seed) in placed {
                let f = seed as usize % files;
                let line = footers[which].to_string();
                if at_end { texts[f].push(line) } else { texts[f].insert(0, line) }
            }
            let texts: Vec<String> = texts.into_iter().map(|ls| ls.join("\n")).collect();
            let l = layout();
            let r = &l.repeated_furniture;
            let need = r.min_files.max((r.min_share * files as f64).ceil() as usize);
            let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
            let found = Repeated::find(&refs, l);
            prop_assert_eq!(found.0, oracle(&texts, r.edge_lines, need));
        }
    }

    #[test]
    fn a_labelled_turn_is_never_furniture() {
        let text = "答：中方立场是一贯的。\n正文。\n地址：某市某路1号";
        let texts = vec![text; 5];
        let found = Repeated::find(&texts, layout());
        assert!(!found.contains("答：中方立场是一贯的。"));
        assert!(found.contains("地址：某市某路1号"));
        assert_eq!(found.files("正文。"), 5);
    }
}

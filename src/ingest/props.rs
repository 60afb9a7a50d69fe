//! Property tests: arbitrary text never makes the layout parser panic, what it
//! keeps comes from the input, in input order; the config loaders never panic.

use std::collections::HashSet;
use std::path::Path;
use std::sync::LazyLock;

use proptest::prelude::*;

use super::*;
use crate::config::Layout;

static JIEBA: LazyLock<jieba_rs::Jieba> = LazyLock::new(|| {
    crate::config::words::parse_userdict(
        Path::new("userdict.txt"),
        crate::config::words::DEFAULT_USERDICT,
    )
    .unwrap()
});

/// Lines that look like the seeds' layouts, and lines that look like nothing.
fn line() -> impl Strategy<Value = String> {
    prop_oneof![
        "[\\p{Han}]{0,4}记者：[\\p{Han}，。？]{0,20}",
        "王毅：[\\p{Han}，。]{0,30}",
        "有记者提问，[\\p{Han}？]{0,12}",
        "王毅说，[\\p{Han}，。]{0,20}",
        "[\\p{Han}，。]{0,25}",
        "■ ?[\\p{Han}]{1,6}",
        "（[\\p{Han}]{0,10}摄）",
        "\\PC{0,20}",
        Just(String::new()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn parse_keeps_only_input_text_in_input_order(lines in prop::collection::vec(line(), 0..25)) {
        let text = lines.join("\n");
        let layout = Layout::parse(Path::new("layout.toml"), crate::config::layout::DEFAULT_LAYOUT).unwrap().for_speaker("王毅");
        let junction = junction::Junction::new(&JIEBA, &text);
        let parsed = layout::parse(&text, &layout, &junction, &[]);
        let input: HashSet<char> = text.chars().collect();
        for r in &parsed.records {
            for c in r.question.chars().chain(r.answer.chars()).chain(r.headline.chars()) {
                prop_assert!(c == '\n' || c == ' ' || c == '/' || input.contains(&c),
                    "{c:?} is not in the input");
            }
        }
        let starts: Vec<usize> = parsed.records.iter().map(|r| r.line).collect();
        prop_assert!(starts.windows(2).all(|w| w[0] <= w[1]), "records out of order: {starts:?}");
    }

    #[test]
    fn config_loaders_never_panic(text in "\\PC{0,200}") {
        let _ = crate::config::Topics::parse(Path::new("topics.toml"), &text);
    }

    #[test]
    fn topic_files_with_lines_removed_give_results_or_errors(drop in prop::collection::vec(any::<bool>(), 400)) {
        // Any subset of the shipped topics.toml's lines: parsed, or refused with a line number.
        let text: String = crate::config::topics::DEFAULT_TOPICS
            .lines()
            .zip(drop.iter().cycle())
            .filter(|(_, d)| !**d)
            .map(|(l, _)| format!("{l}\n"))
            .collect();
        if let Err(e) = crate::config::Topics::parse(Path::new("topics.toml"), &text) {
            prop_assert!(e.to_string().starts_with("topics.toml"), "{e}");
        }
    }
}

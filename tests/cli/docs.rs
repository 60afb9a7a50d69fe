//! The documents against the code, so that they cannot drift apart:
//! docs/outputs.md lists every table's columns exactly as the stage's schema
//! declares them, in order, and has a section for every schema; README.md
//! stays a newcomer's page; and every relative link of README.md, docs/,
//! bench/README.md and output/README.md points at a file (and heading) that
//! exists.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use rhetoric_shift::table::Schema;
use rhetoric_shift::{discover, formulations, frequencies, ingest, segment, shifts, topics};

use crate::workdir::REPO;

/// Every table under `output/tables/`: its file, the name of its schema
/// constant, and the schema.
fn tables() -> Vec<(&'static str, &'static str, &'static Schema)> {
    vec![
        ("answers.csv", "ANSWERS", ingest::ANSWERS),
        ("repairs.csv", "REPAIRS", ingest::REPAIRS),
        ("warnings.csv", "WARNINGS", ingest::WARNINGS),
        ("coverage.csv", "COVERAGE", ingest::COVERAGE),
        ("tokens.csv", "TOKENS", segment::TOKENS),
        ("discovered.csv", "DISCOVERED", discover::DISCOVERED),
        ("answer_topics.csv", "ANSWER_TOPICS", topics::ANSWER_TOPICS),
        ("phrase_freq.csv", "PHRASE_FREQ", frequencies::PHRASE_FREQ),
        ("topic_year.csv", "TOPIC_YEAR", frequencies::TOPIC_YEAR),
        (
            "answer_sizes.csv",
            "ANSWER_SIZES",
            frequencies::ANSWER_SIZES,
        ),
        (
            "answer_counts.csv",
            "ANSWER_COUNTS",
            frequencies::ANSWER_COUNTS,
        ),
        (
            "register_hits.csv",
            "REGISTER_HITS",
            frequencies::REGISTER_HITS,
        ),
        (
            "formulations.csv",
            "FORMULATIONS",
            formulations::FORMULATIONS,
        ),
        ("keyness.csv", "KEYNESS", shifts::KEYNESS),
        ("shifts.csv", "TRENDS", shifts::TRENDS),
        ("register.csv", "REGISTER", shifts::REGISTER),
        ("speakers.csv", "SPEAKERS", shifts::speakers::SPEAKERS),
        (
            "sensitivity.csv",
            "SENSITIVITY",
            shifts::sensitivity::SENSITIVITY,
        ),
        ("kwic.csv", "KWIC", shifts::kwic::KWIC),
    ]
}

fn repo() -> &'static Path {
    Path::new(REPO)
}

fn read(rel: &str) -> String {
    let path = repo().join(rel);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The lines of a Markdown text outside fenced code blocks, with their
/// 1-based line numbers.
fn prose_lines(text: &str) -> Vec<(usize, &str)> {
    let mut fenced = false;
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
            continue;
        }
        if !fenced {
            out.push((i + 1, line));
        }
    }
    out
}

/// Per `## tables/<file>` section of docs/outputs.md, the column names its
/// bullets (`- \`name\`: …`) give, in order.
fn documented_columns(text: &str) -> BTreeMap<String, Vec<String>> {
    let mut sections: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut current: Option<String> = None;
    for (_, line) in prose_lines(text) {
        if let Some(heading) = line.strip_prefix("## ") {
            current = heading
                .trim()
                .strip_prefix("tables/")
                .filter(|f| f.ends_with(".csv"))
                .map(str::to_string);
            if let Some(file) = &current {
                assert!(
                    !sections.contains_key(file),
                    "docs/outputs.md has two sections for tables/{file}"
                );
                sections.insert(file.clone(), Vec::new());
            }
            continue;
        }
        if line.starts_with('#') {
            continue;
        }
        let (Some(file), Some(rest)) = (&current, line.strip_prefix("- `")) else {
            continue;
        };
        let name = rest.split('`').next().unwrap_or_default();
        sections.get_mut(file).unwrap().push(name.to_string());
    }
    sections
}

#[test]
fn docs_outputs_list_every_schema_column_in_order() {
    let text = read("docs/outputs.md");
    let documented = documented_columns(&text);
    let mut faults = Vec::new();
    let known: BTreeSet<&str> = tables().iter().map(|(file, _, _)| *file).collect();
    for (file, constant, schema) in tables() {
        let columns: Vec<&str> = schema.iter().map(|f| f.name).collect();
        match documented.get(file) {
            None => faults.push(format!(
                "no section `## tables/{file}` for the schema {constant} ({})",
                columns.join(", ")
            )),
            Some(bullets) if *bullets != columns => {
                let listed: BTreeSet<&str> = bullets.iter().map(String::as_str).collect();
                let declared: BTreeSet<&str> = columns.iter().copied().collect();
                let missing: Vec<&str> = declared.difference(&listed).copied().collect();
                let extra: Vec<&str> = listed.difference(&declared).copied().collect();
                faults.push(format!(
                    "tables/{file}: the bullets name\n    {}\n  but the schema {constant} has\n    {}\n  \
                     (missing: {missing:?}; not in the schema: {extra:?}; otherwise the order or a repeat differs)",
                    bullets.join(", "),
                    columns.join(", ")
                ));
            }
            Some(_) => {}
        }
    }
    for file in documented.keys() {
        if !known.contains(file.as_str()) {
            faults.push(format!(
                "docs/outputs.md documents tables/{file}, which no schema of this test declares"
            ));
        }
    }
    assert!(
        faults.is_empty(),
        "docs/outputs.md and the schemas disagree:\n  {}",
        faults.join("\n  ")
    );
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// A schema declared in src/ but missing from [`tables`] is a table without
/// documentation: this test and docs/outputs.md have to learn it. Tables
/// declare their schemas with `columns!`, whose `const NAME: &Schema;` line
/// this finds; src/table.rs, which defines the macro and tests it on a
/// sample, declares no table.
#[test]
fn docs_know_every_schema_in_src() {
    let mut files = Vec::new();
    rust_files(&repo().join("src"), &mut files);
    let known: BTreeSet<&str> = tables().iter().map(|(_, c, _)| *c).collect();
    let mut unknown = Vec::new();
    for path in files.into_iter().filter(|p| !p.ends_with("src/table.rs")) {
        let text = std::fs::read_to_string(&path).unwrap();
        for (i, line) in text.lines().enumerate() {
            let Some(at) = line.find("const ") else {
                continue;
            };
            let Some((name, ty)) = line[at + "const ".len()..].split_once(':') else {
                continue;
            };
            if ty.trim_start().starts_with("&Schema") && !known.contains(name.trim()) {
                unknown.push(format!(
                    "{}:{}: {}",
                    path.strip_prefix(repo()).unwrap_or(&path).display(),
                    i + 1,
                    name.trim()
                ));
            }
        }
    }
    assert!(
        unknown.is_empty(),
        "schemas without a section in docs/outputs.md (add one, and the constant to \
         tests/cli/docs.rs): {unknown:?}"
    );
}

#[test]
fn docs_readme_is_a_newcomers_page() {
    let text = read("README.md");
    let chars = text.chars().count();
    assert!(
        chars <= 8000,
        "README.md has {chars} characters, more than 8,000: move the detail to docs/ and link it"
    );
    // The two set-up commands stand on the first screen.
    let first_screen: String = text.lines().take(40).collect::<Vec<_>>().join("\n");
    for command in ["cargo run --release -- all", "cargo test"] {
        assert!(
            first_screen.contains(command),
            "`{command}` is not in the first 40 lines of README.md"
        );
    }
}

/// GitHub's anchor of a heading: lower case, letters, digits, `-` and `_`
/// kept, spaces made `-`, everything else dropped.
fn slug(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

/// The anchors of a Markdown file's headings, duplicates numbered as GitHub
/// numbers them.
fn anchors(text: &str) -> BTreeSet<String> {
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut out = BTreeSet::new();
    for (_, line) in prose_lines(text) {
        let hashes = line.chars().take_while(|&c| c == '#').count();
        if !(1..=6).contains(&hashes) || !line[hashes..].starts_with(' ') {
            continue;
        }
        let base = slug(&line[hashes..]);
        let n = seen.entry(base.clone()).or_insert(0);
        out.insert(if *n == 0 {
            base.clone()
        } else {
            format!("{base}-{n}")
        });
        *n += 1;
    }
    out
}

/// The targets of a line's Markdown links and images, code spans left out.
fn link_targets(line: &str) -> Vec<String> {
    let mut prose = String::new();
    for (i, part) in line.split('`').enumerate() {
        if i % 2 == 0 {
            prose.push_str(part);
        }
    }
    let mut out = Vec::new();
    let mut rest = prose.as_str();
    while let Some(at) = rest.find("](") {
        rest = &rest[at + 2..];
        let end = rest
            .find(|c: char| c == ')' || c.is_whitespace())
            .unwrap_or(rest.len());
        out.push(rest[..end].to_string());
        rest = &rest[end..];
    }
    out
}

#[test]
fn docs_relative_links_resolve() {
    let mut docs: Vec<String> = ["README.md", "bench/README.md", "output/README.md"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    for entry in std::fs::read_dir(repo().join("docs")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "md") {
            docs.push(format!(
                "docs/{}",
                path.file_name().unwrap().to_string_lossy()
            ));
        }
    }
    let mut broken = Vec::new();
    let mut checked = 0;
    for doc in &docs {
        let text = read(doc);
        let dir = repo().join(doc).parent().unwrap().to_path_buf();
        for (n, line) in prose_lines(&text) {
            for target in link_targets(line) {
                if target.contains("://") || target.starts_with("mailto:") {
                    continue;
                }
                checked += 1;
                let (path, anchor) = match target.split_once('#') {
                    Some((p, a)) => (p, Some(a)),
                    None => (target.as_str(), None),
                };
                let file = if path.is_empty() {
                    repo().join(doc)
                } else {
                    dir.join(path)
                };
                if !file.exists() {
                    broken.push(format!("{doc}:{n}: {target}: no such file"));
                    continue;
                }
                if let Some(anchor) = anchor {
                    if file.extension().is_some_and(|e| e == "md") {
                        let target_text = std::fs::read_to_string(&file).unwrap();
                        if !anchors(&target_text).contains(anchor) {
                            broken.push(format!("{doc}:{n}: {target}: no such heading"));
                        }
                    }
                }
            }
        }
    }
    assert!(checked > 0, "no relative links found");
    assert!(
        broken.is_empty(),
        "broken links:\n  {}",
        broken.join("\n  ")
    );
}

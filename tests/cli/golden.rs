//! The tables, pinned: a digest of every table `all` writes on the seeds and
//! on the generated briefings of tests/cli/speakers.rs (by month), compared
//! with tests/golden/. A change of code that should not change a number
//! (a function split in two, a file split by job) must leave every byte of
//! every table as it was; a change of method changes the digests on purpose,
//! and `RHETORIC_SHIFT_GOLDEN=write cargo test golden` writes the new ones,
//! which the commit then shows beside its reason.

use std::collections::BTreeMap;
use std::path::Path;

use crate::workdir::*;

/// FNV-1a, 64 bits: enough to tell two tables apart, no dependency.
fn digest(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// `name digest` per table of the run, in name order.
fn digests(w: &Work) -> String {
    let mut lines: BTreeMap<String, u64> = BTreeMap::new();
    for entry in std::fs::read_dir(w.out().join("tables")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        lines.insert(name, digest(&std::fs::read(&path).unwrap()));
    }
    lines
        .iter()
        .map(|(name, d)| format!("{name} {d:016x}\n"))
        .collect()
}

/// Compares the run's digests with tests/golden/`name`, or writes them.
fn check(w: &Work, name: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name);
    let now = digests(w);
    if std::env::var("RHETORIC_SHIFT_GOLDEN").is_ok_and(|v| v == "write") {
        std::fs::write(&path, &now).unwrap();
        return;
    }
    let pinned = std::fs::read_to_string(&path).unwrap_or_default();
    let differ: Vec<&str> = now
        .lines()
        .filter(|l| !pinned.lines().any(|p| p == *l))
        .chain(pinned.lines().filter(|p| !now.lines().any(|l| l == *p)))
        .collect();
    assert!(
        differ.is_empty(),
        "tables differ from {}: {differ:?}\n(a change of method: RHETORIC_SHIFT_GOLDEN=write \
         cargo test golden, and say why in the commit)",
        path.display()
    );
}

#[test]
fn seeds_tables_are_byte_identical_to_the_pinned_ones() {
    let (w, _) = seeds();
    check(&w, "seeds.txt");
}

#[test]
fn generated_briefings_by_month_are_byte_identical_to_the_pinned_ones() {
    let w = Work::new("golden_briefings");
    crate::speakers::write_corpus(&w);
    assert_ok(&w.run(&["all", "--period", "month"]));
    check(&w, "briefings_by_month.txt");
}

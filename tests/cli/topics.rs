//! The topics stage: the seeds' headline topics as read answer by answer.

use crate::workdir::*;

/// The headline topics of the seeds, read answer by answer and judged right.
#[test]
fn seeds_headline_topics_are_tagged_as_read() {
    let (w, answers) = seeds();
    let tags = tags(&w);
    let topics = |id: &str| -> Vec<String> {
        assert!(answers.iter().any(|r| r["id"] == id), "{id}");
        tags.get(id).cloned().unwrap_or_default()
    };
    let has = |id: &str, t: &str| topics(id).iter().any(|x| x == t);
    // Asked about: tagged.
    for (id, t) in [
        ("2018-03-08/05", "us"), // Trump and trade tools
        ("2018-03-08/12", "south_china_sea"),
        ("2018-03-08/14", "japan"),
        ("2018-03-08/21", "taiwan"), // Panama's switch from Taipei
        ("2021-03-07/05", "taiwan"), // US policy on Taiwan: about both
        ("2021-03-07/05", "us"),
        ("2021-03-07/06", "south_china_sea"),
        ("2021-03-07/07", "us"),
        ("2021-03-07/08", "japan"),
        ("2024-03-07/03", "us"),
        ("2024-03-07/06", "taiwan"),
        ("2024-03-07/08", "south_china_sea"),
        ("2025-03-07/02", "us"), // DeepSeek and US tech rivalry
        ("2025-03-07/02", "technology"),
        ("2025-03-07/08", "taiwan"), // Resolution 2758
        ("2025-03-07/12", "japan"),
        ("2025-03-07/15", "south_china_sea"),
        ("2026-03-08/11", "us"),
        ("2026-03-08/13", "japan"), // Takaichi's remarks on Taiwan: about both
        ("2026-03-08/13", "taiwan"),
        ("2026-03-08/14", "taiwan"),
        ("2026-03-08/04", "middle_east"),
        ("2024-03-07/12", "consular_protection"),
    ] {
        assert!(has(id, t), "{id} should be tagged {t}: {:?}", topics(id));
    }
    // Named in passing: not tagged.
    for (id, t) in [
        ("2018-03-08/07", "us"),          // Russia question names the US once
        ("2018-03-08/19", "middle_east"), // 《红海行动》 is a film
        ("2021-03-07/07", "taiwan"),      // one item in a list of US concerns
        ("2021-03-07/07", "south_china_sea"),
        ("2024-03-07/12", "us"),
        ("2025-03-07/11", "us"), // Global South polls
        ("2026-03-08/12", "us"),
    ] {
        assert!(
            !has(id, t),
            "{id} should not be tagged {t}: {:?}",
            topics(id)
        );
    }
}

// ------------------------------------------------------------------ shifts

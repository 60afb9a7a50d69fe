//! Turns the text of one transcript into question/answer records, repairing the
//! damage of its layout, and says what it repaired.
//!
//! Layouts are recognised by what their lines look like (see `data/layout.toml`),
//! never by file name: live text with speaker lines and timestamps, newspaper Q/A
//! (`路透社记者：` then `王毅：`), newspaper summary style (`有记者提问，…` then
//! `王毅说，…`) with a sidebar of short answers under ■ headings. The work goes in
//! passes: classify each line; tell headlines from cut paragraphs; find where each
//! cut paragraph continues and move the continuation there; assemble records;
//! remove passages printed twice; apply manual overrides; trim fragments whose
//! continuation is lost. Every change is reported as a [`Repair`].

use super::assemble::assemble;
use super::classify::{classify, mark_headlines, UnitKind};
use super::corrections::{apply_overrides, check_pairs, trim_truncations};
use super::duplicates::remove_duplicates;
use super::junction::Junction;
use super::repair::repair_cuts;
use crate::config::corpus::DropOverride;
use crate::config::Layout;

pub use super::classify::session_years;
pub use super::parsed::{cjk_chars, Briefing, DateClue, Parsed, Record, Repair, Warning};

/// Parses one transcript. `junction` scores candidate continuations of cut
/// paragraphs; `overrides` are this file's manual corrections.
pub fn parse(
    text: &str,
    layout: &Layout,
    junction: &Junction,
    overrides: &[DropOverride],
) -> Parsed {
    let mut out = Parsed::default();
    let mut units = classify(text, layout, &mut out);
    // Reported speech is a record of its own only in a summary without
    // questions; elsewhere "他说，…" is text of the answer it stands in.
    if units.iter().any(|u| u.kind == UnitKind::Question) {
        for u in units.iter_mut().filter(|u| u.reported_only) {
            u.kind = UnitKind::Body;
            u.text = std::mem::take(&mut u.raw);
            u.speech = false;
        }
    }
    mark_headlines(&mut units, layout, &mut out);
    let (order, glued) = repair_cuts(&units, layout, junction, &mut out);
    let mut records = assemble(&units, &order, &glued, &mut out);
    remove_duplicates(&mut records, layout, &mut out);
    apply_overrides(&mut records, overrides, &mut out);
    trim_truncations(&mut records, layout, &mut out);
    check_pairs(&records, &mut out);
    out.records = records;
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vocab::{RecordKind, RepairAction};
    use jieba_rs::Jieba;

    fn layout() -> Layout {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/layout.toml");
        Layout::load(&path)
            .expect("data/layout.toml loads")
            .for_speaker("王毅")
    }

    fn run(text: &str) -> Parsed {
        let jieba = Jieba::new();
        let junction = Junction::new(&jieba, text);
        parse(text, &layout(), &junction, &[])
    }

    #[test]
    fn newspaper_qa_with_ascii_and_fullwidth_colons() {
        let p = run("路透社记者：中方怎么看？\n\n王毅：我们反对。\n\n第二段。\n\n彭博社记者:还有问题吗?\n\n王毅:没有了。\n");
        assert_eq!(p.records.len(), 2);
        assert_eq!(p.records[0].outlet, "路透社");
        assert_eq!(p.records[0].question, "中方怎么看？");
        assert_eq!(p.records[0].answer, "我们反对。\n第二段。");
        assert_eq!(p.records[1].outlet, "彭博社");
        assert_eq!(p.records[1].answer, "没有了。");
    }

    #[test]
    fn live_turns_merge_and_host_is_not_an_answer() {
        let text = "主持人 何绍仁：\n欢迎。\n[ 2018-03-08 10:02 ]\n外交部部长 王毅：\n大家好。\n[ 2018-03-08 10:03 ]\n新华社记者：\n请问？\n[ 2018-03-08 10:04 ]\n王毅：\n第一。\n[ 2018-03-08 10:05 ]\n王毅：\n第二。\n何绍仁：\n结束。\n";
        let p = run(text);
        let kinds: Vec<_> = p.records.iter().map(|r| r.kind).collect();
        assert_eq!(kinds, vec![RecordKind::Opening, RecordKind::Answer]);
        assert_eq!(p.records[0].answer, "大家好。");
        assert_eq!(p.records[1].answer, "第一。\n第二。");
        assert!(p.clues.contains(&(
            3,
            DateClue::Full {
                year: 2018,
                month: 3,
                day: 8
            }
        )));
    }

    #[test]
    fn summary_style_with_sidebar_excerpts() {
        let text = "有记者提问,中美关系如何?\n\n王毅说,要相互尊重。\n\n王毅还回应了这些热点话题\n\n■中欧关系\n\n中欧是伙伴。 据新华社\n\n会上有记者提问,台湾呢?\n\n王毅称,台湾是中国的一部分。\n";
        let p = run(text);
        let kinds: Vec<_> = p.records.iter().map(|r| r.kind).collect();
        assert_eq!(
            kinds,
            vec![RecordKind::Answer, RecordKind::Excerpt, RecordKind::Answer]
        );
        assert_eq!(p.records[0].answer, "要相互尊重。");
        assert_eq!(p.records[1].headline, "中欧关系");
        assert_eq!(p.records[1].answer, "中欧是伙伴。");
        assert_eq!(p.records[2].question, "台湾呢?");
        assert!(p
            .repairs
            .iter()
            .any(|r| r.action == RepairAction::DropSidebarTitle));
        assert!(p
            .repairs
            .iter()
            .any(|r| r.action == RepairAction::StripFurniture && r.detail == "据新华社"));
    }

    #[test]
    fn adjacent_cut_is_joined_without_a_break() {
        let p = run("新华社记者：问题？\n\n王毅：继续为中华民族伟大复\n\n兴营造良好外部环境。\n");
        assert_eq!(
            p.records[0].answer,
            "继续为中华民族伟大复兴营造良好外部环境。"
        );
        assert_eq!(p.repairs[0].action, RepairAction::JoinCut);
        assert!(!p.records[0].truncated);
    }

    #[test]
    fn displaced_continuation_after_a_caption_and_another_answer() {
        // The first answer is cut; its rest stands after the second answer and a caption.
        let text = "甲记者：问一？\n\n王毅：答案的第一部分，推动构建新型国际\n\n乙记者：问二？\n\n王毅：第二个答案。\n\n3月7日，中欧班列驶出。本版照片均为新华社发\n\n关系，这是第一个答案的结尾。\n\n丙记者：问三？\n\n王毅：第三个答案。\n";
        let p = run(text);
        assert_eq!(p.records.len(), 3);
        assert_eq!(
            p.records[0].answer,
            "答案的第一部分，推动构建新型国际关系，这是第一个答案的结尾。"
        );
        assert_eq!(p.records[1].answer, "第二个答案。");
        assert!(p
            .repairs
            .iter()
            .any(|r| r.action == RepairAction::JoinDisplaced));
        assert!(p
            .repairs
            .iter()
            .any(|r| r.action == RepairAction::DropCaption));
    }

    #[test]
    fn lost_continuation_is_trimmed_and_flagged() {
        let p = run("记者：问？\n\n王毅：第一句完整。第二句被截\n\n记者：下一个？\n\n王毅：好。\n");
        assert_eq!(p.records[0].answer, "第一句完整。");
        assert!(p.records[0].truncated);
        assert!(p
            .repairs
            .iter()
            .any(|r| r.action == RepairAction::TrimTruncated && r.detail.contains("第二句被截")));
    }

    #[test]
    fn headlines_stand_over_questions_only_in_a_headline_layout() {
        let text = "中美关系 相互尊重\n\n甲记者：问一？\n\n王毅：答一。\n\n台湾问题 没有妥协余地\n\n乙记者：问二？\n\n王毅：答二。\n";
        let p = run(text);
        assert_eq!(p.records[0].headline, "中美关系 相互尊重");
        assert_eq!(p.records[1].headline, "台湾问题 没有妥协余地");
    }

    #[test]
    fn a_passage_printed_twice_is_kept_only_where_it_first_stands() {
        let shared = "推动商签更多的高标准自贸协定，扩大面向全球的自由贸易区网络，维护全球产业链供应链稳定畅通。";
        let text = format!("甲记者：经济？\n\n王毅：我们愿配合主管部门，{shared}\n\n乙记者：领保？\n\n王毅：我们处理案件8万多起。我们进一步配合主管部门，{shared}\n");
        let p = run(&text);
        assert_eq!(p.records[0].answer, format!("我们愿配合主管部门，{shared}"));
        assert_eq!(p.records[1].answer, "我们处理案件8万多起。");
    }

    #[test]
    fn npc_sessions_give_years() {
        let p = run("十三届全国人大一次会议新闻中心举行记者会\n十四届全国人大四次会议\n");
        let years: Vec<_> = p
            .clues
            .iter()
            .filter_map(|(_, c)| match c {
                DateClue::Session { year } => Some(*year),
                _ => None,
            })
            .collect();
        assert_eq!(years, vec![2018, 2026]);
    }
}

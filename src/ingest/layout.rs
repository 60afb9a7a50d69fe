//! Turns the text of one transcript into question/answer records, repairing the
//! damage of its layout, and says what it repaired.
//!
//! Layouts are recognised by what their lines look like (see `data/layout.toml`),
//! never by file name: live text with speaker lines and timestamps, newspaper Q/A
//! (`路透社记者：` then `王毅：`), newspaper summary style (`有记者提问，…` then
//! `王毅说，…`) with a sidebar of short answers under ■ headings, briefings. The
//! work goes in passes, in this order ([`parse`]): classify each line; keep
//! the name labels a file uses for two turns or more; tell headlines from cut
//! paragraphs; find where each cut paragraph continues and move the
//! continuation there; assemble records; trim fragments whose continuation is
//! lost; remove passages printed twice; apply manual overrides; check the
//! pairs; and guard every record ([`super::guard`]). Every change is reported
//! as a [`Repair`].

use super::assemble::assemble;
use super::classify::{classify, mark_headlines, scopes, ChunkKind};
use super::corrections::{apply_overrides, check_pairs, trim_truncations};
use super::duplicates::remove_duplicates;
use super::furniture::Repeated;
use super::guard::guard;
use super::junction::Junction;
use super::repair::repair_cuts;
use crate::config::corpus::DropOverride;
use crate::config::Layout;

pub use super::classify::session_years;
pub use super::parsed::{cjk_chars, Briefing, DateClue, Parsed, Record, Repair, Warning};

/// Parses one transcript. `junction` scores candidate continuations of cut
/// paragraphs; `overrides` are this file's manual corrections; `repeated`
/// the lines that are furniture across the corpus.
pub fn parse(
    text: &str,
    layout: &Layout,
    junction: &Junction,
    overrides: &[DropOverride],
    repeated: &Repeated,
) -> Parsed {
    let mut out = Parsed::default();
    let mut chunks = classify(text, layout, repeated, &mut out);
    // Reported speech is a record of its own only in a summary without
    // questions; elsewhere "他说，…" is text of the answer it stands in.
    if chunks.iter().any(|u| u.kind == ChunkKind::Question) {
        for u in chunks.iter_mut().filter(|u| u.reported_only) {
            u.kind = ChunkKind::Body;
            u.text = std::mem::take(&mut u.raw);
            u.speech = false;
            u.who.clear();
        }
    }
    keep_recurring_labels(&mut chunks);
    mark_headlines(&mut chunks, layout, &mut out);
    let scopes = scopes(&chunks);
    let (order, glued) = repair_cuts(&chunks, &scopes, layout, junction, &mut out);
    let mut records = assemble(&chunks, &scopes, &order, &glued, &mut out);
    // Trimmed first, so that the words left before a copy cut out of a
    // sentence stay: they were printed once, and are not a lost continuation.
    trim_truncations(&mut records, layout, &mut out);
    remove_duplicates(&mut records, layout, &mut out);
    apply_overrides(&mut records, overrides, &mut out);
    check_pairs(&records, &mut out);
    guard(&mut records, layout, &mut out);
    out.records = records;
    out
}

/// A name label is a speaker's turn only where the file uses it for two
/// turns or more (a spokesperson answers many questions); once, "外媒称：…"
/// is more likely a line of the text than a speaker.
fn keep_recurring_labels(chunks: &mut [super::classify::Chunk]) {
    let mut uses: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for (who, _) in chunks.iter().filter_map(|u| u.labelled.as_ref()) {
        *uses.entry(who.clone()).or_default() += 1;
    }
    for u in chunks.iter_mut() {
        if u.labelled.as_ref().is_some_and(|(who, _)| uses[who] < 2) {
            u.labelled = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::categories::{RecordKind, RepairAction};
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
        parse(text, &layout(), &junction, &[], &Repeated::default())
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
        // Only the copy goes: the clause before it was printed once.
        assert_eq!(
            p.records[1].answer,
            "我们处理案件8万多起。我们进一步配合主管部门，"
        );
        let repair = p
            .repairs
            .iter()
            .find(|r| r.action == RepairAction::DropDuplicate)
            .unwrap();
        assert!(
            repair.detail.contains("'我们进一步配合主管部门，'"),
            "{}",
            repair.detail
        );
    }

    /// The text that made the old widening panic: two copies in one sentence
    /// with a clause between them that was printed once. Each copy widened
    /// to the whole sentence, and the second cut used offsets the first had
    /// moved. Now both copies go and the clause between them stays.
    #[test]
    fn two_copies_in_one_sentence_are_cut_without_the_clause_between() {
        let a = "中方始终坚持走和平发展道路，坚定奉行独立自主的和平外交政策，愿同各国一道推动构建人类命运共同体";
        let b = "我们将继续扩大高水平对外开放，同世界各国分享中国发展的机遇，为世界经济增长注入更多动力";
        let text = format!(
            "甲记者：一？\n\n王毅：{a}。{b}。\n\n乙记者：二？\n\n王毅：首先，{a}，今天我想强调，{b}。\n"
        );
        let p = run(&text);
        assert_eq!(p.records[1].answer, "首先，今天我想强调，");
        let cut: Vec<usize> = p
            .repairs
            .iter()
            .filter(|r| r.action == RepairAction::DropDuplicate)
            .map(|r| r.dropped)
            .collect();
        assert_eq!(cut, [cjk_chars(a), cjk_chars(b)]);
    }

    #[test]
    fn a_short_clause_at_the_start_of_a_copy_goes_with_it() {
        let copy =
            "同时，中方将根据形势发展需要，采取进一步措施，坚决维护国家主权、安全和发展利益。";
        let text = format!(
            "答：我们敦促美方立即纠正错误。{copy}\n答：这是第二个回答。{copy}我们将继续关注。\n"
        );
        let p = run(&text);
        assert_eq!(p.records[1].answer, "这是第二个回答。我们将继续关注。");
    }

    #[test]
    fn a_passage_said_again_in_another_briefing_is_kept_and_counted() {
        let formula = "中方在这一问题上的立场是一贯的、明确的。我们始终主张各国主权平等，反对外部势力干涉别国内政。";
        let text = format!(
            "答：{formula}\n*******\n答：关于你提到的问题，{formula}\n外交部发言人耿爽宣布：应邀访华。\n答：我们注意到有关报道。{formula}\n答：另一个问题。{formula}\n"
        );
        let p = run(&text);
        let scopes: Vec<usize> = p.records.iter().map(|r| r.scope).collect();
        assert_eq!(scopes, [0, 1, 2, 2, 2]);
        // Kept in the second and third briefings; the copy within the third goes.
        assert!(p.records[1].answer.ends_with(formula));
        assert!(p.records[3].answer.ends_with(formula));
        assert_eq!(p.records[4].answer, "另一个问题。");
        assert_eq!(p.repeats_kept, 2);
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

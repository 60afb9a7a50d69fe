//! A made-up corpus of the ministry's daily briefings (issue 26), deterministic
//! and std-only: one file per working day, spread evenly from 2020-09-01 to
//! 2024-04-30, so that 2020 holds only September–December and 2024 only
//! January–April. Every sentence is written for these tests; a seeded LCG picks
//! and fills them so that no two files are alike.
//!
//! Each file: the title line `YYYY年M月D日外交部发言人NAME主持例行记者会`, an
//! opening statement (one or two paragraphs; every tenth file a long one of
//! about 1,900 characters), 3–6 question/answer turns (`问：`/`答：` in even
//! files, `XX记者：`/`NAME：` in odd ones), in every eighth file a question put
//! after the briefing (`会后，有记者问及…。NAME表示，…`), and the same two footer
//! lines at the end. Every 25th file is a saved web page instead, the old
//! template (no `<h1>`, `News_Body_Title`) and the new one (`<h1>`) in turn.
//! The file at `broken` is a long prose article without any label.

use crate::workdir::{civil_from_days, days_from_civil};

/// Who answers, in turn.
pub const SPOKESPERSONS: [&str; 5] = ["汪文斌", "赵立坚", "华春莹", "毛宁", "林剑"];

/// The last two lines of every file (of a page: its footer), as in
/// tests/fixtures/2020-10-1[34]_*.txt and 2022-12-27_briefing-statement.txt.
pub const FOOTER: [&str; 2] = [
    "本站内容版权归中华人民共和国外交部所有　转载请注明来源",
    "外交部地址：北京市朝阳区朝阳门南大街2号（邮政编码100701）",
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Form {
    /// Plain text, as copied from a page.
    Plain,
    /// A saved page of the 2020–2021 template.
    OldPage,
    /// A saved page of the template from 2022 on.
    NewPage,
    /// The broken file: prose without labels.
    Prose,
}

/// What was written into one file.
#[derive(Clone, Debug)]
pub struct FileTruth {
    pub name: String,
    /// `YYYY-MM-DD`
    pub date: String,
    pub year: i32,
    pub spokesperson: &'static str,
    /// The opening statement's paragraphs, without a label (empty for the broken file).
    pub statement: Vec<String>,
    /// Question/answer turns, the question put after the briefing included.
    pub turns: usize,
    pub broken: bool,
    pub form: Form,
}

pub struct Generated {
    pub truth: FileTruth,
    pub bytes: Vec<u8>,
}

/// n files, the one at index `broken` (0-based) a prose article.
pub fn corpus(n: usize, broken: usize) -> Vec<Generated> {
    let days = working_days();
    assert!(
        n >= 1 && n <= days.len(),
        "{n} files for {} working days",
        days.len()
    );
    (0..n)
        .map(|i| {
            let day = days[i * days.len() / n];
            if i == broken {
                prose(i, day)
            } else {
                briefing(i, day)
            }
        })
        .collect()
}

// ------------------------------------------------------------------ dates

/// Monday to Friday from 2020-09-01 to 2024-04-30 (no holidays), as days since 1970-01-01.
pub fn working_days() -> Vec<i64> {
    (days_from_civil(2020, 9, 1)..=days_from_civil(2024, 4, 30))
        // 1970-01-01 was a Thursday: (z + 4) mod 7 is 0 on Sundays.
        .filter(|z| !matches!((z + 4).rem_euclid(7), 0 | 6))
        .collect()
}

fn iso(z: i64) -> String {
    let (y, m, d) = civil_from_days(z);
    format!("{y:04}-{m:02}-{d:02}")
}

fn month_day(z: i64) -> String {
    let (_, m, d) = civil_from_days(z);
    format!("{m}月{d}日")
}

fn full_date(z: i64) -> String {
    let (y, m, d) = civil_from_days(z);
    format!("{y}年{m}月{d}日")
}

/// "10月15日至17日", or across a month "10月30日至11月1日".
fn span(from: i64, to: i64) -> String {
    let (_, m1, d1) = civil_from_days(from);
    let (_, m2, d2) = civil_from_days(to);
    if m1 == m2 {
        format!("{m1}月{d1}日至{d2}日")
    } else {
        format!("{m1}月{d1}日至{m2}月{d2}日")
    }
}

// ------------------------------------------------------------------ chance

/// A 64-bit LCG (Knuth's MMIX constants), high bits out.
struct Lcg(u64);

impl Lcg {
    fn new(seed: u64) -> Lcg {
        let mut l = Lcg(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0x2545_F491_4F6C_DD1D);
        l.next();
        l
    }

    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<T: Copy>(&mut self, xs: &[T]) -> T {
        xs[self.below(xs.len())]
    }

    /// 0..n in a random order (Fisher–Yates).
    fn order(&mut self, n: usize) -> Vec<usize> {
        let mut v: Vec<usize> = (0..n).collect();
        for i in (1..n).rev() {
            v.swap(i, self.below(i + 1));
        }
        v
    }
}

// ------------------------------------------------------------------ words

const COUNTRIES: [&str; 24] = [
    "巴基斯坦",
    "柬埔寨",
    "老挝",
    "塞尔维亚",
    "匈牙利",
    "埃及",
    "南非",
    "巴西",
    "阿根廷",
    "印度尼西亚",
    "马来西亚",
    "越南",
    "哈萨克斯坦",
    "乌兹别克斯坦",
    "沙特阿拉伯",
    "新西兰",
    "斐济",
    "肯尼亚",
    "尼日利亚",
    "墨西哥",
    "智利",
    "泰国",
    "蒙古国",
    "坦桑尼亚",
];

const FIELDS: [&str; 12] = [
    "经贸",
    "农业",
    "能源",
    "基础设施建设",
    "数字经济",
    "绿色发展",
    "人文交流",
    "卫生健康",
    "教育",
    "科技创新",
    "减贫",
    "海洋",
];

const OUTLETS: [&str; 18] = [
    "总台央视",
    "新华社",
    "《人民日报》",
    "《环球时报》",
    "中新社",
    "凤凰卫视",
    "法新社",
    "路透社",
    "彭博社",
    "美联社",
    "塔斯社",
    "日本广播协会",
    "韩联社",
    "《北京日报》",
    "澎湃新闻",
    "深圳卫视",
    "半岛电视台",
    "埃菲社",
];

/// The first paragraph of a short statement. Each names the visit's dates, so
/// that no statement is the same line in two files.
const STATEMENTS: [&str; 8] = [
    "应国务委员兼外长王毅邀请，{c}外长将于{span}对中国进行正式访问。",
    "应{c}政府邀请，国务委员兼外长王毅将于{span}对{c}进行正式访问。",
    "外交部长秦刚将于{md}以视频方式出席{c}主办的{f}合作部长级会议并发表讲话。",
    "应外交部长秦刚邀请，{c}外长将于{span}访华，两国外长将举行会谈。",
    "{md}，中国同{c}将以视频方式举行新一轮外交磋商，双方将就双边关系和{f}合作交换意见。",
    "经中方和{c}方商定，两国{f}合作联合委员会会议将于{md}在北京举行，国务委员兼外长王毅将同{c}外长共同主持会议。",
    "{prev}，外交部长秦刚在北京同{c}外长举行会谈，双方就深化{f}合作达成广泛共识。",
    "国务委员兼外长王毅将于{span}出席在{c}举行的东亚合作系列外长会，并同有关国家外长举行双边会见。",
];

/// The second paragraph of a short statement.
const STATEMENT_MORE: [&str; 4] = [
    "访问期间，双方将就推进{f}领域务实合作深入交换意见，并签署多项合作文件。{c}是中国的重要合作伙伴，中方期待通过{md}的会谈为两国关系注入新的动力。",
    "这是{c}外长{y}年以来首次访华。中方期待同{c}方以{md}的会谈为契机，进一步增进政治互信，拓展{f}等领域合作。",
    "会议期间，各方将围绕{f}合作的下一步规划展开讨论。中方愿同{c}等各方携手努力，推动{md}的会议取得积极成果。",
    "中方高度重视发展同{c}的关系。我们相信，{span}的这次活动将进一步巩固两国传统友谊，为{f}合作开辟更广阔的前景。",
];

/// A long statement (about 1,900 characters), paragraph by paragraph: travel
/// rules and two announcements naming 王毅 and 秦刚. Every paragraph holds a
/// date of its file.
const LONG_STATEMENT: [&str; 11] = [
    "在开始回答记者提问之前，我先发布几则消息。根据国务院联防联控机制的统一部署，中方将自{e}起对中外人员往来管理措施作出优化调整。这是中方根据疫情形势变化和病毒特点作出的科学决策，目的是更好统筹疫情防控和经济社会发展，为中外人员安全、健康、有序往来提供更多便利。这次调整涉及来华人员的检测、隔离、签证、航班以及中国公民出境等多个方面，各方十分关注。下面，我向大家通报有关具体安排。",
    "一是调整来华人员的行前检测要求。自{e}起，来华人员只需在行前四十八小时内进行一次核酸检测，结果为阴性的即可登机来华，无需再向我驻外使领馆申请健康码。来华人员将检测结果如实填入海关健康申明卡即可，航空公司不再查验有关证明。对于行前检测结果为阳性的人员，我们建议其转阴后再行来华，以免旅途奔波影响身体健康。",
    "二是取消入境后的集中隔离。自{e}起，来华人员抵达口岸后，健康申报正常且海关口岸常规检疫无异常的，可以直接放行进入社会面，不再实施全员核酸检测和集中隔离。对健康申报异常或者出现发热等症状的人员，将由海关进行抗原检测，结果为阳性的可以居家、居所隔离或者就医，结果为阴性的按照常规检疫流程处置。",
    "三是恢复受理各类签证申请。自{e}起，我驻{c}使馆和其他驻外使领馆将根据驻在国疫情形势和往来需求，有序恢复受理外国人来华从事商务、工作、学习、探亲和团聚等活动的签证申请。持有有效居留许可的外国人无需重新申请签证，可凭居留许可直接入境。口岸签证和过境免签政策也将逐步恢复，具体办法将由主管部门另行公布。对于急需来华处理经贸事务的外国企业人员，各驻外使领馆将开设绿色通道，优先受理、快速办理，尽量缩短办证时间。",
    "四是逐步增加国际客运航班。自{e}起，民航主管部门将取消对国际客运航班数量和客座率的限制，支持中外航空公司按照对等原则有序恢复和增开往返{c}等国的航线。我们欢迎各国航空公司积极参与国际航班的恢复工作，也希望有关国家秉持科学态度，为双方人员往来和航班运行创造良好条件，不要采取歧视性的限制措施。",
    "五是有序恢复中国公民出境。自{e}起，出入境管理部门将按照平稳有序的原则，恢复受理中国公民因旅游、访友出境申请办理普通护照，逐步恢复出境团队旅游业务。外交部和驻外使领馆将继续做好领事保护与协助工作，提醒中国公民出行前认真了解目的地国家的入境规定和安全形势，遇到紧急情况可随时拨打全球领事保护与服务应急热线寻求帮助。",
    "六是做好在华外国人员的服务保障。自{e}起，有关部门将为在华工作、学习和生活的外国朋友提供更加便利的居留、就医和出行服务，外国人在华期间如有需要，可以就近前往医疗机构就诊。各地外事部门也将加强同各国驻华使领馆的沟通，及时回应外国企业和人员的合理诉求，帮助他们解决实际困难。",
    "七是加强防疫领域的国际合作。{md}前后，中方将同世界卫生组织举行新一轮技术交流，及时、公开、透明地分享疫情信息和病毒基因序列数据，同各国一道加强药物和疫苗研发合作。我们愿同各方共同努力，完善全球公共卫生治理体系，提升应对突发公共卫生事件的能力。",
    "此外，我还要发布两则外事活动消息。应有关方面邀请，国务委员兼外长王毅将出席{md}以视频方式举行的中国—中亚五国外长会晤，同中亚国家外长就深化各领域合作深入交换意见。外交部长秦刚将于{span}访问{c}，这是中国外长年内首次访问{c}，体现了中方对两国传统友谊和互利合作的高度重视。",
    "三年来，中国政府始终坚持人民至上、生命至上，最大限度保护了人民生命安全和身体健康，也为全球抗疫合作作出了重要贡献。当前，病毒致病性明显减弱，我国防控能力和医疗资源准备更加充分。自{e}起实施的有关调整是稳妥有序的，也将根据实施情况不断完善，确保平稳过渡。我们希望有关方面尊重科学，不要把防疫问题政治化。",
    "我们相信，随着上述措施自{e}起逐步落地实施，中外人员往来将更加便捷顺畅，经贸、教育、科技、文化等各领域交流合作将加快恢复。中方愿同各国一道，相向而行，共同推动国际人员往来安全有序恢复。我们也欢迎各国朋友来华经商、学习、旅游，亲身感受一个开放、自信、充满活力的中国。",
];

/// Questions; each names a country or a date, so that no question is the same
/// line in many files.
const QUESTIONS: [&str; 27] = [
    "据报道，{c}政府{prev}宣布将进一步扩大对华{f}合作。中方对此有何评论？",
    "{c}外长日前在接受采访时称，希望同中方深化{f}领域合作。中方对此有何回应？",
    "近期，{c}国内局势出现新的变化。中方是否担心在当地的中国公民和企业的安全？",
    "有分析认为，中国同{c}在{f}领域的合作面临一些挑战。发言人如何看待两国合作前景？",
    "据了解，中国同{c}将于近期举行{f}合作联委会会议。你能否介绍会议的有关安排？",
    "{prev}，美方官员再次指责中方在南海的正当活动。中方对此有何回应？",
    "据报道，美国国会一些议员{prev}提出涉台议案，要求提升美台实质关系。中方对此有何评论？",
    "欧洲议会{prev}通过一项涉华决议，对中国内政说三道四。中方对此有何回应？",
    "{c}总统{prev}称，{c}愿在{f}领域同中国开展更多合作。中方如何看待？",
    "联合国秘书长{prev}呼吁各方加强{f}领域国际合作。中方将如何参与相关合作？",
    "第二届中国—{c}{f}合作论坛{prev}举行。发言人能否介绍中方对论坛成果的评价？",
    "日本政府{prev}宣布将调整防卫政策，{c}等地区国家对此表达关切。中方对此有何评论？",
    "朝鲜半岛局势近期出现新的动向，{c}呼吁有关各方保持克制。中方如何看待当前半岛形势？",
    "有媒体称，中方正在考虑向{c}提供新一批{f}领域援助。你能否证实？",
    "{prev}，澳大利亚总理称愿同中方改善关系。中方对此有何回应？",
    "据报道，{c}{prev}发生严重自然灾害，造成重大人员伤亡。中方是否会提供援助？",
    "乌克兰危机延宕至今，{c}等国呼吁各方尽快停火止战。中方对此有何最新评论？",
    "二十国集团领导人峰会将于下月举行，{c}已确认将派高级别代表团出席。中方对峰会有何期待？",
    "中方{prev}发布了关于全球治理的立场文件。发言人能否介绍文件的主要内容？",
    "据报道，{c}计划在明年举办的国际会议上提出{f}合作倡议。中方是否会给予支持？",
    "上海合作组织成员国外长会议即将召开，{c}将派代表与会。中方对会议有何期待？",
    "美国商务部{prev}将多家中国企业列入出口管制实体清单。中方将采取哪些措施？",
    "有评论称，中国同太平洋岛国的{f}合作引起了一些国家的关注。中方对此有何回应？",
    "巴以冲突持续，加沙地带人道主义状况不断恶化，{c}呼吁国际社会加大援助。中方对此有何评论？",
    "{c}新任驻华大使{prev}抵京履新。中方对两国关系发展有何期待？",
    "据报道，中国同{c}即将签署新的{f}合作协议。你能否介绍有关情况？",
    "秦刚外长{prev}同{c}外长通电话。能否进一步介绍通话情况？",
];

/// What a reporter asked after the briefing (`会后，有记者问及…。`).
const AFTER_QUESTIONS: [&str; 5] = [
    "中方对{c}近期局势的看法",
    "中方如何看待{c}同中国的{f}合作前景",
    "{c}政府{prev}宣布调整对华政策一事",
    "中方是否会派员出席{c}下月举办的{f}国际会议",
    "中方对{c}新当选领导人有何期待",
];

/// Sentences of answers, none used twice in one file.
const ANSWERS: [&str; 52] = [
    "{c}是中国的好朋友、好伙伴，两国传统友谊历久弥坚。",
    "近年来，中国同{c}在{f}领域的合作不断深化，给两国人民带来了实实在在的好处。",
    "中方愿同{c}方一道，落实好两国领导人达成的重要共识，推动双边关系不断迈上新台阶。",
    "中方一贯主张通过对话协商和平解决分歧，反对动辄诉诸武力或以武力相威胁。",
    "我们敦促有关方面恪守国际法和国际关系基本准则，停止干涉别国内政。",
    "台湾是中国领土不可分割的一部分，台湾问题纯属中国内政，不容任何外部势力干涉。",
    "中国政府维护国家主权、安全和发展利益的决心坚定不移。",
    "南海诸岛是中国固有领土，中方在本国领土上开展正常活动无可非议。",
    "我们希望域外国家尊重地区国家维护和平稳定的努力，不要蓄意挑拨、制造紧张。",
    "中方在乌克兰问题上始终站在和平一边，坚持劝和促谈。",
    "对话谈判是解决危机的唯一可行出路，各方应当为停火止战创造条件。",
    "中方将继续同国际社会一道，为推动危机政治解决发挥建设性作用。",
    "当前，世界百年变局加速演进，各国比以往任何时候都更需要团结合作。",
    "中方始终秉持真正的多边主义，维护以联合国为核心的国际体系。",
    "我们反对任何形式的单边主义和保护主义，反对把经贸问题政治化、工具化。",
    "美方泛化国家安全概念，滥用出口管制，对中国企业进行无理打压，严重违背市场原则。",
    "中方将采取必要措施，坚决维护中国企业的正当合法权益。",
    "中国的发展是世界的机遇，中国愿同各国分享发展红利。",
    "中方支持{c}根据本国国情自主选择发展道路，反对外部势力借故干涉。",
    "中方高度重视在{c}中国公民和机构的安全，驻当地使馆已启动应急机制。",
    "我们提醒在当地的中国公民密切关注安全形势，加强防范，减少不必要外出。",
    "关于你提到的具体访问安排，目前我没有可以发布的消息。",
    "中国同{c}保持着密切沟通，双方将适时公布有关信息。",
    "中方对{c}遭受严重灾害造成重大人员伤亡深表哀悼，向遇难者家属和受灾民众致以诚挚慰问。",
    "中方愿根据{c}方需要，提供力所能及的帮助和支持。",
    "日方应当深刻反省侵略历史，在军事安全领域谨言慎行，以实际行动取信于亚洲邻国。",
    "中方坚持维护半岛和平稳定，坚持推动半岛问题政治解决。",
    "我们呼吁有关各方保持冷静克制，多做有利于缓和局势的事。",
    "二十国集团是国际经济合作的主要论坛，应当在促进全球经济复苏方面发挥引领作用。",
    "中方期待峰会在加强宏观政策协调、维护产业链供应链稳定等方面取得积极成果。",
    "上海合作组织成立以来，始终秉持“上海精神”，为维护地区安全稳定作出了重要贡献。",
    "中方愿同各成员国一道，推动本次会议取得圆满成功。",
    "中国同太平洋岛国的合作光明磊落，不针对任何第三方，也不应受到任何第三方干扰。",
    "岛国人民欢迎中国的合作，这比任何说辞都更有说服力。",
    "中方对加沙地带人道主义局势持续恶化深感忧虑，强烈谴责一切伤害平民的行为。",
    "当务之急是立即实现停火，保障人道主义救援通道畅通，防止更大规模的人道主义灾难。",
    "解决巴勒斯坦问题的根本出路在于落实“两国方案”。",
    "中澳关系改善发展符合两国和两国人民的根本利益。",
    "希望澳方同中方相向而行，推动两国关系重回正轨。",
    "欧洲议会有关决议罔顾事实，颠倒黑白，中方对此坚决反对。",
    "我们奉劝有关方面摒弃意识形态偏见，多做有利于中欧互信与合作的事。",
    "中方发布立场文件，旨在阐明中国对全球治理改革的主张，为国际社会提供参考。",
    "全球治理应当坚持共商共建共享原则，让各国都成为国际秩序的参与者、贡献者和受益者。",
    "中方欢迎{c}在{f}领域提出合作倡议，愿同各方加强沟通协调。",
    "{c}新任大使到任后，中方将为其履职提供便利和支持。",
    "我们相信，在双方共同努力下，两国{f}合作一定会取得更加丰硕的成果。",
    "中方始终从战略高度和长远角度看待两国关系。",
    "中方愿同{c}方加强高层交往，深化治国理政经验交流。",
    "对于未经证实的报道，中方不作评论。",
    "联合国在全球{f}合作中具有不可替代的作用，中方将继续支持联合国发挥核心作用。",
    "中方将一如既往地参与和推动{f}领域国际合作，为全球发展贡献中国智慧和中国方案。",
    "中方坚定奉行独立自主的和平外交政策，愿在和平共处五项原则基础上同各国发展友好合作。",
];

/// The broken file's prose: a travel essay, without a label, a colon or a
/// reporting verb.
const PROSE: [&str; 54] = [
    "{p}的老街依河而建，青石板路两旁的木结构房屋大多有上百年的历史。",
    "清晨的雾气还没有散去，早起的居民已经在河边洗菜淘米，木桨划过水面的声音此起彼伏。",
    "沿着石阶往上走，可以看到一座座翻修过的祠堂，檐角的砖雕依稀可辨当年的花鸟图案。",
    "{p}一带盛产茶叶，每到春季，山坡上的茶园一片新绿，采茶人的身影在雾中时隐时现。",
    "当地的手工艺人仍然保留着传统的竹编技艺，一把竹篮往往要经过几十道工序才能完成。",
    "午后的阳光照进狭长的巷子，墙根下晒着的辣椒和玉米为灰白的院墙添上了几分颜色。",
    "{p}的集市每五天开一次，附近村子的农民挑着自家种的蔬菜瓜果赶来，把街道挤得满满当当。",
    "老茶馆里坐满了上了年纪的街坊，一壶粗茶可以从早上喝到傍晚，家长里短都在茶香里慢慢化开。",
    "近些年，不少年轻人从城里回到{p}，开起了民宿和书店，给这座安静的小镇带来了新的气息。",
    "镇子东头的古桥建于明代，桥身由整块的条石砌成，历经数百年风雨依然稳固如初。",
    "傍晚时分，炊烟从家家户户的屋顶升起，空气里飘着柴火和腊肉的味道。",
    "河对岸是一片开阔的稻田，秋收时节金黄的稻浪一直延伸到远处的山脚下。",
    "{p}的冬天并不寒冷，但湿气很重，老人们习惯在堂屋里生一盆炭火，围坐着剥花生、话家常。",
    "镇上的小学只有六个班，孩子们放学后常常结伴到河滩上捡石头、捉小鱼。",
    "逢年过节，{p}的人家都要舞龙舞狮，锣鼓声从街头传到巷尾，热闹非凡。",
    "一位老木匠在自家门前打磨一张八仙桌，刨花落了一地，木头的清香弥漫开来。",
    "{p}的夜晚格外安静，只有虫鸣和偶尔传来的几声犬吠，抬头便能看到满天星斗。",
    "山路两旁种满了桂花树，入秋以后花香四溢，引得不少外地游客专程前来。",
    "镇上的博物馆陈列着出土的陶罐和铜镜，记录了这片土地上数千年的人类活动。",
    "随着公路修到了村口，{p}的土特产通过网络卖到了全国各地，村民的收入逐年增加。",
    "雨后的青石板路泛着光，屋檐滴下的水珠在路面上溅起一圈圈细小的涟漪。",
    "在{p}，几乎每户人家的院子里都种着几株果树，夏天的枇杷和秋天的柿子是孩子们最盼望的美味。",
    "老戏台上正在排练地方戏，锣鼓点子一响，台下很快就围满了看热闹的乡亲。",
    "走出小镇，回望掩映在青山绿水间的白墙黛瓦，仿佛一幅徐徐展开的水墨长卷。",
    "这座海港城市的历史可以追溯到一千多年前，古时的商船从这里出发，驶向远方的海岛和港口。",
    "老码头上的石砌仓库如今改成了展览馆，墙上挂着泛黄的航海图和旧时商号的招牌。",
    "清晨的鱼市最为热闹，渔船靠岸后，成筐的海鲜被迅速分拣、过秤、装车。",
    "沿海的骑楼街区保存完好，廊柱下的店铺有的卖干货，有的卖糕点，还有的专门修补渔网。",
    "每年夏天，成群的海鸟在附近的礁石上栖息繁衍，吸引了许多摄影爱好者。",
    "城市的灯塔建于一百多年前，至今仍在为往来船只指引航向。",
    "退潮以后，滩涂上露出大片湿地，附近的居民提着小桶去赶海，捡拾蛤蜊和螃蟹。",
    "港口的集装箱码头昼夜不停地作业，巨大的吊车把一个个货箱稳稳地放到货轮上。",
    "老城区的巷子里藏着许多小吃店，鱼丸、海蛎煎和花生汤是当地人最常点的几样。",
    "台风过后，街道两旁的榕树被吹断了不少枝条，环卫工人一大早就开始清理路面。",
    "城市的海滨公园绵延数公里，傍晚时分，散步的市民和放风筝的孩子把步道挤得热热闹闹。",
    "当地的造船业曾经十分兴盛，老船厂的木工师傅能够凭经验估算出一条船所需的全部木料。",
    "渔民出海前要举行简单的仪式，祈愿风平浪静、满载而归。",
    "近年来，城市加大了对海岸线的保护力度，一些曾经被占用的沙滩重新对公众开放。",
    "海边的小学开设了海洋知识课程，孩子们在老师带领下观察潮汐、认识贝类。",
    "入夜以后，港湾里的渔火星星点点，与岸上的万家灯火交相辉映。",
    "城市博物馆里收藏着一艘打捞出水的古代商船，船舱里的瓷器至今色泽如新。",
    "老城墙的遗址被辟为步行道，登上城墙可以俯瞰整个港湾和远处的群岛。",
    "每到农历六月，沿海的村镇都要举办开渔节，鞭炮声和号子声响彻海湾。",
    "海风带着咸湿的气息吹进街巷，晾晒在竹竿上的鱼干散发出浓郁的香味。",
    "随着跨海大桥的建成，从市区到对岸的海岛只需要二十分钟车程。",
    "码头附近的茶楼已经经营了三代人，老板仍然坚持每天凌晨四点起来蒸制点心。",
    "雨季来临时，海面上常常升起浓雾，远处的岛屿若隐若现，宛如仙境。",
    "离开这座城市时，回头望去，白色的灯塔在夕阳下静静伫立，像一位守望大海的老人。",
    "{p}的手工造纸作坊仍在使用古法，竹料要在石灰水里浸泡数月，再经过蒸煮、捶打和抄纸才能成纸。",
    "村口的大樟树据说已有五百多岁，树冠如盖，夏天的午后总有老人在树下摇着蒲扇乘凉。",
    "每逢赶集的日子，卖糖画的老师傅总会被一群孩子围住，一勺糖稀在他手里转眼就变成了飞龙和凤凰。",
    "山间的溪水清澈见底，成群的小鱼在卵石之间游来游去，偶尔有白鹭掠过水面。",
    "{p}的腊月最是忙碌，家家户户杀年猪、打糍粑、做米酒，空气里弥漫着过年的气息。",
    "古镇的石板路被几百年的脚步磨得光滑发亮，走在上面，仿佛能听见历史的回声。",
];

const PLACES: [&str; 8] = [
    "江南水乡",
    "皖南山村",
    "川西小镇",
    "湘西古城",
    "闽北茶乡",
    "黔东南村寨",
    "岭南古村",
    "浙西山区",
];

/// The values a template's `{…}` take.
struct Slots {
    c: &'static str,
    f: &'static str,
    /// The visit's first day, `M月D日`.
    md: String,
    /// The visit, `M月D日至D日`.
    span: String,
    /// The day rules take effect, `YYYY年M月D日`.
    e: String,
    y: i32,
    /// The day before the briefing, `M月D日`.
    prev: String,
}

impl Slots {
    fn new(rng: &mut Lcg, day: i64) -> Slots {
        let start = day + 4 + rng.below(6) as i64;
        Slots {
            c: rng.pick(&COUNTRIES),
            f: rng.pick(&FIELDS),
            md: month_day(start),
            span: span(start, start + 2),
            e: full_date(day + 12),
            y: civil_from_days(day).0,
            prev: month_day(day - 1),
        }
    }

    /// The same dates, another country and field (for the next turn).
    fn turn(&self, rng: &mut Lcg) -> Slots {
        Slots {
            c: rng.pick(&COUNTRIES),
            f: rng.pick(&FIELDS),
            md: self.md.clone(),
            span: self.span.clone(),
            e: self.e.clone(),
            y: self.y,
            prev: self.prev.clone(),
        }
    }

    fn fill(&self, t: &str) -> String {
        t.replace("{c}", self.c)
            .replace("{f}", self.f)
            .replace("{md}", &self.md)
            .replace("{span}", &self.span)
            .replace("{e}", &self.e)
            .replace("{y}", &self.y.to_string())
            .replace("{prev}", &self.prev)
    }
}

// ------------------------------------------------------------------ files

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Statement,
    Question,
    Answer,
    /// An answer's second paragraph, or the statement's.
    More,
    /// The question put after the briefing and its reply, as whole lines.
    After,
}

struct Para {
    kind: Kind,
    /// `问`, `答`, `路透社记者` or the spokesperson's name; the colon is added.
    label: Option<String>,
    text: String,
}

impl Para {
    fn line(&self) -> String {
        match &self.label {
            Some(l) => format!("{l}：{}", self.text),
            None => self.text.clone(),
        }
    }
}

fn title(day: i64, who: &str) -> String {
    format!("{}外交部发言人{who}主持例行记者会", full_date(day))
}

fn briefing(i: usize, day: i64) -> Generated {
    let mut rng = Lcg::new(i as u64 + 1);
    let who = SPOKESPERSONS[i % SPOKESPERSONS.len()];
    let form = if !(i + 1).is_multiple_of(25) {
        Form::Plain
    } else if ((i + 1) / 25) % 2 == 1 {
        Form::OldPage
    } else {
        Form::NewPage
    };
    // 问：/答： in even plain files; reporters and the spokesperson's name
    // elsewhere (the ministry's pages never say 问/答).
    let qa = form == Form::Plain && i.is_multiple_of(2);
    let labelled = (i / 2).is_multiple_of(2);
    let slots = Slots::new(&mut rng, day);

    let statement = opening_statement(i, &mut rng, &slots);
    let mut paras = statement_paras(&statement, labelled, who);
    let all_turns = push_turns(i, &mut rng, &slots, (qa, who), &mut paras);

    let head = title(day, who);
    let text = match form {
        Form::Plain => plain(
            &head,
            &paras,
            (i / 3).is_multiple_of(2),
            !i.is_multiple_of(3),
        ),
        Form::OldPage => old_page(&head, day, &paras),
        Form::NewPage => new_page(&head, day, &paras),
        Form::Prose => unreachable!(),
    };
    Generated {
        truth: FileTruth {
            name: format!("{}_briefing.txt", iso(day)),
            date: iso(day),
            year: civil_from_days(day).0,
            spokesperson: who,
            statement,
            turns: all_turns,
            broken: false,
            form,
        },
        bytes: text.into_bytes(),
    }
}

/// The opening statement: the long one in every tenth file, else one or
/// two paragraphs drawn from the lists.
fn opening_statement(i: usize, rng: &mut Lcg, slots: &Slots) -> Vec<String> {
    if i % 10 == 3 {
        LONG_STATEMENT.iter().map(|p| slots.fill(p)).collect()
    } else {
        let mut s = vec![slots.fill(STATEMENTS[rng.below(STATEMENTS.len())])];
        if rng.below(2) == 0 {
            s.push(slots.fill(STATEMENT_MORE[rng.below(STATEMENT_MORE.len())]));
        }
        s
    }
}

/// The statement's paragraphs, its first under the spokesperson's label
/// where the file labels.
fn statement_paras(statement: &[String], labelled: bool, who: &'static str) -> Vec<Para> {
    let mut paras: Vec<Para> = Vec::new();
    for (k, p) in statement.iter().enumerate() {
        paras.push(Para {
            kind: if k == 0 { Kind::Statement } else { Kind::More },
            label: (k == 0 && labelled).then(|| who.to_string()),
            text: p.clone(),
        });
    }
    paras
}

/// The turns, then in every eighth file one asked after the briefing
/// (reported speech); `(qa, who)`: 问/答 labels or the reporters' and the
/// spokesperson's. Returns the turns written.
fn push_turns(
    i: usize,
    rng: &mut Lcg,
    slots: &Slots,
    (qa, who): (bool, &'static str),
    paras: &mut Vec<Para>,
) -> usize {
    // The turns: no question and no answer sentence twice in a file.
    let turns = 3 + rng.below(4);
    let questions = rng.order(QUESTIONS.len());
    let sentences = rng.order(ANSWERS.len());
    let mut next_sentence = sentences.into_iter();
    // Three sentences in an answer's first paragraph, two in its second: at
    // most 7 answers use 35 of the 52.
    let mut answer_paragraph = |s: &Slots, n: usize| -> String {
        (0..n)
            .map(|_| s.fill(ANSWERS[next_sentence.next().expect("enough answer sentences")]))
            .collect()
    };
    for &q in questions.iter().take(turns) {
        let s = slots.turn(rng);
        let outlet = rng.pick(&OUTLETS);
        paras.push(Para {
            kind: Kind::Question,
            label: Some(if qa {
                "问".to_string()
            } else {
                format!("{outlet}记者")
            }),
            text: s.fill(QUESTIONS[q]),
        });
        let more = rng.below(2) == 0;
        paras.push(Para {
            kind: Kind::Answer,
            label: Some(if qa {
                "答".to_string()
            } else {
                who.to_string()
            }),
            text: answer_paragraph(&s, 3),
        });
        if more {
            paras.push(Para {
                kind: Kind::More,
                label: None,
                text: answer_paragraph(&s, 2),
            });
        }
    }
    let mut all_turns = turns;
    if i % 8 == 5 {
        let s = slots.turn(rng);
        let asked = s.fill(AFTER_QUESTIONS[rng.below(AFTER_QUESTIONS.len())]);
        let reply = answer_paragraph(&s, 2);
        if (i / 8).is_multiple_of(2) {
            paras.push(Para {
                kind: Kind::After,
                label: None,
                text: format!("会后，有记者问及{asked}。{who}表示，{reply}"),
            });
        } else {
            paras.push(Para {
                kind: Kind::After,
                label: None,
                text: format!("会后，有记者问及{asked}。"),
            });
            paras.push(Para {
                kind: Kind::After,
                label: None,
                text: format!("{who}表示，{reply}"),
            });
        }
        all_turns += 1;
    }
    all_turns
}

/// Title line, paragraphs (indented with two ideographic spaces or not; a blank
/// line between them or not), the footer lines.
fn plain(head: &str, paras: &[Para], indent: bool, blank: bool) -> String {
    let mut lines = vec![head.to_string()];
    for p in paras {
        lines.push(format!("{}{}", if indent { "　　" } else { "" }, p.line()));
    }
    lines.extend(FOOTER.iter().map(|l| l.to_string()));
    lines.join(if blank { "\n\n" } else { "\n" }) + "\n"
}

/// A broken file: about 2,000 characters of prose without a label.
fn prose(i: usize, day: i64) -> Generated {
    let mut rng = Lcg::new(i as u64 + 1);
    let mut paragraphs = Vec::new();
    let mut current = String::new();
    for k in rng.order(PROSE.len()) {
        current.push_str(&PROSE[k].replace("{p}", rng.pick(&PLACES)));
        if current.chars().count() > 220 {
            paragraphs.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        paragraphs.push(current);
    }
    let mut lines: Vec<String> = paragraphs.into_iter().map(|p| format!("　　{p}")).collect();
    lines.extend(FOOTER.iter().map(|l| l.to_string()));
    Generated {
        truth: FileTruth {
            name: format!("{}_briefing.txt", iso(day)),
            date: iso(day),
            year: civil_from_days(day).0,
            spokesperson: SPOKESPERSONS[i % SPOKESPERSONS.len()],
            statement: Vec::new(),
            turns: 0,
            broken: true,
            form: Form::Prose,
        },
        bytes: (lines.join("\n\n") + "\n").into_bytes(),
    }
}

// ------------------------------------------------------------------ pages

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('“', "&ldquo;")
        .replace('”', "&rdquo;")
}

const MENU: [&str; 9] = [
    "首页",
    "外交部",
    "外事动态",
    "外交部发言人表态",
    "国家和组织",
    "政策文件",
    "领事服务",
    "外交史",
    "资料",
];

fn menu() -> String {
    MENU.iter()
        .enumerate()
        .map(|(k, m)| format!("<li><a href=\"/web/col_{k:02}/\">{m}</a></li>"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn related(day: i64, who: &str) -> String {
    // The titles of the two briefings before: briefing headers of other days,
    // outside the article.
    [
        title(day - 1, who),
        title(day - 2, who),
        "外交部发言人宣布外长将访华".to_string(),
    ]
    .iter()
    .map(|t| format!("<li><a href=\"../\" target=\"_blank\">{t}</a></li>"))
    .collect::<Vec<_>>()
    .join("\n")
}

fn footer_div() -> String {
    format!(
        "<div class=\"footer\"><p><a href=\"/web/wzdt/\">网站地图</a> | <a href=\"/web/lxwm/\">联系我们</a></p><p>{}</p><p>{}</p></div>",
        FOOTER[0], FOOTER[1]
    )
}

fn who_of(head: &str) -> &str {
    let start = head.find("发言人").unwrap() + "发言人".len();
    let end = head.find("主持").unwrap();
    &head[start..end]
}

/// The template of 2022 on: the title in `<h1>`, questions in `<strong>`.
fn new_page(head: &str, day: i64, paras: &[Para]) -> String {
    let article: Vec<String> = paras
        .iter()
        .map(|p| match (p.kind, &p.label) {
            (Kind::Question, Some(l)) => {
                format!("<p>　　<strong>{l}：{}</strong></p>", esc(&p.text))
            }
            _ => format!("<p>　　{}</p>", esc(&p.line())),
        })
        .collect();
    format!(
        r#"<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="ArticleTitle" content="{head}">
<title>{head}_中华人民共和国外交部</title>
<script type="text/javascript">var siteName = "中华人民共和国外交部";</script>
</head>
<body>
<div class="top"><span class="siteName">中华人民共和国外交部</span>
<form action="/search/"><input type="text" name="q" value="请输入关键词"><input type="submit" value="搜索"></form></div>
<div class="nav"><ul>
{menu}
</ul></div>
<div class="container">
<div class="position">您的位置：<a href="/web/">首页</a>&nbsp;&gt;&nbsp;<a href="/web/col_03/">外交部发言人表态</a>&nbsp;&gt;&nbsp;<a href="/web/col_03/0/">例行记者会</a></div>
<div class="news-main">
<div class="news-title"><h1>{head}</h1></div>
<div class="news-info"><span class="time">{date} 19:30</span>
<span class="fontSize">字号：<a href="javascript:doZoom(20)">大</a>&nbsp;<a href="javascript:doZoom(16)">中</a>&nbsp;<a href="javascript:doZoom(14)">小</a></span>
<span class="print">【<a href="javascript:window.print()">打印</a>】【<a href="javascript:window.close()">关闭</a>】</span></div>
<div class="news-main-content" id="News_Body_Txt_A">
<!--<$[信息内容]>begin-->
{article}
<!--<$[信息内容]>end-->
</div>
<div class="news-btm"><span class="print">【<a href="javascript:window.print()">打印</a>】【<a href="javascript:window.close()">关闭</a>】</span></div>
<div class="related"><div class="relatedTit">相关新闻</div><ul>
{related}
</ul></div>
</div>
</div>
{footer}
</body>
</html>
"#,
        menu = menu(),
        date = iso(day),
        article = article.join("\n"),
        related = related(day, who_of(head)),
        footer = footer_div(),
    )
}

/// The template of 2020–2021: no `<h1>`; the title in `<title>` and
/// `News_Body_Title`; a question in nested bold whose inner run closes in
/// mid-question; a photo paragraph; 【大 中 小】 and 打印本页 | 关闭窗口.
fn old_page(head: &str, day: i64, paras: &[Para]) -> String {
    let mut article = vec![format!(
        "<p style=\"text-align:center\"><img src=\"./W0{}.jpg\" border=\"0\" /></p>",
        iso(day).replace('-', "")
    )];
    for p in paras {
        article.push(match (p.kind, &p.label) {
            (Kind::Question, Some(l)) => {
                // The inner bold closes after the first comma, or right after
                // the label where the question has none.
                let (bold, rest) = match p.text.find('，') {
                    Some(at) => p.text.split_at(at + '，'.len_utf8()),
                    None => ("", p.text.as_str()),
                };
                format!(
                    "<p>　　<b><span style=\"font-family:宋体\"><b>{l}：{}</b>{}</span></b></p>",
                    esc(bold),
                    esc(rest)
                )
            }
            _ => format!("<p>　　{}</p>", esc(&p.line())),
        });
    }
    let tools = "<div class=\"News_Body_Tools\">【<a href=\"javascript:doZoom(16)\">大</a> <a href=\"javascript:doZoom(14)\">中</a> <a href=\"javascript:doZoom(12)\">小</a>】&nbsp;&nbsp;<a href=\"javascript:window.print()\">打印本页</a> | <a href=\"javascript:window.close()\">关闭窗口</a></div>";
    format!(
        r#"<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
<title>{head}_中华人民共和国外交部</title>
<script type="text/javascript">function doZoom(size) {{ document.getElementById("News_Body_Txt_A").style.fontSize = size + "px"; }}</script>
</head>
<body>
<div id="header"><img src="/web/images/logo.png" alt="中华人民共和国外交部" />
<form action="/search/"><input type="text" name="q" value="请输入关键字" /><input type="submit" value="搜索" /></form></div>
<div id="menu"><ul>
{menu}
</ul></div>
<div class="mainBox">
<div class="path">当前位置：<a href="/web/">首页</a> &gt; <a href="/web/col_03/">外交部发言人表态</a> &gt; <a href="/web/col_03/0/">例行记者会</a></div>
<div id="News_Body_Title">{head}</div>
<div id="News_Body_Time">{slash}</div>
{tools}
<div id="News_Body_Txt_A">
{article}
</div>
{tools}
<div class="related_news"><div class="related_title">相关新闻</div><ul>
{related}
</ul></div>
</div>
{footer}
</body>
</html>
"#,
        menu = menu(),
        slash = iso(day).replace('-', "/"),
        article = article.join("\n"),
        related = related(day, who_of(head)),
        footer = footer_div(),
    )
}

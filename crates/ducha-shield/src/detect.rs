//! The detectors: where in a normalised reading ([`Norm`]) a person is identified.
//!
//! Two kinds of knowledge: the case's own sealed identity ([`Known`], matched however it is written),
//! and the shapes of identifying data in general (phones, ID numbers, e-mails, chat handles, dwelling
//! addresses, personal names, a complainant placing himself in a village or community).

use std::sync::LazyLock;

use regex::Regex;

use crate::names::{HONORIFICS, name_at, surname_at};
use crate::norm::Norm;
use crate::{Identity, PiiKind, is_han};

/// One place to hide, as byte offsets into the normalised reading.
#[derive(Debug, Clone)]
pub(crate) struct Hit {
    pub start: usize,
    pub end: usize,
    pub kind: PiiKind,
    pub replacement: String,
}

/// The identity a case recorded, in the forms the detectors match.
#[derive(Clone, Default)]
pub(crate) struct Known {
    /// Digit strings: the phone (without a country prefix), a landline's local number, the ID number.
    digits: Vec<String>,
    /// Names of two or more letters, normalised.
    names: Vec<String>,
    /// Dwelling details of the recorded address (`幸福小区3号楼2单元501`), normalised.
    details: Vec<String>,
    /// E-mail, its local part, chat handles: lower-case, matched as written.
    literals: Vec<String>,
}

fn digits_of(s: &str) -> String {
    Norm::new(s)
        .text()
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == 'X' || *c == 'x')
        .collect::<String>()
        .to_uppercase()
}

impl Known {
    pub fn new(id: &Identity) -> Known {
        let mut k = Known::default();
        if let Some(p) = id.phone.as_deref() {
            let mut d = digits_of(p).replace('X', "");
            for prefix in ["0086", "86"] {
                if d.len() == 11 + prefix.len() && d.starts_with(prefix) && d[prefix.len()..].starts_with('1')
                {
                    d = d[prefix.len()..].to_owned();
                }
            }
            if d.len() >= 10 && d.starts_with('0') {
                // A landline: the local number alone identifies too (8991369 for 0393-8991369).
                let area = if matches!(d.as_bytes().get(1), Some(b'1' | b'2')) { 3 } else { 4 };
                if d.len() - area >= 7 {
                    k.digits.push(d[area..].to_owned());
                }
            }
            if d.len() >= 5 {
                k.digits.push(d);
            }
        }
        if let Some(i) = id.id_number.as_deref() {
            let d = digits_of(i);
            if d.len() == 18 {
                // Written without its check character (or with it as 叉), the rest still identifies.
                k.digits.push(d[..17].to_owned());
            }
            if d.len() >= 8 {
                k.digits.push(d);
            }
        }
        if let Some(n) = id.name.as_deref() {
            let n: String = Norm::new(n).text().chars().filter(|c| !c.is_whitespace()).collect();
            if n.chars().count() >= 2 && !n.contains('某') {
                k.names.push(n);
            }
        }
        if let Some(a) = id.address.as_deref() {
            let a = Norm::new(a).text().to_owned();
            for m in P.address_detail.find_iter(&a) {
                let d = m.as_str().trim();
                if d.chars().count() >= 3 && d.chars().any(|c| c.is_ascii_digit()) {
                    k.details.push(d.to_owned());
                }
            }
        }
        for v in [id.email.as_deref(), id.handle.as_deref()].into_iter().flatten() {
            let v = Norm::new(v).text().trim().trim_start_matches('@').to_lowercase();
            if v.chars().count() >= 4 {
                if let Some((local, _)) = v.split_once('@')
                    && local.chars().count() >= 5
                {
                    k.literals.push(local.to_owned());
                }
                k.literals.push(v);
            }
        }
        k.digits.sort_by_key(|d| std::cmp::Reverse(d.len()));
        k.digits.dedup();
        k
    }
}

/// A regex of the firewall. The lazy DFA gets room for the large Unicode classes these patterns use, so
/// its state cache is not cleared and rebuilt text after text.
fn re(s: &str) -> Regex {
    regex::RegexBuilder::new(s)
        .dfa_size_limit(32 << 20)
        .build()
        .unwrap_or_else(|e| panic!("shield regex {s}: {e}"))
}

struct Patterns {
    email: Regex,
    email_spoken: Regex,
    account: Regex,
    at_handle: Regex,
    username: Regex,
    name_intro: Regex,
    owner_intro: Regex,
    name_verb: Regex,
    polluter: Regex,
    lao_n: Regex,
    xing: Regex,
    address_lead: Regex,
    address_detail: Regex,
    group_no: Regex,
    door_no: Regex,
    house_no: Regex,
    signature: Regex,
    alias: Regex,
    family_member: Regex,
    account_cn: Regex,
    email_spaced: Regex,
    group_self: Regex,
    weak_intro: Regex,
    village_then_name: Regex,
    v_label: Regex,
}

static P: LazyLock<Patterns> = LazyLock::new(|| {
    let r = |s: &str| re(s);
    let compound = r"[^\s\d县区镇乡市村路街道，,。：:；;、！!？?（）()]{1,10}?(?:小区|花园|家园|公寓|大厦|家属院|家属楼|新村|苑|府|庭|居|湾|城|院)";
    let unit = r"\d+\s*(?:号楼|号院|栋|幢|排|单元|楼|层|室|户|号|门|巷)";
    let room = r"(?:\d{1,5}(?:室|号|户)?)?";
    Patterns {
        email: r(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}"),
        email_spoken: r(
            r"(?i)[A-Za-z0-9._%+-]{3,}\s*(?:\(at\)|\[at\]|\sat\s|#|艾特|圈a)\s*[A-Za-z0-9-]+\s*(?:\.|点|\(dot\)|\[dot\]|\sdot\s)\s*(?:com|cn|net|org|edu|gov)(?:\s*(?:\.|点)\s*cn)?",
        ),
        account: r(
            r"(?i)(?:微信号?|微信id|v信|威信|薇信|徽信|vx|wx|weixin|wechat|企鹅号?|扣扣|qq|抖音号?|快手号?|douyin|微博号?|钉钉号?)\s*(?:号码|号|id)?\s*(?:是|为|:)?\s*([A-Za-z0-9][-_A-Za-z0-9]{4,29})",
        ),
        at_handle: r(r#"@([^\s，,。：:；;！!？?、@（）()“”"'【】\[\]<>《》]{2,24})"#),
        username: r(
            r#"(?:网友|网民|博主|楼主|吧友|群友|粉丝|帖主|用户名?|昵称|网名|账号|UP主|up主|主播)\s*[:：]?\s*[“"「『]([^”"」』\n【】]{2,24})[”"」』]|(?:用户名|昵称|网名|账号|楼主|博主|网友|作者|发帖人|主播|评论人)\s*[:：]\s*@?([^\s，,。；;！!？?、@【】]{2,24})"#,
        ),
        name_intro: r(
            r"(?:我叫|他叫|她叫|俺叫|咱叫|我名叫|我名儿叫|俺名叫|名字叫|名儿叫|名叫|叫做|我是|俺是|本人是|本人系|本人|我姓|俺姓|姓名|举报人|投诉人|反映人|来电人|来信人|来访人|联系人|当事人|知情人|证人|目击者|署名|落款|签名|具名|户主|邻居|家属|老伴|丈夫|妻子|儿子|女儿|父亲|母亲|委托人|报案人|求助人|申请人|致电人|本名|原名|真名|学名|弟弟|哥哥|姐姐|妹妹|爸爸|妈妈|俺爹|俺娘|俺爸|俺妈|我爹|我娘|老公|老婆|媳妇|公公|岳父|岳母|丈人|小舅子|大舅子|亲戚|侄子|外甥|孙子|孙女|爷爷|奶奶|姥爷|姥姥|表哥|表弟|堂哥|堂弟|大舅|二舅|小舅|大姨|小姨|大伯|二伯|大叔|二叔|三叔|婶子|嫂子|姐夫|妹夫|姑父|姨夫|侄女|外甥女)[:\s]*",
        ),
        owner_intro: r(
            r"(?:老板娘|老板|厂长|场长|负责人|经营者|经营户|承包人|承包者|业主|房东|法人代表|法人|老总|场主|窑主|矿主|租户|个体户|实际控制人|车主|司机|养殖户|养猪户|养鸡户|养牛户|养羊户|养鸭户|种植户|经营户|收购户|摊主|摊贩|业户|商户|店主|散户|窑户|厂主|承租人)(?:叫|是|为|系|姓名|名叫|就是)?[:\s]*",
        ),
        name_verb: r(r"(?:^|[\n，,。；;！!？?：:、（(“])\s*"),
        polluter: r(
            r"^(?:家|他家|她家|家里|两口子|夫妇|夫妻|一家|父子|兄弟|爷俩|娘俩)?(?:的[^，,。；;！!？?]{0,4}?(?:厂|作坊|场|窑|店|加工点|工地|车|猪|牛|羊|鸡|鸭|养殖|小厂|炉|摊|回收站|锅|院)|合伙|合开|合办|一起开|(?:和|跟|与)[^，,。；;]{0,8}(?:合伙|合开|一起开|一起干|共同)|个人经营|个人开|个人办|再次|复产|又开|又在|又开始|开始烧|继续|仍在|还在|一直在|开的|办的|干的|弄的|搞的|经营|承包|租的|租了|私自|偷偷|非法|擅自|在(?:干|弄|烧|倒|排|搞|开|建|养|拉|挖)|开了|建了|盖了|养了|养的|烧的|倒的|排的|拉的|挖的|雇的|负责|管着|说了算|当老板)",
        ),
        lao_n: r(r"(欧阳|司马|诸葛|上官|东方|皇甫|[\p{Han}])老[大二三四五六七八九幺]"),
        xing: r(r"姓([\p{Han}]{1,2}?)(?:的|[，,。.！!？?；;：:、\s()（）]|师傅|先生|女士|老板|大爷|大妈|$)"),
        address_lead: r(r"(?:家住|住在|住址|家庭住址|现住|居住在|我住|本人住|地址|住处)[:\s]*(?:在)?"),
        address_detail: r(&format!(
            r"(?:{compound})?\s*(?:{unit}[\s-]*)+{room}|{compound}\s*\d+-\d+-\d+|\d+-\d+-\d+|{compound}"
        )),
        group_no: r(r"(?:村|庄|屯|寨|集|营|社区|队|委)里?\s*(\d{1,2}\s*(?:组|队))"),
        door_no: r(r"门牌号?(?:码|是|为)?[:\s]*\d+\s*号?"),
        house_no: r(r"\d+\s*号院|\d+\s*号楼"),
        signature: r(r"(?:此致|敬礼|谢谢|特此举报|特此反映)[\s\S]{0,12}?\n\s*([\p{Han}]{2,4})\s*(?:\n|$|\d)"),
        alias: r(
            r#"(?:外号|绰号|小名|乳名|大名(?:叫|是|为)|诨名|人称|人送外号|都叫他|都喊他|大家叫他|都叫她|大家都叫他|村里人叫他)(?:叫|是|为)?\s*[“"「『]?([\p{Han}]{2,4}?)(?:[”"」』]|[，,。；;！!？?\s()（）]|的|家|在|开|办|干|弄|搞|也|就|这|那|是|$)"#,
        ),
        family_member: r(
            r"[\p{Han}]{1,2}家(?:老[大二三四五六七八九幺]|二小子|小子|闺女|媳妇|儿媳|老头|老太|老婆|男人|女人|小儿子|大儿子|二儿子)",
        ),
        account_cn: r(
            r#"(?:微信名|微信昵称|抖音名|快手名|微博名|网名|昵称|群名片|用户名)(?:叫|是|为)?\s*[:：]?\s*[“"「『]?([^\s，,。；;！!？?、“”"「」『』]{2,16})"#,
        ),
        email_spaced: r(
            r"[A-Za-z0-9._%+-]{2,}\s*[@＠]\s*[A-Za-z0-9-]+\s*[.．。]\s*(?:com|cn|net|org|edu|gov)(?:\s*[.．。]\s*cn)?",
        ),
        weak_intro: r(
            r"(?:叫|名叫|乳名|小名|村民|居民|群众|人员|男子|女子|妇女|老人|老汉|农民|外地人员?|本地人员?|外村人员?|本村人员?|外乡人员?|同村人员?|俺村|我村|本村|我们村|俺们村|邻村|同村|隔壁村|村里|俺庄|俺庄上|庄上|邻居|东邻|西邻|南邻|北邻|对门|同事|朋友|其中|就是|责令|要求|督促|通知|告知|约谈|劝离|批评|处罚|老板姓[\p{Han}]|姓[\p{Han}]，?)[:\s]*",
        ),
        village_then_name: r(r"(?:村|庄|屯|寨|社区|组)(?:的|村民|居民)?"),
        v_label: r(r"(?:^|[^A-Za-z])[Vv]\s*[:：]\s*([A-Za-z0-9][-_A-Za-z0-9]{4,29})"),
        group_self: r(r"(?:我是|俺是|本人是|住在|家住|我家在|俺家在|我住|俺住)\s*(\d{1,2}\s*(?:组|队))"),
    }
});

/// Separators that may stand between the digits of one number: spaces, dashes, brackets, quotes,
/// punctuation and symbols of any script — but not a colon (times: 14:30) or a percent sign.
fn is_digit_sep(c: char) -> bool {
    use unicode_general_category::{GeneralCategory as Gc, get_general_category};
    if matches!(c, ':' | '：' | '%' | '％' | '‰' | '\n') {
        return false;
    }
    matches!(
        get_general_category(c),
        Gc::SpaceSeparator
            | Gc::DashPunctuation
            | Gc::OpenPunctuation
            | Gc::ClosePunctuation
            | Gc::InitialPunctuation
            | Gc::FinalPunctuation
            | Gc::OtherPunctuation
            | Gc::ConnectorPunctuation
            | Gc::MathSymbol
            | Gc::OtherSymbol
            | Gc::ModifierSymbol
    )
}

/// A run of digit groups with short separators between them, as found in the reading.
#[derive(Debug)]
struct Chain {
    /// Each digit (or a final `X` of an ID number, or `*` of a masked one) and its byte range.
    digits: Vec<(char, usize, usize)>,
    /// Index into `digits` where each group starts.
    groups: Vec<usize>,
}

fn chains(t: &str) -> Vec<Chain> {
    let chars: Vec<(usize, char)> = t.char_indices().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].1.is_ascii_digit() {
            i += 1;
            continue;
        }
        // Not the tail of a word or code (ABC123).
        let mut chain = Chain { digits: Vec::new(), groups: vec![0] };
        let mut j = i;
        loop {
            // One group.
            while j < chars.len() {
                let (b, c) = chars[j];
                let is_d = c.is_ascii_digit()
                    || (c == '*' && !chain.digits.is_empty())
                    || (matches!(c, 'X' | 'x')
                        && chain.digits.len() >= 14
                        && !chars.get(j + 1).is_some_and(|n| n.1.is_ascii_alphanumeric()));
                if !is_d {
                    break;
                }
                chain.digits.push((if c == 'x' { 'X' } else { c }, b, b + c.len_utf8()));
                j += 1;
            }
            // Separators (at most three) and another digit after them? A line break counts too after a
            // short group (a number written over several lines: 138⏎0393⏎5527).
            let group_len = chain.digits.len() - chain.groups.last().copied().unwrap_or(0);
            let mut k = j;
            while k < chars.len()
                && k - j < 3
                && ((is_digit_sep(chars[k].1) && chars[k].1 != '*') || (chars[k].1 == '\n' && group_len <= 4))
            {
                k += 1;
            }
            if k > j && k < chars.len() && chars[k].1.is_ascii_digit() {
                chain.groups.push(chain.digits.len());
                j = k;
                continue;
            }
            break;
        }
        // A chain glued to letters on its left (a code like MA44X123) is not a number to read.
        let glued = i > 0 && chars[i - 1].1.is_ascii_alphabetic();
        if !glued {
            out.push(chain);
        }
        i = j.max(i + 1);
    }
    out
}

/// Whether the text before `at` (a few characters) says a phone number follows.
fn phone_context(t: &str, at: usize) -> bool {
    let before = &t[back(t, at, 10)..at];
    ["电话", "手机", "座机", "号码", "联系", "打", "拨", "致电", "tel", "Tel", "TEL", "call", "微信", "家里"]
        .iter()
        .any(|w| before.contains(w))
}

/// Whether the text before `at` says the number is a public one (a hotline, an office).
fn public_context(t: &str, at: usize) -> bool {
    // The words before the number, and a bracketed note right after it (…（督察组内部转接）).
    let after_end = t[at..].char_indices().nth(24).map_or(t.len(), |(i, _)| at + i);
    let after = &t[at..after_end];
    let bracket = after.find(['(', '（']).map(|i| &after[i..]).unwrap_or("");
    let before = format!("{}{bracket}", &t[back(t, at, 14)..at]);
    [
        "热线",
        "举报电话",
        "值班电话",
        "监督电话",
        "服务电话",
        "办公电话",
        "咨询电话",
        "受理电话",
        "公开电话",
        "投诉电话",
        "督察组",
        "办公室电话",
        "客服",
        "攻坚办",
        "督察科",
        "办公室",
        "指挥部",
        "生态环境局",
        "环保局",
        "政府",
        "管委会",
        "纪委",
        "信访",
        "分局",
        "执法大队",
    ]
    .iter()
    .any(|w| before.contains(w))
}

/// Byte offset `n` chars before `i`.
pub(crate) fn back(s: &str, i: usize, n: usize) -> usize {
    s[..i].char_indices().rev().nth(n.saturating_sub(1)).map_or(0, |(j, _)| j)
}

fn id18_valid(d: &[char]) -> bool {
    if d.len() != 18 || !d[..17].iter().all(char::is_ascii_digit) {
        return false;
    }
    const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const C: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];
    let sum: u32 = W.iter().zip(d).map(|(w, c)| w * c.to_digit(10).unwrap_or(0)).sum();
    let birth: String = d[6..14].iter().collect();
    ('1'..='8').contains(&d[0]) && (d[17] == C[(sum % 11) as usize] || plausible_date(&birth))
}

fn plausible_date(yyyymmdd: &str) -> bool {
    if yyyymmdd.len() != 8 || !yyyymmdd.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let y: u32 = yyyymmdd[..4].parse().unwrap_or(0);
    let m: u32 = yyyymmdd[4..6].parse().unwrap_or(0);
    let d: u32 = yyyymmdd[6..8].parse().unwrap_or(0);
    (1900..=2030).contains(&y) && (1..=12).contains(&m) && (1..=31).contains(&d)
}

/// What a run of digits is: `Some(Some(kind))` when it identifies somebody, `Some(None)` when it is a
/// number the campaign made public (the stretch is then taken, not read again in parts), `None` when it
/// is neither.
fn classify_number(d: &[char], t: &str, at: usize, public: &[String]) -> Option<Option<PiiKind>> {
    let s: String = d.iter().collect();
    if public.contains(&s) {
        return Some(None);
    }
    identifying_number(d, &s, t, at).map(Some)
}

fn identifying_number(d: &[char], s: &str, t: &str, at: usize) -> Option<PiiKind> {
    let s = s.to_owned();
    let masked = d.iter().filter(|c| **c == '*').count();
    if masked > 0 {
        // 410928********069X, 138****0123: a masked ID number or phone still says too much.
        let known = d.len() - masked;
        return match d.len() {
            18 | 15 if known >= 6 && masked >= 4 => Some(PiiKind::IdNumber),
            11 if d[0] == '1' && known >= 7 => Some(PiiKind::Phone),
            _ => None,
        };
    }
    let mobile = |m: &str| m.len() == 11 && m.starts_with('1') && matches!(m.as_bytes()[1], b'3'..=b'9');
    if d.len() == 18 && id18_valid(d) {
        // A permit, case or filing number of 18 digits is not an ID card (施工许可证号4109…).
        let before = &t[back(t, at, 10)..at];
        let permit = ["许可证", "证号", "编号", "案号", "文号", "批准号", "备案号", "登记号", "代码"]
            .iter()
            .any(|w| before.contains(w))
            && !before.contains("身份证");
        if !permit {
            return Some(PiiKind::IdNumber);
        }
    }
    if d.len() == 15
        && d.iter().all(char::is_ascii_digit)
        && ('1'..='8').contains(&d[0])
        && plausible_date(&format!("19{}", &s[6..12]))
    {
        return Some(PiiKind::IdNumber);
    }
    if !d.iter().all(char::is_ascii_digit) {
        return None;
    }
    if mobile(&s)
        || (s.len() == 13 && s.starts_with("86") && mobile(&s[2..]))
        || (s.len() == 15 && s.starts_with("0086") && mobile(&s[4..]))
    {
        return Some(PiiKind::Phone);
    }
    let landline = s.starts_with('0') && !s.starts_with("00") && (10..=12).contains(&s.len());
    if landline && !public_context(t, at) {
        return Some(PiiKind::Phone);
    }
    if (7..=8).contains(&s.len()) && !s.starts_with('0') && phone_context(t, at) && !public_context(t, at) {
        return Some(PiiKind::Phone);
    }
    None
}

fn push(hits: &mut Vec<Hit>, start: usize, end: usize, kind: PiiKind, rep: impl Into<String>) {
    if start < end {
        hits.push(Hit { start, end, kind, replacement: rep.into() });
    }
}

/// Every place in `norm` that identifies a person, given the case's own identity.
pub(crate) fn detect(norm: &Norm, known: &Known, public_numbers: &[String]) -> Vec<Hit> {
    let t = norm.text();
    let p = &*P;
    let mut hits: Vec<Hit> = Vec::new();

    // Numbers: the case's own digits wherever they stand, then anything shaped like a phone or ID.
    for chain in chains(t) {
        let ds: Vec<char> = chain.digits.iter().map(|d| d.0).collect();
        for k in &known.digits {
            let kc: Vec<char> = k.chars().collect();
            if kc.is_empty() || kc.len() > ds.len() {
                continue;
            }
            for s in 0..=ds.len() - kc.len() {
                if ds[s..s + kc.len()] == kc[..] {
                    let kind = if kc.len() >= 15 { PiiKind::IdNumber } else { PiiKind::Phone };
                    push(&mut hits, chain.digits[s].1, chain.digits[s + kc.len() - 1].2, kind, kind.token());
                }
            }
        }
        // Group-aligned stretches, longest first from each group.
        let n = chain.groups.len();
        let mut g = 0;
        while g < n {
            let mut found = None;
            for h in (g..n.min(g + 18)).rev() {
                let from = chain.groups[g];
                let to = if h + 1 < n { chain.groups[h + 1] } else { chain.digits.len() };
                if to - from > 18 {
                    continue;
                }
                let d: Vec<char> = chain.digits[from..to].iter().map(|x| x.0).collect();
                if let Some(kind) = classify_number(&d, t, chain.digits[from].1, public_numbers) {
                    found = Some((h, kind, chain.digits[from].1, chain.digits[to - 1].2));
                    break;
                }
            }
            match found {
                Some((h, kind, s, e)) => {
                    if let Some(kind) = kind {
                        push(&mut hits, s, e, kind, kind.token());
                    }
                    g = h + 1;
                }
                None => g += 1,
            }
        }
    }

    // The e-mail patterns have no literal to search for; most texts hold no Latin letters at all.
    let latin = t.bytes().any(|b| b.is_ascii_alphabetic());
    for re in [&p.email, &p.email_spoken, &p.email_spaced] {
        if !latin {
            break;
        }
        for m in re.find_iter(t) {
            push(&mut hits, m.start(), m.end(), PiiKind::Email, PiiKind::Email.token());
        }
    }
    for c in p.account.captures_iter(t).chain(p.v_label.captures_iter(t)) {
        // A label inside a longer code (…UWX52K…) is no label.
        let glued = c.get(0).is_some_and(|all| {
            t[..all.start()].chars().next_back().is_some_and(|b| b.is_ascii_alphanumeric())
                && all.as_str().starts_with(|ch: char| ch.is_ascii_alphabetic())
        });
        if let Some(m) = c.get(1)
            && !glued
        {
            push(&mut hits, m.start(), m.end(), PiiKind::Account, PiiKind::Account.token());
        }
    }
    for c in
        p.at_handle.captures_iter(t).chain(p.username.captures_iter(t)).chain(p.account_cn.captures_iter(t))
    {
        let in_email = c.get(0).is_some_and(|all| {
            all.as_str().starts_with('@')
                && (t[..all.start()].chars().next_back().is_some_and(|b| b.is_ascii_alphanumeric() || b == '_')
                    // A local part this firewall already hid was glued to the @ the same way.
                    || ["某", "【电话】", "【邮箱】", "【账号】"].iter().any(|k| t[..all.start()].ends_with(k)))
        });
        if let Some(m) = c.get(1).or_else(|| c.get(2))
            && !is_institution(m.as_str())
            && !in_email
        {
            push(&mut hits, m.start(), m.end(), PiiKind::Account, PiiKind::Account.token());
        }
    }
    // 手机尾号6621: the tail of a phone is still the phone's.
    static TAIL: LazyLock<Regex> = LazyLock::new(|| re(r"尾号\s*(\d{3,4})"));
    for c in TAIL.captures_iter(t) {
        if let Some(m) = c.get(1) {
            push(&mut hits, m.start(), m.end(), PiiKind::Phone, PiiKind::Phone.token());
        }
    }
    plates(t, &mut hits);
    // The case's own literals (e-mail, handles) and names, however spaced.
    let lower = if known.literals.is_empty() { String::new() } else { t.to_lowercase() };
    if !known.literals.is_empty() && lower.len() == t.len() {
        for l in &known.literals {
            for (i, _) in lower.match_indices(l.as_str()) {
                push(&mut hits, i, i + l.len(), PiiKind::Account, PiiKind::Account.token());
            }
        }
    }
    for name in &known.names {
        for (i, _) in t.match_indices(name.as_str()) {
            // 王楼 the person, not 王楼镇 the place.
            let after = t[i + name.len()..].chars().next();
            if !after.is_some_and(|c| crate::names::PLACE_AFTER.contains(&c)) {
                push(&mut hits, i, i + name.len(), PiiKind::Name, "某某");
            }
        }
    }
    let keep_compound = source_at_compound(t);
    for d in &known.details {
        for (i, _) in t.match_indices(d.as_str()) {
            let from =
                if keep_compound { d.find(|c: char| c.is_ascii_digit()).unwrap_or(d.len()) } else { 0 };
            push(&mut hits, i + from, i + d.len(), PiiKind::Address, PiiKind::Address.token());
        }
    }

    names_in_text(t, &mut hits);
    // Once a name, always a name: every other occurrence of a name found anywhere in the text.
    let found: Vec<String> = hits
        .iter()
        .filter(|h| {
            h.kind == PiiKind::Name
                && t[h.start..h.end].chars().count() >= 2
                && !t[h.start..h.end].contains('某')
        })
        .map(|h| t[h.start..h.end].to_owned())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    for name in &found {
        for (i, _) in t.match_indices(name.as_str()) {
            let after = t[i + name.len()..].chars().next();
            if !after.is_some_and(|c| crate::names::PLACE_AFTER.contains(&c)) {
                push(&mut hits, i, i + name.len(), PiiKind::Name, "某某");
            }
        }
    }
    spellings(t, &mut hits);
    addresses(t, &mut hits);
    residence(t, &mut hits);
    hits
}

/// A name spelled out character by character, as callers do on the hotline (弓长张, 玉石的玉,
/// 三点水的汪): the split-character forms of surnames always (they exist only to spell a name);
/// a character described by a word or a radical when it is a character of a name found in the
/// text, or follows 姓/叫 closely.
fn spellings(t: &str, hits: &mut Vec<Hit>) {
    static SPLIT: LazyLock<Regex> = LazyLock::new(|| {
        re(
            r"弓长张|立早章|耳东陈|木子李|口天吴|双木林|古月胡|草头黄|三横王|人可何|言午许|走肖赵|文刀刘|双口吕|木易杨|子小孙|禾呈程|关耳郑|耳东的陈|弓长的张|木子的李|立早的章|古月的胡|口天的吴|言午的许|走肖的赵|文刀的刘",
        )
    });
    static DESCRIBED: LazyLock<Regex> = LazyLock::new(|| {
        re(
            r"(?:(\p{Han}{1,2})|三点水|两点水|草字头|木字旁|提手旁|单人旁|双人旁|言字旁|金字旁|宝盖头|竹字头|绞丝旁|口字旁|土字旁|女字旁|日字旁|王字旁|火字旁|走之旁|耳刀旁|月字旁|石字旁|山字旁|三撇)的(\p{Han})",
        )
    });
    for m in SPLIT.find_iter(t) {
        push(hits, m.start(), m.end(), PiiKind::Name, "某");
    }
    let name_chars: String = hits
        .iter()
        .filter(|h| h.kind == PiiKind::Name && !t[h.start..h.end].contains('某'))
        .map(|h| &t[h.start..h.end])
        .collect();
    for c in DESCRIBED.captures_iter(t) {
        let (Some(all), Some(ch)) = (c.get(0), c.get(2)) else { continue };
        let ch_str = ch.as_str();
        // 玉石的玉: the describing word holds the character itself.
        if c.get(1).is_some_and(|w| !w.as_str().contains(ch_str)) {
            continue;
        }
        // A spelling stands on its own between separators (，玉石的玉，), not inside a sentence
        // (陈村的陈大娘).
        let alone = |c: Option<char>| c.is_none_or(|c| !is_han(c));
        if !alone(t[..all.start()].chars().next_back()) || !alone(t[all.end()..].chars().next()) {
            continue;
        }
        let window = &t[back(t, all.start(), 16)..all.start()];
        if name_chars.contains(ch_str) || window.contains('姓') || window.contains('叫') {
            push(hits, all.start(), all.end(), PiiKind::Name, "某");
        }
    }
}

/// A car's plate tied to a private person (我的车是豫J·D86Q1, 车主某某): hidden; a plate in a sentence about
/// a company's vehicles (渣土运输有限公司的车) stays.
fn plates(t: &str, hits: &mut Vec<Hit>) {
    static PLATE: LazyLock<Regex> = LazyLock::new(|| {
        re(r"[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-Z][·・.\s-]?[A-Z0-9]{5,6}")
    });
    for m in PLATE.find_iter(t) {
        let from = t[..m.start()]
            .rfind(['。', '；', ';', '\n', '！', '？'])
            .map_or(0, |i| i + t[i..].chars().next().map_or(1, char::len_utf8));
        let to = t[m.end()..].find(['。', '；', ';', '\n', '！', '？']).map_or(t.len(), |i| m.end() + i);
        let sentence = &t[from..to];
        let company =
            ["公司", "厂", "站", "运输", "集团", "单位", "项目", "工地", "企业", "商砼", "罐车", "渣土车"]
                .iter()
                .any(|w| sentence.contains(w));
        let person =
            ["我的车", "俺的车", "我开", "俺开", "私家车", "个人", "本村", "村民", "我家", "摊贩", "流动"]
                .iter()
                .any(|w| sentence.contains(w));
        if person || !company {
            push(hits, m.start(), m.end(), PiiKind::Account, "【车牌】");
        }
    }
}

/// Two-letter words whose second letter is a surname (公司, 保安): not a surname before 老板/大哥.
const SURNAME_ENDED_WORDS: &[&str] = &[
    "公司",
    "上司",
    "官司",
    "有关",
    "相关",
    "机关",
    "海关",
    "开关",
    "公安",
    "保安",
    "治安",
    "平安",
    "西安",
    "对方",
    "地方",
    "官方",
    "警方",
    "双方",
    "各方",
    "东方",
    "甲方",
    "乙方",
    "南方",
    "北方",
    "后方",
    "前方",
    "一方",
    "厂方",
    "校方",
    "院方",
    "村里",
    "老师",
    "厨师",
    "律师",
    "技师",
    "工程师",
    "大师",
    "专家",
    "管家",
    "商家",
    "店家",
    "东家",
    "人家",
    "大家",
    "国家",
    "农家",
    "厂家",
    "卖家",
    "买家",
    "行家",
    "庄家",
    "老乡",
    "乡亲",
];

/// Government, media and company accounts are public (`@濮阳发布`, `@濮阳生态环境`).
pub(crate) fn is_institution(handle: &str) -> bool {
    // 大河报, 人民网, 濮阳电视台: media by their last letter.
    if handle.ends_with(['报', '网', '台']) && handle.chars().count() >= 3 {
        return true;
    }
    [
        "发布",
        "生态环境",
        "环境",
        "日报",
        "晚报",
        "新闻",
        "电视",
        "融媒",
        "政府",
        "公安",
        "官方",
        "网信",
        "督察",
        "环保",
        "生活圈",
        "广播",
        "人民",
        "政务",
        "办公室",
        "委员会",
        "局",
        "中心",
        "12345",
        "12369",
        "在线",
        "头条",
        "视点",
        "之声",
        "时报",
        "传媒",
        "频道",
    ]
    .iter()
    .any(|w| handle.contains(w))
}

/// After a name at a clause's start: words of telling, witnessing, or what follows a person.
const TELLING: &[&str] = &[
    "反映",
    "举报",
    "投诉",
    "来电",
    "来信",
    "称",
    "说",
    "表示",
    "介绍",
    "证实",
    "反应",
    "致电",
    "打电话",
    "留言",
    "讲",
    "告诉",
    "发现",
    "看到",
    "看见",
    "家门口",
    "家里",
    "家的",
    "夫妇",
    "两口子",
    "一家",
    "也说",
    "也看见",
    "也看到",
    "也知道",
    "都说",
    "都知道",
    "作证",
    "可以作证",
    "证明",
    "拍了",
    "录了",
    "拍的",
    "录的",
    "他们",
    "是",
    "不是",
    "系",
    "为",
    "在",
    "也",
    "都",
    "还",
    "就",
    "又",
    "已",
    "那个",
    "这个",
    "的电话",
    "的手机",
    "电话",
    "手机",
    "的微信",
];

/// After a name introduced by a weak word: what continues a person's clause.
const FOLLOW: &[&str] = &[
    "那", "这", "家", "的", "他", "她", "（", "(", "说", "在", "也", "都", "又", "还", "是", "于", "从",
    "将", "把", "已", "曾",
];

/// After a name, words a witness is named with (`…也看见了`).
const WITNESS: &[&str] =
    &["也看见", "也看到", "也知道", "也说", "都看见", "都看到", "可以作证", "能作证", "作证", "亲眼", "证明"];

/// The readings of a name at the start of `s`, longest first (王建国, then 王建: 张三开的 is 张三).
fn name_readings(s: &str) -> Vec<usize> {
    let Some(n) = name_at(s) else { return Vec::new() };
    let mut out = vec![n];
    let name = &s[..n];
    if !name.contains('某')
        && name.chars().count() == 3
        && let Some(sur) = surname_at(name)
        && sur < n
    {
        let short = sur + name[sur..].chars().next().map_or(0, char::len_utf8);
        if short < n {
            out.push(short);
        }
    }
    out
}

fn name_hit(hits: &mut Vec<Hit>, t: &str, at: usize) -> Option<usize> {
    let n = name_at(&t[at..])?;
    push(hits, at, at + n, PiiKind::Name, "某某");
    Some(n)
}

fn names_in_text(t: &str, hits: &mut Vec<Hit>) {
    let p = &*P;
    for m in p.name_intro.find_iter(t).chain(p.owner_intro.find_iter(t)) {
        let rest = &t[m.end()..];
        if HONORIFICS
            .iter()
            .any(|h| rest.get(surname_at(rest).unwrap_or(0)..).is_some_and(|r| r.starts_with(h)))
        {
            continue; // 我是王先生: the honorific rule takes it.
        }
        name_hit(hits, t, m.end());
    }
    // A name opening a clause (or after 的/和/跟) and followed by a verb of telling or witnessing
    // (王建国反映…, 邻居的刘二也看见了), or by what he runs (听说是李二狗家开的, 由张三承包).

    let mut starts: Vec<usize> = p.name_verb.find_iter(t).map(|m| m.end()).collect();
    for (i, c) in t.char_indices() {
        if matches!(
            c,
            '是' | '系'
                | '由'
                | '被'
                | '跟'
                | '与'
                | '和'
                | '找'
                | '叫'
                | '给'
                | '的'
                | '及'
                | '让'
                | '把'
                | '为'
                | '使'
                | '对'
        ) {
            starts.push(i + c.len_utf8());
        }
    }
    for at in starts {
        for n in name_readings(&t[at..]) {
            let after = &t[at + n..];
            let by_clause = at == 0 || t[..at].ends_with(|c: char| !is_han(c));
            if (by_clause && TELLING.iter().any(|v| after.starts_with(v)))
                || P.polluter.is_match(after)
                || WITNESS.iter().any(|v| after.starts_with(v))
            {
                push(hits, at, at + n, PiiKind::Name, "某某");
                break;
            }
        }
    }
    // A name after a word that often, not always, introduces one (叫, 村民, 人员, 俺村): taken when
    // what follows it closes or continues a person's clause (叫刘振江。 俺村范二保那炼油的锅).
    for m in p.weak_intro.find_iter(t) {
        for n in name_readings(&t[m.end()..]) {
            let after = &t[m.end() + n..];
            let closes = after.chars().next().is_none_or(|c| !is_han(c));
            if closes
                || P.polluter.is_match(after)
                || WITNESS.iter().any(|v| after.starts_with(v))
                || TELLING.iter().any(|v| after.starts_with(v))
                || FOLLOW.iter().any(|v| after.starts_with(v))
            {
                push(hits, m.end(), m.end() + n, PiiKind::Name, "某某");
                break;
            }
        }
    }
    // 王某, 李某国, 孙某某: what is left of an anonymised name still gives the surname.
    for (i, _) in t.match_indices('某') {
        let Some(prev) = t[..i].chars().next_back() else { continue };
        let mut st = i - prev.len_utf8();
        // A compound surname (欧阳某).
        if let Some(pp) = t[..st].chars().next_back() {
            let st2 = st - pp.len_utf8();
            if surname_at(&t[st2..]) == Some(i - st2) {
                st = st2;
            }
        }
        if surname_at(&t[st..]).is_none_or(|n| st + n != i) {
            continue;
        }
        let before = t[..st].chars().next_back();
        // 对于某些, 由于某种; 濮阳某某公司 (阳 ends a city's name).
        if "于阳安宁平江华明龙文成".contains(prev)
            && before.is_some_and(|c| is_han(c) && !"的是叫和与跟把被给对为人户主民".contains(c))
        {
            continue;
        }
        let after = t[i + '某'.len_utf8()..].chars().next();
        if after.is_some_and(|c| "些种个项天日年月处地方类次位单件样".contains(c)) {
            continue;
        }
        if let Some(n) = name_at(&t[st..]) {
            push(hits, st, st + n, PiiKind::Name, "某某");
        }
    }
    // A clause that is nothing but a name (，蔡金锁，) or a name in brackets after one (孙某某（孙长军）).
    for clause in t.split(|c: char| "，,。；;！!？?、\n：:（）()“”\"".contains(c)) {
        let c = clause.trim();
        if crate::names::is_name(c) && !c.starts_with('某') {
            let off =
                clause.as_ptr() as usize - t.as_ptr() as usize + (clause.len() - clause.trim_start().len());
            let before = t[..off].chars().next_back();
            let after = t[off + c.len()..].chars().next();
            // Two-letter clauses are names only next to other identity (a name rule, a phone) or in brackets.
            if c.chars().count() >= 3 || matches!((before, after), (Some('（' | '('), Some('）' | ')'))) {
                push(hits, off, off + c.len(), PiiKind::Name, "某某");
            }
        }
    }
    // A villager named after his village (我是前草场村刘广田，).
    for m in p.village_then_name.find_iter(t) {
        if let Some(n) = name_at(&t[m.end()..]) {
            let after = t[m.end() + n..].chars().next();
            if after.is_none_or(|c| !is_han(c))
                || TELLING.iter().chain(FOLLOW).any(|v| t[m.end() + n..].starts_with(v))
            {
                push(hits, m.end(), m.end() + n, PiiKind::Name, "某某");
            }
        }
    }
    // A name in quotes after what says it is one (窑主叫“黑蛋”, 原录入为“官雪莲”).
    static QUOTED: LazyLock<Regex> = LazyLock::new(|| {
        re(r#"(?:叫|名叫|乳名|小名|名为|写作|录入为|称作|绰号|外号)\s*[“"「『]([\p{Han}]{2,4})[”"」』]"#)
    });
    for c in QUOTED.captures_iter(t) {
        if let Some(m) = c.get(1) {
            push(hits, m.start(), m.end(), PiiKind::Name, "某某");
        }
    }
    // Names in Latin letters after an English lead-in or a dash (I am Liu Xiaoyan; — Liu Xiaoyan).
    static LATIN: LazyLock<Regex> = LazyLock::new(|| {
        re(
            r"(?i:i am|i'm|my name is|name\s*[:：]|this is|signed)\s+([A-Z][a-z]+(?:[ -][A-Z][a-z]+){1,2})|[—–-]{1,2}\s*([A-Z][a-z]+ [A-Z][a-z]+)\b",
        )
    });
    for c in LATIN.captures_iter(t) {
        if let Some(m) = c.get(1).or_else(|| c.get(2)) {
            push(hits, m.start(), m.end(), PiiKind::Name, "某某");
        }
    }
    // A name before the courtesy of a letter's close (陳國棟 敬上, 司馬懷遠 謹上).
    static CLOSE: LazyLock<Regex> =
        LazyLock::new(|| re(r"([\p{Han}]{2,4})\s*(?:敬上|谨上|謹上|拜上|敬启|敬啟|谨启|叩上|顿首|頓首)"));
    for c in CLOSE.captures_iter(t) {
        if let Some(m) = c.get(1)
            && let Some(n) = name_at(m.as_str())
        {
            push(hits, m.start(), m.start() + n, PiiKind::Name, "某某");
        }
    }
    // Nicknames after what says they are one (外号叫黑娃, 人称刀疤李), and 张家老二.
    for c in p.alias.captures_iter(t) {
        if let Some(m) = c.get(1) {
            push(hits, m.start(), m.end(), PiiKind::Name, "某某");
        }
    }
    for c in p.family_member.captures_iter(t) {
        if let Some(m) = c.get(0)
            && surname_at(m.as_str()).is_some()
        {
            push(hits, m.start(), m.end(), PiiKind::Name, "某某");
        }
    }
    // Surname + honorific (王先生, 欧阳女士), or a full name before one (王建国先生).
    static HONORIFIC_AC: LazyLock<aho_corasick::AhoCorasick> = LazyLock::new(|| {
        aho_corasick::AhoCorasick::new(HONORIFICS).unwrap_or_else(|e| panic!("honorifics: {e}"))
    });
    // Every occurrence of every honorific (overlapping: 老师傅 and 师傅), in one pass.
    for m in HONORIFIC_AC.find_overlapping_iter(t) {
        let h = HONORIFICS[m.pattern().as_usize()];
        let single = h.chars().count() == 1;
        for i in [m.start()] {
            // 陈(先生): the honorific in brackets after the surname (the reading has ASCII brackets).
            let i = if t[..i].ends_with('(') && t[i + h.len()..].starts_with(')') { i - 1 } else { i };
            let before = &t[..i];
            let starts: Vec<usize> = before.char_indices().rev().take(4).map(|(j, _)| j).collect();
            let mut found = None;
            for &st in starts.iter().rev() {
                let cand = &before[st..];
                let prev = before[..st].chars().next_back();
                let boundary = prev.is_none_or(|c| {
                    !is_han(c) || "叫是的和跟向给找位名个有说请被让联系问壁邻门我俺".contains(c)
                });
                let full = cand.chars().count() >= 2 && name_at(cand) == Some(cand.len());
                let surname = surname_at(cand) == Some(cand.len());
                // A surname alone before a longer honorific needs no boundary (联系刘女士), unless it ends
                // a common word (公司老板, 保安大哥); before a one-letter honorific (王哥) it does.
                let word_end = prev.is_some_and(|p| {
                    let mut w = String::from(p);
                    w.push_str(cand);
                    SURNAME_ENDED_WORDS.contains(&w.as_str())
                });
                if (full && boundary) || (surname && !word_end && (boundary || !single)) {
                    found = Some(st);
                    break;
                }
            }
            if let Some(st) = found {
                push(hits, st, i, PiiKind::Name, "某");
            }
        }
    }
    // 老王 / 小李: 老 or 小 and a surname, then the end of the word.
    for (i, c) in t.char_indices().filter(|(_, c)| matches!(c, '老' | '小')) {
        let at = i + c.len_utf8();
        let Some(s) = t[at..].chars().next() else { continue };
        let end = at + s.len_utf8();
        let after = t[end..].chars().next();
        let boundary =
            after.is_none_or(|ch| !is_han(ch) || "家说的在头讲他她和跟也就是那这开干弄两一".contains(ch));
        if crate::names::is_surname_char(s)
            && boundary
            && !"某百板师人乡伴区时年学街路城吃店孩朋公婆爷头子家型厂作麦河沟村组队".contains(s)
        {
            push(hits, i, end, PiiKind::Name, "某某");
        }
    }
    for c in p.lao_n.captures_iter(t) {
        if let (Some(all), Some(s)) = (c.get(0), c.get(1))
            && surname_at(s.as_str()).is_some_and(|n| n == s.as_str().len())
        {
            push(hits, s.start(), all.end(), PiiKind::Name, "某某");
        }
    }
    for c in p.xing.captures_iter(t) {
        if let Some(s) = c.get(1)
            && s.as_str() != "某"
            && surname_at(s.as_str()) == Some(s.as_str().len())
        {
            push(hits, s.start(), s.end(), PiiKind::Name, "某");
        }
    }
    for c in p.signature.captures_iter(t) {
        if let Some(s) = c.get(1)
            && crate::names::is_name(s.as_str())
        {
            push(hits, s.start(), s.end(), PiiKind::Name, "某某");
        }
    }
    // A bare name on one of the last lines of a letter (the signature).
    let lines: Vec<(usize, &str)> = t
        .split('\n')
        .scan(0, |pos, l| {
            let s = *pos;
            *pos += l.len() + 1;
            Some((s, l))
        })
        .collect();
    for &(ls, line) in lines.iter().rev().filter(|(_, l)| !l.trim().is_empty()).take(3) {
        let trimmed = line.trim_start();
        let off = ls + (line.len() - trimmed.len());
        let body = trimmed.trim_end_matches(|c: char| !is_han(c));
        let body = body.strip_prefix("举报人").or_else(|| body.strip_prefix("反映人")).unwrap_or(body);
        let off =
            off + (trimmed.len() - trimmed.trim_start_matches("举报人").trim_start_matches("反映人").len());
        if crate::names::is_name(body) {
            push(hits, off, off + body.len(), PiiKind::Name, "某某");
        }
    }
    // A name right before a phone number (王建国 13803930123, 王建国，电话：…).
    let phone_starts: Vec<usize> =
        hits.iter().filter(|h| h.kind == PiiKind::Phone).map(|h| h.start).collect();
    for ps in phone_starts {
        let head = t[..ps].trim_end_matches(|c: char| c.is_whitespace() || "，,:：（(".contains(c));
        let head = ["联系电话", "电话号码", "手机号码", "手机号", "电话", "手机", "联系方式"]
            .iter()
            .find_map(|w| head.strip_suffix(w))
            .unwrap_or(head)
            .trim_end_matches(|c: char| c.is_whitespace() || "，,:：".contains(c));
        let starts: Vec<usize> = head.char_indices().rev().take(4).map(|(i, _)| i).collect();
        for &st in starts.iter().rev() {
            let cand = &head[st..];
            let prev = head[..st].chars().next_back();
            if prev.is_none_or(|c| !is_han(c) || "叫是人：".contains(c)) && crate::names::is_name(cand) {
                push(hits, st, head.len(), PiiKind::Name, "某某");
                break;
            }
        }
    }
}

fn addresses(t: &str, hits: &mut Vec<Hit>) {
    let p = &*P;
    // After 家住/住在/地址 …: the compound and unit detail, or a house number on a road or in a village.
    // The compound stays when the source is in it (小区南侧的洗车店); its building and flat go.
    let keep_compound = source_at_compound(t);
    for m in p.address_lead.find_iter(t) {
        let tail_end = t[m.end()..]
            .find(['，', ',', '。', '；', ';', '\n', '！', '？'])
            .map_or(t.len(), |i| m.end() + i);
        let tail = &t[m.end()..tail_end];
        if let Some(d) = p.address_detail.find(tail) {
            let from = if keep_compound {
                d.as_str().find(|c: char| c.is_ascii_digit()).unwrap_or(d.len())
            } else {
                0
            };
            let (s, e) = (m.end() + d.start() + from, m.end() + d.end());
            if t[s..e].trim().chars().count() >= 2 {
                push(hits, s, e, PiiKind::Address, PiiKind::Address.token());
            }
        }
        static HOUSE: LazyLock<Regex> = LazyLock::new(|| {
            Regex::new(
                r"(?:路|街|巷|胡同|村|组|庄|道|屯|寨|集|营)(\d+\s*(?:号院|号楼|号|组))|^(\d+\s*(?:组|号))",
            )
            .unwrap_or_else(|e| panic!("{e}"))
        });
        for c in HOUSE.captures_iter(tail) {
            if let Some(g) = c.get(1).or_else(|| c.get(2)) {
                push(
                    hits,
                    m.end() + g.start(),
                    m.end() + g.end(),
                    PiiKind::Address,
                    PiiKind::Address.token(),
                );
            }
        }
    }
    // Compound + building/unit numbers anywhere (幸福小区3号楼2单元501) are a home address.
    static UNIT_TOKEN: LazyLock<Regex> =
        LazyLock::new(|| re(r"\d+\s*(?:号楼|号院|栋|幢|排|单元|楼|层|室|户|号|门|组)"));
    // Only details with a number are hidden anywhere; a text without digits has none.
    let digits = t.bytes().any(|b| b.is_ascii_digit());
    for m in p.address_detail.find_iter(t).filter(|_| digits) {
        let s = m.as_str();
        if ["单元", "室", "号楼", "栋", "幢", "号院"].iter().any(|w| s.contains(w))
            || UNIT_TOKEN.find_iter(s).count() >= 2
        {
            // The compound stays when the source is in it (小区南侧的洗车店); its building and flat go.
            let from =
                if keep_compound { s.find(|c: char| c.is_ascii_digit()).unwrap_or(s.len()) } else { 0 };
            push(hits, m.start() + from, m.end(), PiiKind::Address, PiiKind::Address.token());
        }
    }
    for c in p.group_no.captures_iter(t).chain(p.group_self.captures_iter(t)) {
        if let Some(g) = c.get(1) {
            push(hits, g.start(), g.end(), PiiKind::Address, PiiKind::Address.token());
        }
    }
    for pat in [&p.door_no, &p.house_no] {
        for m in pat.find_iter(t) {
            let shop =
                ["底商", "商铺", "门面", "门市", "楼顶", "屋顶"].iter().any(|w| t[m.end()..].starts_with(w));
            if !shop {
                push(hits, m.start(), m.end(), PiiKind::Address, PiiKind::Address.token());
            }
        }
    }
}

/// Words that tie the complained-of source to where the complainant lives.
static SOURCE_AT_HOME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:我|俺|咱)们?(?:村|社区|小区|这边|这儿|这里|这块|这片|庄上|屯里)|(?:我|俺|咱)们?(?:家|楼|院)的?(?:旁边|附近|后面|前面|对面|东边|西边|南边|北边|后边|前边|门口|隔壁|楼下|楼上|院里|周围|里|边上|后头|前头|东头|西头)|(?:我|俺|咱)们?家就?(?:挨着|紧挨着|紧挨|靠着|挨)|(?:小区|社区)[东西南北里内外边旁后前门楼锅]|整个村|全村|村子|本村|村里|村内|村中|村[东西南北](?:头|边|面|侧|部)?|村头|村口|村边|村外|本社区|社区里|社区内|本小区|小区里|小区内|楼下|楼上|家门口|房后|屋后|俺这|我们这|咱这|俺们这|俺庄",
    )
    .unwrap_or_else(|e| panic!("{e}"))
});

/// Whether the text places the complained-of source where the complainant lives (the residence
/// is `t[s..e]`). A village word (村里, 村东头, 社区北侧) counts only as the complainant's own (俺村,
/// 本村, or standing alone), not as the end of another place's name (西岳村北边, 后漳消社区北侧;
/// 小区 is a common noun, 反映小区南边 is the complainant's own);
/// and standing alone it refers to another village when the text names one (前任寨村的养猪户…排到
/// 村西渠里).
fn source_at_home(t: &str, s: usize, e: usize) -> bool {
    const OWN: &str = "俺我本咱们这全整个在是的说就到从往同";
    let bare = |at: usize| t[..at].chars().next_back().is_none_or(|c| !is_han(c) || OWN.contains(c));
    let other_place = || {
        static PLACE: LazyLock<Regex> = LazyLock::new(|| re(r"\p{Han}(?:村|社区)"));
        let full = &t[s..e];
        let mentions: Vec<(usize, usize)> = t.match_indices(full).map(|(i, f)| (i, i + f.len())).collect();
        PLACE.find_iter(t).any(|m| {
            let outside = !mentions.iter().any(|&(a, b)| a <= m.start() && m.end() <= b);
            outside
                && !OWN.contains(m.as_str().chars().next().unwrap_or('的'))
                && !t[m.end()..].starts_with(|c: char| "民乡镇集街".contains(c))
        })
    };
    SOURCE_AT_HOME.find_iter(t).any(|m| {
        let word = m.as_str();
        if !(word.starts_with('村') || word.starts_with("社区")) {
            return true;
        }
        bare(m.start()) && !other_place()
    })
}

/// Whether the text places the source in or by the complainant's own building or compound.
fn source_at_compound(t: &str) -> bool {
    static AT: LazyLock<Regex> = LazyLock::new(|| {
        re(
            r"小区[东西南北里内外边旁后前门楼锅]|(?:本|我们|俺们|咱)小区|楼下|楼上|楼后|楼前|楼顶|院里|院内|家门口|(?:我|俺|咱)家(?:旁边|附近|后面|前面|对面|楼下|楼上|门口|隔壁)",
        )
    });
    AT.is_match(t)
}

/// Where the part of a place below the township starts: after its last township (镇, 乡, 街道,
/// 办事处), else after the county (县, or 区 that is not part of 社区/小区/园区/景区), else at 0.
fn below_township(text: &str) -> usize {
    // A township word followed by a village suffix is part of a village's name (徐镇村, 北街村).
    let town = ["街道办事处", "办事处", "街道", "镇", "乡"]
        .iter()
        .flat_map(|w| text.match_indices(w).map(move |(i, _)| i + w.len()))
        .filter(|&e| {
            !text[e..].starts_with(|c: char| "村庄屯寨".contains(c)) && !text[e..].starts_with("社区")
        })
        .max();
    if let Some(t) = town {
        return t;
    }
    let mut cut = text.rfind('县').map_or(0, |i| i + '县'.len_utf8());
    for (i, _) in text.match_indices('区') {
        let prev = text[..i].chars().next_back();
        if !prev.is_some_and(|c| "社小园景营城校".contains(c)) {
            cut = cut.max(i + '区'.len_utf8());
        }
    }
    cut
}

/// A complainant placing himself (`我是胜利路街道马呼屯社区居民`, `我家住东陈庄村`): the village or
/// community below the township is the residence. Where the complaint is about that same place (its
/// name is used again, or the source is placed by it: 俺村/村里/楼下/我家旁边) the name stays — the
/// source's location is public — and only dwelling details go; otherwise it becomes `某社区`/`某村`.
fn residence(t: &str, hits: &mut Vec<Hit>) {
    static SELF_IS: LazyLock<Regex> = LazyLock::new(|| {
        re(
            r"(?:我是|本人是|本人系|俺是|咱是|我们是|我们都是|俺们是|我系|我老家是|俺老家是|老家是|我也是|俺也是|(?:来电人|举报人|反映人|投诉人|来信人|当事人|来访人)(?:称其?|说其?)?(?:为|是|系))([^，,。；;！!？?\n：:]{2,24}?)(?:的村民|的居民|村民|居民|住户|业主|的住户|的业主|的|哩|嘞|滴|人)",
        )
    });
    static SELF_LIVES: LazyLock<Regex> = LazyLock::new(|| {
        re(
            r"(?:我家住|我家在|俺家住|俺家在|咱家在|家住|本人住|本人家住|我住|住在|我们住|俺住|现居住于|居住在|老家在|老家住|我在|俺在|本人在|我就住|就住在|(?:举报人|来电人|反映人|投诉人|来信人|当事人|其|母亲|父亲|家属|老人|亲属)(?:家)?住|(?:^|[，,。；;、\s（(])住)(?:在|于)?([^，,。；;！!？?\n：:]{2,30})",
        )
    });
    const SUFFIXES: &[&str] = &["社区", "小区", "新村", "家园", "花园", "村", "庄", "屯", "寨", "集", "营"];
    const STOP: &str = "的在住于是到了个那这说和与及我你他她们家有路街道巷";
    static SELF_NAMED: LazyLock<Regex> = LazyLock::new(|| {
        re(r"(?:我是|俺是|本人是|我叫|俺叫|——|—|--)\s*([^，,。；;！!？?\n：:—]{2,14}?(?:村|社区|庄|屯|寨))")
    });
    // 来电人称王建国是王助镇大村村民: a person (named, or 其/他/她) said to live somewhere.
    static THIRD: LazyLock<Regex> =
        LazyLock::new(|| re(r"(?:是|系|为)([^，,。；;！!？?\n：:]{2,16}?)(?:的村民|的居民|村民|居民)"));
    for (k, pat) in [&*SELF_IS, &*SELF_LIVES, &*SELF_NAMED, &*THIRD].into_iter().enumerate() {
        for c in pat.captures_iter(t) {
            let Some(place) = c.get(1) else { continue };
            if k == 3 {
                let Some(all) = c.get(0) else { continue };
                let before = &t[..all.start()];
                let person = ["其", "他", "她", "某某", "本人", "自己"].iter().any(|w| before.ends_with(w))
                    || (2..=4).any(|n| {
                        let st = back(before, before.len(), n);
                        crate::names::is_name(&before[st..])
                    });
                if !person {
                    continue;
                }
            }
            // 我是前草场村刘广田, a signature —— 侯耿村王五: only when a name follows the place.
            if k == 2
                && name_at(&t[place.end()..]).is_none()
                && !hits.iter().any(|h| h.kind == PiiKind::Name && h.start == place.end())
            {
                continue;
            }
            let text = place.as_str();
            let cut = below_township(text);
            let sub = &text[cut..];
            let Some((suffix_at, first)) = SUFFIXES
                .iter()
                .filter_map(|s| sub.find(s).map(|i| (i, *s)))
                .min_by_key(|(i, s)| (*i, std::cmp::Reverse(s.len())))
            else {
                continue;
            };
            // 东陈庄村, 马呼屯社区: a suffix followed by another belongs to one name.
            let mut name_end = suffix_at + first.len();
            let mut suffix = first;
            while let Some(next) = SUFFIXES.iter().find(|s| sub[name_end..].starts_with(**s)) {
                name_end += next.len();
                suffix = next;
            }
            // The name: the Chinese letters right before the suffix (at most six), up to a function word.
            let head = &sub[..suffix_at];
            // A road word right before the suffix is part of the name (北街村); further back it ends it.
            let base_start = head
                .char_indices()
                .rev()
                .enumerate()
                .take_while(|(k, (_, ch))| {
                    is_han(*ch) && (!STOP.contains(*ch) || (*k == 0 && "路街道巷".contains(*ch)))
                })
                .take(6)
                .last()
                .map_or(head.len(), |(_, (i, _))| i);
            // 隔壁侯耿村: a word of position before the name is not part of it.
            let base_start = ["隔壁", "旁边", "对面", "附近", "邻近", "邻村", "前面", "后面"]
                .iter()
                .find(|w| head[base_start..].starts_with(**w) && head.len() > base_start + w.len())
                .map_or(base_start, |w| base_start + w.len());
            let base = &head[base_start..];
            if base.is_empty() || base.starts_with('某') {
                continue;
            }
            let s = place.start() + cut + base_start;
            let e = place.start() + cut + name_end;
            // 渠村乡 is a township, not 渠村.
            if t[e..].starts_with(|c: char| "乡镇县区市街".contains(c)) {
                continue;
            }
            // Named again (as the full name, or as the base not followed by a township word)?
            let full = &t[s..e];
            // A mention that is itself the complainant placing himself (家在…, —— X村老贾) says
            // nothing about where the source is.
            let placing = |hay: &str, i: usize| {
                let lead = hay[..i].trim_end();
                ["住", "住在", "家在", "—", "我是", "俺是", "隔壁"].iter().any(|w| lead.ends_with(w))
            };
            let again = |hay: &str| {
                hay.match_indices(full).any(|(i, _)| !placing(hay, i))
                    || (base.chars().count() >= 2
                        && hay.match_indices(base).any(|(i, _)| {
                            !hay[i + base.len()..].starts_with(|c: char| "镇乡县区市街".contains(c))
                                && !placing(hay, i)
                        }))
            };
            let elsewhere = again(&t[..s]) || again(&t[e..]);
            if !elsewhere && !source_at_home(t, s, e) {
                push(hits, s, e, PiiKind::Residence, format!("某{suffix}"));
            }
            // 其住邢楼村后街: the street or lane inside the village is a dwelling detail either way.
            static LANE: LazyLock<Regex> =
                LazyLock::new(|| re(r"^(?:前|后|东|西|南|北|中|大|小)?(?:街|胡同|巷)(?:\d+号)?"));
            if let Some(l) = LANE.find(&t[e..]) {
                push(hits, e, e + l.end(), PiiKind::Address, PiiKind::Address.token());
            }
        }
    }
}

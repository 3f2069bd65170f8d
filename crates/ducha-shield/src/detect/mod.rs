//! The detectors: where in a normalised reading ([`Norm`]) a person is identified.
//!
//! Two kinds of knowledge: the case's own sealed identity ([`Known`], matched however it is written),
//! and the shapes of identifying data in general (phones, ID numbers, e-mails, chat handles, dwelling
//! addresses, personal names, a complainant placing himself in a village or community).
//!
//! The general detectors live in submodules by what they find: `numbers` (phones and ID numbers across
//! separators, group by group, masked numbers), `contacts` (e-mails written or spoken, chat accounts,
//! @handles and poster names, a phone's tail, car plates), `persons` (personal names in all their
//! forms: after lead-ins, before verbs of telling, as polluters or witnesses, 某-forms, nicknames,
//! honorifics, signatures, spelled-out characters) and `places` (dwelling details and the
//! complainant's own village or community). This module holds what they share — [`Hit`], [`Known`],
//! the pattern set — and [`detect`], which runs them in order.

use std::sync::LazyLock;

use regex::Regex;

use crate::norm::Norm;
use crate::{Identity, PiiKind};

mod contacts;
mod numbers;
mod persons;
mod places;

pub(crate) use contacts::is_institution;

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
            r#"(?i)(?:微信号?|微信id|v信|威信|薇信|徽信|vx|wx|weixin|wechat|企鹅号?|扣扣|qq|抖音号?|快手号?|douyin|微博号?|钉钉号?|小红书号?|视频号|openid|unionid|uid|用户id)\s*(?:号码|号|id)?\s*(?:是|为|:)?\s*[“"「『（(]?\s*([A-Za-z0-9][-_A-Za-z0-9]{4,29})"#,
        ),
        at_handle: r(r#"@([^\s，,。：:；;！!？?、@（）()“”"'【】\[\]<>《》]{2,24})"#),
        username: r(
            r#"(?:网友|网民|博主|楼主|吧友|群友|粉丝|帖主|用户名?|昵称|网名|账号|UP主|up主|主播|作者|回答者|答主|发布者|提问者|评论者|评论人|回复者|层主)\s*[:：]?\s*[“"「『]([^”"」』\n【】]{2,24})[”"」』]|(?:用户名|昵称|网名|账号|楼主|博主|网友|作者|发帖人|主播|评论人)\s*[:：]\s*@?([^\s，,。；;！!？?、@【】]{2,24})"#,
        ),
        name_intro: r(
            r"(?:我叫|他叫|她叫|俺叫|咱叫|我名叫|我名儿叫|俺名叫|名字叫|名儿叫|名叫|叫做|我是|俺是|本人是|本人系|本人|我姓|俺姓|姓名|举报人|投诉人|反映人|来电人|来信人|来访人|联系人|当事人|知情人|证人|目击者|署名|落款|签名|具名|户主|邻居|家属|老伴|丈夫|妻子|儿子|女儿|父亲|母亲|委托人|报案人|求助人|申请人|致电人|本名|原名|真名|学名|弟弟|哥哥|姐姐|妹妹|爸爸|妈妈|俺爹|俺娘|俺爸|俺妈|我爹|我娘|老公|老婆|媳妇|公公|岳父|岳母|丈人|小舅子|大舅子|亲戚|侄子|外甥|孙子|孙女|爷爷|奶奶|姥爷|姥姥|表哥|表弟|堂哥|堂弟|大舅|二舅|小舅|大姨|小姨|大伯|二伯|大叔|二叔|三叔|婶子|嫂子|姐夫|妹夫|姑父|姨夫|侄女|外甥女|孩子|我弟|我哥|我姐|我妹|俺弟|俺哥|俺姐|俺妹|爱人|对象|代表)儿?(?:代表)?[:\s]*",
        ),
        owner_intro: r(
            r"(?:法定代表人|老板娘|老板|厂长|场长|负责人|经营者|经营户|承包人|承包者|业主|房东|法人代表|法人|老总|场主|窑主|矿主|租户|个体户|实际控制人|车主|司机|养殖户|养猪户|养鸡户|养牛户|养羊户|养鸭户|种植户|经营户|收购户|摊主|摊贩|业户|商户|店主|散户|窑户|厂主|承租人)(?:叫|是|为|系|姓名|名叫|就是)?[:\s]*",
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
            r#"(?:外号|绰号|小名|乳名|叫我|叫他|叫她|喊我|喊他|大名(?:叫|是|为)|诨名|人称|人送外号|都叫他|都喊他|大家叫他|都叫她|大家都叫他|村里人叫他)(?:叫|是|为)?\s*[“"「『]?([\p{Han}]{2,4}?)(?:[”"」』]|[，,。；;！!？?\s()（）]|的|家|在|开|办|干|弄|搞|也|就|这|那|是|$)"#,
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

/// Byte offset `n` chars before `i`.
pub(crate) fn back(s: &str, i: usize, n: usize) -> usize {
    s[..i].char_indices().rev().nth(n.saturating_sub(1)).map_or(0, |(j, _)| j)
}

fn push(hits: &mut Vec<Hit>, start: usize, end: usize, kind: PiiKind, rep: impl Into<String>) {
    if start < end {
        hits.push(Hit { start, end, kind, replacement: rep.into() });
    }
}

/// Every place in `norm` that identifies a person, given the case's own identity.
pub(crate) fn detect(norm: &Norm, known: &Known, public_numbers: &[String]) -> Vec<Hit> {
    let t = norm.text();
    let mut hits: Vec<Hit> = Vec::new();
    numbers::numbers(t, known, public_numbers, &mut hits);
    contacts::contacts(t, &mut hits);
    contacts::plates(t, &mut hits);
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
    let keep_compound = places::source_at_compound(t);
    for d in &known.details {
        for (i, _) in t.match_indices(d.as_str()) {
            let from =
                if keep_compound { d.find(|c: char| c.is_ascii_digit()).unwrap_or(d.len()) } else { 0 };
            push(&mut hits, i + from, i + d.len(), PiiKind::Address, PiiKind::Address.token());
        }
    }

    persons::names_in_text(t, &mut hits);
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
    persons::spellings(t, &mut hits);
    places::addresses(t, &mut hits);
    places::residence(t, &mut hits);
    hits
}

//! PII redactor: removes private persons' identity from complaint text before anything public is
//! rendered (环境保护法 art. 57: the complainant's identity is confidential).
//!
//! Replacement convention, one per kind, readable and obviously redacted, and chosen so that a second
//! pass changes nothing (idempotent):
//!
//! | kind | example in | out |
//! |---|---|---|
//! | full name (record, 我叫…, 举报人：…, signature) | 王建国 | 王某 (surname + 某, as Chinese disclosures write) |
//! | surname + honorific | 王先生 / 李师傅 / 张大爷 | 某先生 / 某师傅 / 某大爷 |
//! | 老X / 小X, 姓X | 老王 / 姓王的 | 某某 / 姓某的 |
//! | phone (mobile, landline, +86, spaced, dashed, full-width) | 138 0393 0123 | 【电话】 |
//! | ID-card number (18 digits with checksum or a valid birth date, 15 digits) | 41092819… | 【身份证号】 |
//! | e-mail | a@b.cn | 【邮箱】 |
//! | QQ / WeChat id (the value after the label) | QQ：12345678 | QQ：【账号】 |
//! | home address detail (小区/号楼/单元/室/号院 …) | 幸福小区3号楼2单元501 | 【住址】 |
//!
//! Kept on purpose: enterprise, shop, road, village, township and county names; 400/800 business
//! numbers and short public hotlines (12345, 12369); the township/village part of a home address.

use std::sync::LazyLock;

use regex::Regex;
use serde::{Deserialize, Serialize};

use crate::text::{Folded, is_han};

/// What the complaint record knows about the complainant (any field may be missing).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Identity {
    pub name: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
    pub id_number: Option<String>,
}

/// Kind of a removed span.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PiiKind {
    Name,
    Phone,
    IdNumber,
    Email,
    Account,
    Address,
}

impl PiiKind {
    fn token(self) -> &'static str {
        match self {
            PiiKind::Name => "某某",
            PiiKind::Phone => "【电话】",
            PiiKind::IdNumber => "【身份证号】",
            PiiKind::Email => "【邮箱】",
            PiiKind::Account => "【账号】",
            PiiKind::Address => "【住址】",
        }
    }
}

/// One removed span, as byte offsets into the ORIGINAL text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RedactedSpan {
    pub kind: PiiKind,
    pub start: usize,
    pub end: usize,
}

/// The redacted text and what was removed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Redacted {
    pub text: String,
    pub spans: Vec<RedactedSpan>,
}

/// Common single-character surnames (百家姓, the most frequent few hundred).
const SURNAMES: &str = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝";
const COMPOUND_SURNAMES: &[&str] = &[
    "欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "夏侯", "司徒", "宇文",
    "长孙",
];

/// Characters that end a name candidate (function words, verbs, place suffixes …).
const NAME_STOP: &str = "的是在住家电话手机联系反映向举报投诉村镇乡县区市街路号今年岁人说和跟也都就这那请想要给对从于了啊呢吧嗯，。,.、；;：:！!？? \n\t（）()“”\"'某厂店场站司院楼室组";
/// A candidate followed by one of these is a place (王庄村, 李楼镇), not a person.
const PLACE_AFTER: &[char] = &[
    '村', '庄', '镇', '乡', '县', '区', '市', '屯', '寨', '集', '营', '厂', '店', '路', '街', '社', '小',
    '湾', '铺', '桥', '口',
];
/// Place-like final letters: a "name" ending in one of these is a village (王庄, 张集).
const PLACE_FINAL: &[char] = &[
    '庄', '屯', '寨', '集', '营', '楼', '村', '镇', '乡', '县', '桥', '口', '店', '湾', '堤', '岗', '堌',
    '固', '铺',
];
const HONORIFICS: &[&str] = &[
    "先生", "女士", "小姐", "师傅", "大爷", "大妈", "大娘", "大姐", "大哥", "阿姨", "老师", "同志", "奶奶",
    "爷爷", "婶", "叔", "老汉", "老太", "大叔", "大婶",
];

/// Everyday words that start with a surname letter (周边, 高中 …): never names.
const NOT_NAMES: &[&str] = &[
    "周边",
    "周围",
    "周末",
    "高中",
    "高速",
    "高楼",
    "高压",
    "本地",
    "本村",
    "当地",
    "东边",
    "西边",
    "南边",
    "北边",
    "东头",
    "西头",
    "前面",
    "后面",
    "上面",
    "下面",
    "常年",
    "长期",
    "双方",
    "全体",
    "全村",
    "方圆",
    "黄河",
    "金堤",
    "马路",
    "路过",
    "向您",
    "向你",
    "向领导",
    "和我",
    "关于",
    "于是",
    "文明",
    "安全",
    "安静",
    "白天",
    "夏天",
    "冬天",
    "秋天",
    "春天",
    "江河",
    "石料",
    "石灰",
    "何时",
    "任何",
    "成天",
    "武装",
    "时间",
    "明天",
    "明显",
    "龙头",
    "雷声",
    "江边",
    "万一",
    "平时",
    "易燃",
    "温度",
    "康复",
    "齐心",
    "单位",
    "乔迁",
    "范围",
    "施工",
    "谷物",
    "史上",
    "田地",
    "田里",
    "田间",
    "司机",
    "黎明",
    "洪水",
    "牛棚",
    "牛场",
    "羊场",
    "孙子",
    "包括",
    "向上",
    "向下",
    "左右",
    "左边",
    "右边",
    "汤水",
    "邻居",
    "林地",
    "毛病",
    "连续",
    "连夜",
    "宁愿",
    "尚未",
    "曲线",
    "景区",
    "路边",
    "路口",
    "沙土",
    "沙石",
    "管道",
    "车间",
    "车辆",
    "项目",
    "池塘",
    "查处",
    "查看",
    "和平",
    "师傅",
    "朱砂",
    "胡同",
    "程序",
    "苏醒",
    "严重",
    "应该",
    "党员",
    "全部",
    "全天",
    "席子",
    "米粉",
    "冷却",
    "凌晨",
    "华龙",
    "台前",
    "南乐",
    "清丰",
    "卫生",
];

fn is_surname_at(s: &str) -> Option<usize> {
    if let Some(c) = COMPOUND_SURNAMES.iter().find(|c| s.starts_with(**c)) {
        return Some(c.len());
    }
    let c = s.chars().next()?;
    SURNAMES.contains(c).then(|| c.len_utf8())
}

fn surname_of(name: &str) -> &str {
    match is_surname_at(name) {
        Some(n) => &name[..n],
        None => name.char_indices().nth(1).map(|(i, _)| &name[..i]).unwrap_or(name),
    }
}

/// A person's name starting at `s`: surname + 1–2 given-name letters. Returns its byte length.
fn name_at(s: &str) -> Option<usize> {
    let sur = is_surname_at(s)?;
    let mut end = sur;
    let mut given = 0;
    for c in s[sur..].chars() {
        if given >= 2 || !is_han(c) || NAME_STOP.contains(c) {
            break;
        }
        end += c.len_utf8();
        given += 1;
    }
    if given == 0 {
        return None;
    }
    let name = &s[..end];
    if NOT_NAMES.iter().any(|w| name.starts_with(w)) {
        return None;
    }
    let after = s[end..].chars().next();
    if after.is_some_and(|c| PLACE_AFTER.contains(&c))
        || name.chars().last().is_some_and(|c| PLACE_FINAL.contains(&c))
    {
        // 王庄村 / 李楼镇: a place. Try the shorter reading (surname + 1) unless it is a place too.
        if given == 2 {
            let short_end = sur + s[sur..].chars().next().map_or(0, char::len_utf8);
            let next = s[short_end..].chars().next();
            let short_last = s[..short_end].chars().last();
            if !next.is_some_and(|c| PLACE_AFTER.contains(&c) || PLACE_FINAL.contains(&c))
                && !short_last.is_some_and(|c| PLACE_FINAL.contains(&c))
            {
                return Some(short_end);
            }
        }
        return None;
    }
    Some(end)
}

struct Patterns {
    mobile: Regex,
    landline: Regex,
    bare_phone: Regex,
    id18: Regex,
    id15: Regex,
    email: Regex,
    qq: Regex,
    wechat: Regex,
    name_intro: Regex,
    honorific: Regex,
    lao: Regex,
    xing: Regex,
    address: Regex,
    address_detail: Regex,
    signature: Regex,
    cn_digits: Regex,
}

fn cn_digit(c: char) -> Option<char> {
    Some(match c {
        '零' | '〇' | '洞' => '0',
        '一' | '幺' | '壹' => '1',
        '二' | '两' | '贰' => '2',
        '三' | '叁' => '3',
        '四' | '肆' => '4',
        '五' | '伍' => '5',
        '六' | '陆' => '6',
        '七' | '柒' | '拐' => '7',
        '八' | '捌' => '8',
        '九' | '玖' | '勾' => '9',
        _ => return None,
    })
}

static P: LazyLock<Patterns> = LazyLock::new(|| {
    let r = |s: &str| Regex::new(s).unwrap_or_else(|e| panic!("redactor regex {s}: {e}"));
    let hon = HONORIFICS.join("|");
    // A residential compound name: letters not containing admin/road suffixes, then a compound word.
    let compound = r"[^\s\d县区镇乡市村路街道，,。：:；;、！!？?（）()]{1,10}?(?:小区|花园|家园|公寓|大厦|家属院|家属楼|新村|苑|府|庭|居|湾|城|院)";
    let unit = r"(?:\d+|[一二三四五六七八九十百]+)\s*(?:号楼|号院|栋|幢|排|单元|楼|层|室|户|号|门|巷|组)";
    let room = r"(?:\d{1,5}(?:室|号|户)?)?";
    Patterns {
        mobile: r(r"(?:(?:\+|00)?86[\s-]?)?1[3-9]\d(?:[\s-]?\d){8}"),
        landline: r(r"(?:\(0\d{2,3}\)|0\d{2,3})[\s-]?\d{7,8}(?:-\d{1,4})?"),
        bare_phone: r(r"(?:电话|手机|座机|号码|联系方式|联系|打|拨|call|TEL|Tel|tel)[^\d\n]{0,6}(\d{7,8})"),
        id18: r(r"\d{6}[\s-]?\d{8}[\s-]?\d{3}[\dXx]"),
        id15: r(r"\d{15}"),
        email: r(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}"),
        qq: r(r"(?i)(?:qq|扣扣)(?:号码|号)?\s*(?:是|为)?[:\s]*(\d{5,11})"),
        wechat: r(
            r"(?i)(?:微信号?|微信ID|vx|wx|weixin|wechat)\s*(?:是|为)?[:\s]*([A-Za-z][-_A-Za-z0-9]{5,19}|1[3-9]\d{9})",
        ),
        name_intro: r(
            r"(?:我叫|我是|本人|我姓|名叫|叫做|姓名|举报人|投诉人|反映人|来电人|联系人|署名|落款|户主|老板叫|老板是|负责人是|负责人|厂长是|厂长|业主|房东|邻居|村民|承包人|经营者|车主|司机)[:\s]*",
        ),
        honorific: r(&format!(r"({hon})")),
        lao: r(r"[老小]([\p{Han}])"),
        xing: r(r"姓([\p{Han}]{1,2}?)(?:的|，|,|\s|师傅|先生|女士|老板|大爷|大妈|$)"),
        address: r(r"(?:家住|住在|住址|家庭住址|现住|居住在|我住|本人住|地址)[:\s]*(?:在)?"),
        address_detail: r(&format!(
            r"(?:{compound})?\s*(?:{unit}[\s-]*)+{room}|{compound}\s*\d+-\d+-\d+|\d+-\d+-\d+|{compound}"
        )),
        cn_digits: r(r"[零〇一幺二两三四五六七八九][\s-]*(?:[零〇洞一幺二两三四五六七八九拐勾][\s-]*){6,11}"),
        signature: r(r"(?:此致|敬礼|谢谢|特此举报|特此反映)[\s\S]{0,12}?\n\s*([\p{Han}]{2,4})\s*(?:\n|$|\d)"),
    }
});

fn digits_around_ok(t: &str, s: usize, e: usize) -> bool {
    let before = t[..s].chars().next_back();
    let after = t[e..].chars().next();
    !before.is_some_and(|c| c.is_ascii_digit()) && !after.is_some_and(|c| c.is_ascii_digit())
}

fn id18_valid(digits: &str) -> bool {
    let d: Vec<char> = digits.chars().filter(|c| !c.is_whitespace() && *c != '-').collect();
    if d.len() != 18 {
        return false;
    }
    const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const C: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];
    let mut sum = 0;
    for (i, w) in W.iter().enumerate() {
        let Some(v) = d[i].to_digit(10) else { return false };
        sum += v * w;
    }
    let check = C[(sum % 11) as usize];
    let birth_ok = plausible_date(&d[6..14].iter().collect::<String>());
    d[17].to_ascii_uppercase() == check || birth_ok
}

fn plausible_date(yyyymmdd: &str) -> bool {
    if yyyymmdd.len() != 8 {
        return false;
    }
    let y: u32 = yyyymmdd[..4].parse().unwrap_or(0);
    let m: u32 = yyyymmdd[4..6].parse().unwrap_or(0);
    let d: u32 = yyyymmdd[6..8].parse().unwrap_or(0);
    (1900..=2030).contains(&y) && (1..=12).contains(&m) && (1..=31).contains(&d)
}

#[derive(Debug, Clone)]
struct Hit {
    start: usize,
    end: usize,
    kind: PiiKind,
    replacement: String,
}

/// Removes private persons' identity from `text`. Idempotent: `redact(redact(x).text) == redact(x).text`.
pub fn redact(text: &str, known: &Identity) -> Redacted {
    let folded = Folded::new(text);
    let t = folded.text.as_str();
    let mut hits: Vec<Hit> = Vec::new();
    let p = &*P;
    let push = |hits: &mut Vec<Hit>, start: usize, end: usize, kind: PiiKind, rep: String| {
        if start < end {
            hits.push(Hit { start, end, kind, replacement: rep });
        }
    };

    // Structured identifiers first.
    for m in p.email.find_iter(t) {
        push(&mut hits, m.start(), m.end(), PiiKind::Email, PiiKind::Email.token().into());
    }
    for m in p.id18.find_iter(t) {
        if digits_around_ok(t, m.start(), m.end()) && id18_valid(m.as_str()) {
            push(&mut hits, m.start(), m.end(), PiiKind::IdNumber, PiiKind::IdNumber.token().into());
        }
    }
    for m in p.id15.find_iter(t) {
        let s = m.as_str();
        if digits_around_ok(t, m.start(), m.end()) && plausible_date(&format!("19{}", &s[6..12])) {
            push(&mut hits, m.start(), m.end(), PiiKind::IdNumber, PiiKind::IdNumber.token().into());
        }
    }
    for m in p.mobile.find_iter(t) {
        if digits_around_ok(t, m.start(), m.end()) {
            push(&mut hits, m.start(), m.end(), PiiKind::Phone, PiiKind::Phone.token().into());
        }
    }
    for m in p.landline.find_iter(t) {
        let s = m.as_str();
        if digits_around_ok(t, m.start(), m.end()) && !s.starts_with("400") && !s.starts_with("800") {
            push(&mut hits, m.start(), m.end(), PiiKind::Phone, PiiKind::Phone.token().into());
        }
    }
    for c in p.bare_phone.captures_iter(t) {
        if let Some(m) = c.get(1)
            && digits_around_ok(t, m.start(), m.end())
        {
            push(&mut hits, m.start(), m.end(), PiiKind::Phone, PiiKind::Phone.token().into());
        }
    }
    // Phones read out digit by digit in Chinese numerals (一八九三九三一八八零六).
    for m in p.cn_digits.find_iter(t) {
        let digits: String = m.as_str().chars().filter_map(cn_digit).collect();
        let mobile = digits.len() == 11 && digits.starts_with('1') && !digits[1..2].contains(['0', '1', '2']);
        let landline = digits.starts_with('0') && (10..=12).contains(&digits.len());
        let before = &t[crate::text::back_chars(t, m.start(), 8)..m.start()];
        let context = ["电话", "手机", "号码", "座机", "联系", "打"].iter().any(|w| before.contains(w));
        if mobile || landline || (context && (7..=12).contains(&digits.len())) {
            push(&mut hits, m.start(), m.end(), PiiKind::Phone, PiiKind::Phone.token().into());
        }
    }
    for re in [&p.qq, &p.wechat] {
        for c in re.captures_iter(t) {
            if let Some(m) = c.get(1) {
                push(&mut hits, m.start(), m.end(), PiiKind::Account, PiiKind::Account.token().into());
            }
        }
    }

    // The record's own values, wherever they appear.
    if let Some(ph) = known.phone.as_deref() {
        let digits: String = ph.chars().map(crate::text::fold_char).filter(char::is_ascii_digit).collect();
        if digits.len() >= 5 {
            find_digit_run(t, &digits, &mut hits);
        }
    }
    if let Some(id) = known.id_number.as_deref() {
        let id: String = id.chars().map(crate::text::fold_char).collect();
        let id = id.trim();
        if id.len() >= 6 {
            for (i, _) in t.match_indices(id) {
                push(&mut hits, i, i + id.len(), PiiKind::IdNumber, PiiKind::IdNumber.token().into());
            }
        }
    }
    if let Some(name) = known.name.as_deref() {
        let name: String = name.chars().map(crate::text::fold_char).collect();
        let name = name.trim();
        if name.chars().count() >= 2 && !name.contains('某') {
            let rep = format!("{}某", surname_of(name));
            for (i, _) in t.match_indices(name) {
                push(&mut hits, i, i + name.len(), PiiKind::Name, rep.clone());
            }
        }
    }
    if let Some(addr) = known.address.as_deref() {
        let addr: String = addr.chars().map(crate::text::fold_char).collect();
        // Only the detail (compound, building, unit, room) is identifying; the village/township stays.
        for m in p.address_detail.find_iter(&addr) {
            let detail = m.as_str().trim();
            if detail.chars().count() >= 3 {
                for (i, _) in t.match_indices(detail) {
                    push(&mut hits, i, i + detail.len(), PiiKind::Address, PiiKind::Address.token().into());
                }
            }
        }
    }

    // Names in the text.
    for m in p.name_intro.find_iter(t) {
        let rest = &t[m.end()..];
        if let Some(n) = name_at(rest) {
            let name = &rest[..n];
            let after = &rest[n..];
            // 我是李庄的 / 本人张集…: guarded by name_at; 我是王某: already redacted.
            if name.contains('某') || HONORIFICS.iter().any(|h| after.starts_with(h)) {
                continue;
            }
            push(&mut hits, m.end(), m.end() + n, PiiKind::Name, format!("{}某", surname_of(name)));
        }
    }
    for m in p.honorific.find_iter(t) {
        // A full name (王建国先生) or the surname right before the honorific (王先生, 欧阳女士).
        let before = &t[..m.start()];
        let starts: Vec<usize> = before.char_indices().rev().take(3).map(|(i, _)| i).collect();
        let mut found = None;
        for &st in starts.iter().rev() {
            let cand = &before[st..];
            let prev = before[..st].chars().next_back();
            let boundary = prev.is_none_or(|c| !is_han(c) || "叫是的和跟向给找位名".contains(c));
            if cand.chars().count() >= 2 && boundary && name_at(cand) == Some(cand.len()) {
                found = Some((st, format!("{}某", surname_of(cand))));
                break;
            }
        }
        if found.is_none()
            && let Some(&st) = starts.first()
        {
            let cand = &before[st..];
            if is_surname_at(cand) == Some(cand.len()) {
                found = Some((st, "某".to_owned()));
            }
        }
        if found.is_none() && starts.len() >= 2 {
            let st = starts[1];
            if COMPOUND_SURNAMES.contains(&&before[st..]) {
                found = Some((st, "某".to_owned()));
            }
        }
        if let Some((st, rep)) = found {
            push(&mut hits, st, m.start(), PiiKind::Name, rep);
        }
    }
    for c in p.lao.captures_iter(t) {
        let (Some(all), Some(s)) = (c.get(0), c.get(1)) else { continue };
        let after = t[all.end()..].chars().next();
        let sur = s.as_str().chars().next().is_some_and(|ch| SURNAMES.contains(ch));
        let boundary = after.is_none_or(|ch| !is_han(ch) || "家说的在头讲他她和跟也就是那这".contains(ch));
        if sur
            && boundary
            && !"某百板师人乡伴区时年学街路城吃店孩朋公婆爷头子家型厂作麦河沟村组队".contains(s.as_str())
        {
            push(&mut hits, all.start(), all.end(), PiiKind::Name, "某某".into());
        }
    }
    for c in p.xing.captures_iter(t) {
        if let Some(s) = c.get(1)
            && s.as_str() != "某"
            && s.as_str().chars().all(|ch| SURNAMES.contains(ch))
        {
            push(&mut hits, s.start(), s.end(), PiiKind::Name, "某".into());
        }
    }
    for c in p.signature.captures_iter(t) {
        if let Some(s) = c.get(1)
            && let Some(n) = name_at(s.as_str())
            && n == s.as_str().len()
            && !s.as_str().contains('某')
        {
            push(&mut hits, s.start(), s.end(), PiiKind::Name, format!("{}某", surname_of(s.as_str())));
        }
    }
    // A bare name on one of the last lines of a letter (the signature).
    let mut line_start = 0;
    let lines: Vec<(usize, &str)> = t
        .split('\n')
        .map(|l| {
            let s = line_start;
            line_start += l.len() + 1;
            (s, l)
        })
        .collect();
    for &(ls, line) in lines.iter().rev().filter(|(_, l)| !l.trim().is_empty()).take(3) {
        let trimmed = line.trim_start();
        let off = ls + (line.len() - trimmed.len());
        let body = trimmed.trim_end_matches(|c: char| !is_han(c));
        if (2..=4).contains(&body.chars().count())
            && name_at(body) == Some(body.len())
            && !body.contains('某')
        {
            push(&mut hits, off, off + body.len(), PiiKind::Name, format!("{}某", surname_of(body)));
        }
    }
    // A name written right before a phone number (王建国 13803930123, 王建国，电话：…).
    let phone_starts: Vec<usize> =
        hits.iter().filter(|h| h.kind == PiiKind::Phone).map(|h| h.start).collect();
    for ps in phone_starts {
        let head = &t[..ps];
        let head = head.trim_end_matches(|c: char| c.is_whitespace() || "，,:：（(".contains(c));
        let head = ["联系电话", "电话号码", "手机号码", "手机号", "电话", "手机", "联系方式"]
            .iter()
            .find_map(|w| head.strip_suffix(w))
            .unwrap_or(head)
            .trim_end_matches(|c: char| c.is_whitespace() || "，,:：".contains(c));
        let starts: Vec<usize> = head.char_indices().rev().take(3).map(|(i, _)| i).collect();
        for &st in starts.iter().rev() {
            let cand = &head[st..];
            let prev = head[..st].chars().next_back();
            if cand.chars().count() >= 2
                && prev.is_none_or(|c| !is_han(c) || "叫是人：".contains(c))
                && name_at(cand) == Some(cand.len())
                && !cand.contains('某')
            {
                push(&mut hits, st, head.len(), PiiKind::Name, format!("{}某", surname_of(cand)));
                break;
            }
        }
    }
    // Home address after 家住/住在/地址 …: the compound and unit detail.
    for m in p.address.find_iter(t) {
        let tail_end = t[m.end()..]
            .find(['，', ',', '。', '；', ';', '\n', '！', '？'])
            .map_or(t.len(), |i| m.end() + i);
        let tail = &t[m.end()..tail_end];
        if let Some(d) = p.address_detail.find(tail) {
            let s = m.end() + d.start();
            let e = m.end() + d.end();
            if t[s..e].trim().chars().count() >= 2 {
                push(&mut hits, s, e, PiiKind::Address, PiiKind::Address.token().into());
            }
        }
    }
    // Compound + building/unit numbers anywhere (幸福小区3号楼2单元501) are a home address.
    for m in p.address_detail.find_iter(t) {
        let s = m.as_str();
        if s.contains("单元")
            || s.contains("室")
            || s.contains("号楼")
            || s.contains("栋")
            || s.contains("幢")
        {
            push(&mut hits, m.start(), m.end(), PiiKind::Address, PiiKind::Address.token().into());
        }
    }

    apply(text, &folded, hits)
}

fn find_digit_run(t: &str, digits: &str, hits: &mut Vec<Hit>) {
    // Match the digits with any spaces/dashes between them.
    let bytes = t.as_bytes();
    let want = digits.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == want[0] && (i == 0 || !bytes[i - 1].is_ascii_digit()) {
            let (mut j, mut k) = (i, 0);
            while j < bytes.len() && k < want.len() {
                if bytes[j] == want[k] {
                    k += 1;
                    j += 1;
                } else if (bytes[j] == b' ' || bytes[j] == b'-') && k > 0 {
                    j += 1;
                } else {
                    break;
                }
            }
            if k == want.len() && !(j < bytes.len() && bytes[j].is_ascii_digit()) {
                hits.push(Hit {
                    start: i,
                    end: j,
                    kind: PiiKind::Phone,
                    replacement: PiiKind::Phone.token().into(),
                });
                i = j;
                continue;
            }
        }
        i += 1;
    }
}

fn apply(original: &str, folded: &Folded, mut hits: Vec<Hit>) -> Redacted {
    // Longest first at each start; drop hits overlapping an earlier kept one, but let a longer one
    // that covers it win.
    hits.sort_by(|a, b| a.start.cmp(&b.start).then(b.end.cmp(&a.end)));
    let mut kept: Vec<Hit> = Vec::new();
    for h in hits {
        match kept.last_mut() {
            Some(last) if h.start < last.end => {
                if h.end > last.end {
                    // Overlap: extend the kept span to cover both (nothing private may leak).
                    last.end = h.end;
                    if h.kind != PiiKind::Name {
                        last.kind = h.kind;
                        last.replacement = h.kind.token().into();
                    }
                }
            }
            _ => kept.push(h),
        }
    }
    let mut out = String::with_capacity(original.len());
    let mut spans = Vec::with_capacity(kept.len());
    let mut pos = 0;
    for h in kept {
        let (s, e) = (folded.orig(h.start), folded.orig(h.end));
        if original[s..e] == h.replacement {
            continue;
        }
        out.push_str(&original[pos..s]);
        out.push_str(&h.replacement);
        spans.push(RedactedSpan { kind: h.kind, start: s, end: e });
        pos = e;
    }
    out.push_str(&original[pos..]);
    Redacted { text: out, spans }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn none() -> Identity {
        Identity::default()
    }

    /// `pii` must be gone from the output, `keep` must survive, and a second pass changes nothing.
    fn check(text: &str, known: &Identity, pii: &[&str], keep: &[&str]) -> String {
        let r = redact(text, known);
        for p in pii {
            assert!(!r.text.contains(p), "{p:?} survived in {:?}", r.text);
        }
        for k in keep {
            assert!(r.text.contains(k), "{k:?} was removed: {:?}", r.text);
        }
        assert_eq!(redact(&r.text, known).text, r.text, "not idempotent");
        for s in &r.spans {
            assert!(text.is_char_boundary(s.start) && text.is_char_boundary(s.end) && s.start < s.end);
        }
        r.text
    }

    #[test]
    fn phones_in_every_common_form() {
        for (text, pii) in [
            ("我的电话13803930123，请回电", "13803930123"),
            ("电话 138 0393 0123", "138 0393 0123"),
            ("手机138-0393-0123", "138-0393-0123"),
            ("联系：１３８０３９３０１２３", "１３８０３９３０１２３"),
            ("+86 138 0393 0123", "138 0393 0123"),
            ("+8613803930123", "13803930123"),
            ("座机0393-8888888", "0393-8888888"),
            ("座机03938888888", "03938888888"),
            ("家里电话是4812345", "4812345"),
            ("(0393)8123456", "8123456"),
        ] {
            let out = check(text, &none(), &[pii], &[]);
            assert!(out.contains("【电话】"), "{out}");
        }
        // Business and public numbers are kept; dates are not phones.
        check(
            "厂家客服400-123-4567，打了12345热线，2023年12月15日",
            &none(),
            &[],
            &["400-123-4567", "12345", "2023年12月15日"],
        );
    }

    #[test]
    fn phones_read_in_chinese_numerals() {
        check("电话一八九三九三一八八零六", &none(), &["一八九三九三一八八零六"], &[]);
        check("手机幺三八 零三九三 零一二三", &none(), &["幺三八 零三九三 零一二三"], &[]);
        // Ordinary counting words stay.
        check("一二三四五六七个村都闻到了", &none(), &[], &["一二三四五六七"]);
    }

    #[test]
    fn id_numbers_email_accounts() {
        // 11010519491231002X is the standard example of a valid checksum.
        check("身份证号11010519491231002X", &none(), &["11010519491231002X"], &[]);
        check("身份证410928198001011234", &none(), &["410928198001011234"], &[]);
        check("老身份证410928800101123", &none(), &["410928800101123"], &[]);
        check("邮箱 wang.jg@163.com 联系", &none(), &["wang.jg@163.com"], &[]);
        check("我的QQ：123456789，微信号：wjg_1980", &none(), &["123456789", "wjg_1980"], &["QQ", "微信号"]);
        check("加我微信13803930123", &none(), &["13803930123"], &[]);
    }

    #[test]
    fn names_from_record_and_text() {
        let who = Identity { name: Some("王建国".into()), ..none() };
        let out = check("王建国反映：村里有个塑料厂", &who, &["王建国"], &["塑料厂"]);
        assert!(out.starts_with("王某"));
        check("我叫李秀英，是柳屯镇的", &none(), &["李秀英"], &["柳屯镇"]);
        check("我是张伟，家在王庄村", &none(), &["张伟"], &["王庄村"]);
        check("我是王庄村的村民", &none(), &[], &["王庄村"]);
        check("我是周边群众，反映鑫源化工厂排气", &none(), &[], &["周边群众", "鑫源化工厂"]);
        check("村东头的王师傅说厂里晚上排烟", &none(), &["王师傅"], &["师傅"]);
        check("请联系刘女士", &none(), &["刘女士"], &["女士"]);
        check("欧阳先生来电反映", &none(), &["欧阳先生"], &[]);
        check("老王家旁边有个作坊", &none(), &["老王"], &["作坊"]);
        check("是一个姓王的老板开的", &none(), &["姓王"], &["老板"]);
        check("举报人：赵国强", &none(), &["赵国强"], &[]);
        check(
            "敬爱的督察组：\n清丰县固城镇有个小厂偷排。\n此致\n敬礼！\n孙志刚\n2023年12月15日",
            &none(),
            &["孙志刚"],
            &["清丰县固城镇", "2023年12月15日"],
        );
        check("联系人 王建国 13803930123", &none(), &["王建国", "13803930123"], &[]);
        check("王建国，电话13803930123", &none(), &["王建国", "13803930123"], &[]);
        check("连续两个小时都有噪音，小区里的老人睡不着", &none(), &[], &["小时", "老人"]);
    }

    #[test]
    fn home_address_detail_but_not_places() {
        let who =
            Identity { address: Some("濮阳县城关镇幸福小区3号楼2单元501".into()), ..none() };
        check(
            "我家住濮阳县城关镇幸福小区3号楼2单元501，楼下饭店油烟大",
            &who,
            &["幸福小区3号楼2单元501", "501"],
            &["濮阳县城关镇", "饭店"],
        );
        check(
            "家住华龙区胜利路建业小区5栋1单元302室",
            &none(),
            &["建业小区5栋1单元302室"],
            &["华龙区胜利路"],
        );
        check("住在油田二号院3-2-501", &none(), &["3-2-501"], &[]);
        check(
            "家住清丰县马庄桥镇王庄村，村东头有个小作坊",
            &none(),
            &[],
            &["清丰县马庄桥镇王庄村", "小作坊"],
        );
    }

    #[test]
    fn keeps_enterprises_roads_villages() {
        check(
            "南乐县张果屯镇的濮阳市鑫源塑料制品有限公司在中原路附近偷排废水，李家庄村民都知道",
            &none(),
            &[],
            &["南乐县张果屯镇", "濮阳市鑫源塑料制品有限公司", "中原路", "李家庄"],
        );
    }

    #[test]
    fn spans_point_into_the_original() {
        let text = "电话：１３８０３９３０１２３";
        let r = redact(text, &none());
        assert_eq!(r.spans.len(), 1);
        assert_eq!(&text[r.spans[0].start..r.spans[0].end], "１３８０３９３０１２３");
        assert_eq!(r.spans[0].kind, PiiKind::Phone);
    }

    #[test]
    fn id_checksum() {
        assert!(id18_valid("11010519491231002X"));
        assert!(!id18_valid("11010599491331002X"));
    }
}

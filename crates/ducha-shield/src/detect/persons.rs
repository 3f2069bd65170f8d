//! Personal names in the general shapes: after lead-ins (我叫, 老板是), at a clause's start before a
//! verb of telling or witnessing, as polluters, after weak lead-ins (村民, 俺村), 某-forms, bare-name
//! clauses, quoted names, Latin names, a letter's close and signature, nicknames, surname and
//! honorific (王先生, 老王), a name before a phone number, and names spelled out (弓长张, 玉石的玉).

use std::sync::LazyLock;

use regex::Regex;

use crate::names::{HONORIFICS, name_at, surname_at};
use crate::{PiiKind, is_han};

use super::{Hit, P, back, push, re};

/// A name spelled out character by character, as callers do on the hotline (弓长张, 玉石的玉,
/// 三点水的汪): the split-character forms of surnames always (they exist only to spell a name);
/// a character described by a word or a radical when it is a character of a name found in the
/// text, or follows 姓/叫 closely.
pub(super) fn spellings(t: &str, hits: &mut Vec<Hit>) {
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

pub(super) fn names_in_text(t: &str, hits: &mut Vec<Hit>) {
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
    latin_names(t, hits);
    // A name masked by hand (刘**, 韩*刚, 王X军): the surname and what is left still identify.
    static MASKED: LazyLock<Regex> =
        LazyLock::new(|| re(r"(\p{Han})(?:[*＊]{1,2}(\p{Han})?|[Xx×](\p{Han}))"));
    for c in MASKED.captures_iter(t) {
        let (Some(all), Some(sur)) = (c.get(0), c.get(1)) else { continue };
        let before = t[..sur.start()].chars().next_back();
        if crate::names::is_surname_char(sur.as_str().chars().next().unwrap_or(' '))
            && before.is_none_or(|c| !is_han(c) || "叫是的和跟向给找由被我称名款人为某】".contains(c))
        {
            push(hits, sur.start(), all.end(), PiiKind::Name, "某某");
        }
    }
    // 欧姓村民, 王姓男子: a surname stated before what the person is.
    static SURNAME_XING: LazyLock<Regex> = LazyLock::new(|| {
        re(
            r"(欧阳|司马|诸葛|上官|皇甫|\p{Han})姓(?:村民|居民|群众|男子|女子|老人|老汉|妇女|人员|举报人|来电人|人家|一家)",
        )
    });
    for c in SURNAME_XING.captures_iter(t) {
        if let Some(m) = c.get(1)
            && surname_at(m.as_str()) == Some(m.as_str().len())
        {
            push(hits, m.start(), m.end(), PiiKind::Name, "某");
        }
    }
    // A name followed by his or her relative (陈国栋他侄子…): a person, not a place or a firm.
    for at in t.match_indices(['他', '她']).map(|(i, _)| i) {
        let after = &t[at + '他'.len_utf8()..];
        if [
            "侄子",
            "儿子",
            "女儿",
            "弟弟",
            "哥哥",
            "媳妇",
            "小舅子",
            "外甥",
            "闺女",
            "老婆",
            "男人",
            "爹",
            "娘",
        ]
        .iter()
        .any(|k| after.starts_with(k))
        {
            let head = &t[..at];
            for st in head.char_indices().rev().take(4).map(|(i, _)| i) {
                let cand = &head[st..];
                let prev = head[..st].chars().next_back();
                if crate::names::is_name(cand)
                    && prev.is_none_or(|c| !is_han(c) || "是的和跟找说".contains(c))
                {
                    push(hits, st, at, PiiKind::Name, "某某");
                    break;
                }
            }
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
    // What one calls a relative or an elder (叫她“奶奶”) is no name.
    const CALLED: &[&str] = &[
        "奶奶",
        "爷爷",
        "姥姥",
        "姥爷",
        "大爷",
        "大娘",
        "大妈",
        "阿姨",
        "叔叔",
        "婶子",
        "大哥",
        "大姐",
        "老师",
        "师傅",
        "同志",
        "领导",
        "老乡",
        "妈妈",
        "爸爸",
        "伯伯",
        "舅舅",
        "姑姑",
        "小伙子",
        "老人家",
    ];
    for c in p.alias.captures_iter(t) {
        if let Some(m) = c.get(1)
            && !CALLED.contains(&m.as_str())
        {
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

/// Names written in Latin letters: pinyin (Liu Shuhua, ZHENG Shuxian, Yuqin ZHANG, tian yumei) — every word
/// pinyin, one of the outer words a surname, no place name among them — and initials (W.J.J, L.X.H, and a
/// Han surname with two or three capitals: 王JJ, 王 JJ).
fn latin_names(t: &str, hits: &mut Vec<Hit>) {
    if !t.bytes().any(|b| b.is_ascii_alphabetic()) {
        return;
    }
    // What other rules already hide reads as a neutral mark here, as its replacement will on a second
    // pass: a letter inside a hidden name must not glue to the letters after it (screening is idempotent).
    let masked: String = {
        let mut m = t.as_bytes().to_vec();
        for h in hits.iter() {
            for b in &mut m[h.start..h.end] {
                *b = 0x01;
            }
        }
        String::from_utf8(m).unwrap_or_else(|_| t.to_owned())
    };
    let t = masked.as_str();
    static WORDS: LazyLock<Regex> = LazyLock::new(|| re(r"[A-Za-z]{2,}(?: [A-Za-z]{2,}){1,2}"));
    let glued = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric() || "@._".contains(c));
    for m in WORDS.find_iter(t) {
        if glued(t[..m.start()].chars().next_back()) || glued(t[m.end()..].chars().next()) {
            continue;
        }
        let words: Vec<&str> = m.as_str().split(' ').collect();
        // One writing style: Capitalised, UPPER or lower words (not English prose such as "Open Data").
        let style_ok = words.iter().all(|w| {
            let rest = &w[1..];
            rest.bytes().all(|b| b.is_ascii_lowercase()) || w.bytes().all(|b| b.is_ascii_uppercase())
        }) && (words.iter().all(|w| w.bytes().all(|b| b.is_ascii_lowercase()))
            || words.iter().all(|w| w.starts_with(|c: char| c.is_ascii_uppercase())));
        if !style_ok {
            continue;
        }
        let lower: Vec<String> = words.iter().map(|w| w.to_ascii_lowercase()).collect();
        let (Some(first), Some(last)) = (lower.first(), lower.last()) else { continue };
        if lower.iter().all(|w| crate::names::is_pinyin_word(w))
            && !lower.iter().any(|w| crate::names::is_pinyin_place(w))
            && (crate::names::is_pinyin_surname(first) || crate::names::is_pinyin_surname(last))
            && lower.iter().map(String::len).sum::<usize>() >= 5
        {
            push(hits, m.start(), m.end(), PiiKind::Name, "某某");
        }
    }
    // W.J.J, L.X.H: initials with dots.
    static DOTTED: LazyLock<Regex> = LazyLock::new(|| re(r"[A-Z]\.[A-Z](?:\.[A-Z])?\.?"));
    for m in DOTTED.find_iter(t) {
        if glued(t[..m.start()].chars().next_back())
            || t[m.end()..].chars().next().is_some_and(|c| c.is_ascii_alphanumeric())
        {
            continue;
        }
        push(hits, m.start(), m.end(), PiiKind::Name, "某某");
    }
    // 王JJ, 王 JJ: a surname and two or three capitals, not a unit or a standard (高COD, 国GB).
    static SURNAME_CAPS: LazyLock<Regex> = LazyLock::new(|| re(r"(\p{Han}) ?([A-Z]{2,3})"));
    const ACRONYMS: &[&str] = &[
        "PM", "COD", "BOD", "VOC", "VOCS", "SS", "TP", "TN", "UV", "LED", "GB", "HJ", "NO", "SO", "CO", "PH",
        "DW", "APP", "QQ", "ID", "GPS", "SUV", "LNG", "CNG", "PVC", "PE", "PP", "EPS", "TV", "AI", "KTV",
        "CT", "DNA",
    ];
    for c in SURNAME_CAPS.captures_iter(t) {
        let (Some(all), Some(sur), Some(caps)) = (c.get(0), c.get(1), c.get(2)) else { continue };
        if !crate::names::is_surname_char(sur.as_str().chars().next().unwrap_or(' '))
            || ACRONYMS.contains(&caps.as_str())
            || t[all.end()..].chars().next().is_some_and(|c| c.is_ascii_alphanumeric())
        {
            continue;
        }
        let before = t[..sur.start()].chars().next_back();
        if before.is_none_or(|c| !is_han(c) || "叫是的和跟向给找由被我称名款人署某】".contains(c))
        {
            push(hits, sur.start(), all.end(), PiiKind::Name, "某某");
        }
    }
}

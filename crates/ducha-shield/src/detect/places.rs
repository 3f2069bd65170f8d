//! Places that identify a person: dwelling details (a compound's building, unit and flat, a house or
//! door number, a village group) and the complainant's own village or community — unless the
//! complaint places its source there, which makes the place public.

use std::sync::LazyLock;

use regex::Regex;

use crate::names::name_at;
use crate::{PiiKind, is_han};

use super::{Hit, P, back, push, re};

pub(super) fn addresses(t: &str, hits: &mut Vec<Hit>) {
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
pub(super) fn source_at_compound(t: &str) -> bool {
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
pub(super) fn residence(t: &str, hits: &mut Vec<Hit>) {
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

//! The address router: complaint text → county-level unit, township and village, with confidence and
//! the words that decided.
//!
//! How it decides: every alias of every division (official, common and short names, abbreviations of
//! functional zones, the places file, other cities/provinces/counties of China) is one pattern of a
//! leftmost-longest Aho–Corasick automaton. Each match ("mention") votes for the counties it can mean
//! (an ambiguous name such as 城关镇 splits its vote), weighted by how specific it is and by its context:
//! a mention right before the polluting source (…村一家塑料厂) counts more; a reference point (台前县
//! *对岸*的…) and the complainant's home (我家住…) count less. OUTSIDE wins when the other cities'/
//! provinces' mentions outweigh the local ones; UNKNOWN when nothing locates the text or the best two
//! counties tie. Township and village are then chosen among the mentions inside the chosen county.

use std::collections::HashMap;
use std::sync::Arc;

use aho_corasick::{AhoCorasick, MatchKind};
use serde::{Deserialize, Serialize};

use crate::gazetteer::{Gazetteer, province_short};
use crate::places::{PlaceKind, Places};
use crate::text::{Folded, back_chars, fwd_chars};

/// The county-level outcome of routing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum CountyOutcome {
    /// A local county-level unit: GB/T 2260 code or a functional-zone code.
    Code(String),
    /// The source is in another city or province (`name` e.g. 山东省聊城市阳谷县).
    Outside { name: String },
    /// Nothing in the text locates the source.
    Unknown,
}

impl CountyOutcome {
    /// The value of the pinned `county_code` field: the code, `OUTSIDE` or `UNKNOWN`.
    pub fn code(&self) -> &str {
        match self {
            CountyOutcome::Code(c) => c,
            CountyOutcome::Outside { .. } => "OUTSIDE",
            CountyOutcome::Unknown => "UNKNOWN",
        }
    }
}

/// Confidence of each routing field, each in `0..=1`.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct FieldConfidence {
    pub county: f32,
    pub township: f32,
    pub village: f32,
}

/// What the router found for one text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Routing {
    pub county: CountyOutcome,
    pub township_code: Option<String>,
    pub village_code: Option<String>,
    pub confidence: FieldConfidence,
    /// The words that decided, in text order.
    pub evidence: Vec<String>,
    /// Point-like places of the places file named in the text (enterprises, landmarks, markets,
    /// schools, hospitals, communities) — duplicate detection uses them as anchors.
    #[serde(default)]
    pub places: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
enum Scope {
    /// A local county-level unit, optionally a township and village in it.
    Local { county: Box<str>, township: Option<Box<str>>, village: Option<Box<str>> },
    /// Somewhere in the deployment city, county unknown (濮阳市, a river, a place spanning counties).
    LocalCity,
    /// Another county/city/province (code of that division).
    Outside { code: Box<str> },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Admin,
    /// A point-like place of the places file (enterprise, landmark …).
    Spot,
    /// A generic abbreviation (开发区, 工业园区, 示范区): ignored right after another place name.
    Generic,
    Place,
    /// A short outside name (阳谷, 大名): weak unless next to its province or city.
    OutsideShort,
}

#[derive(Debug, Clone)]
struct Target {
    scope: Scope,
    weight: f32,
}

#[derive(Debug, Clone)]
struct Pattern {
    text: String,
    class: Class,
    targets: Vec<Target>,
}

#[derive(Debug)]
struct Inner {
    ac: AhoCorasick,
    patterns: Vec<Pattern>,
    context: AhoCorasick,
    context_kinds: Vec<Ctx>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ctx {
    Source,
    RelationAfter,
    RelationBefore,
    Home,
}

/// Routes complaint text to regions. Cheap to clone (shared automaton).
#[derive(Debug, Clone)]
pub struct Router {
    inner: Arc<Inner>,
}

/// Words naming the polluting source or act: a place right before one of these is where the source is.
const SOURCE_WORDS: &[&str] = &[
    "厂",
    "公司",
    "企业",
    "作坊",
    "工地",
    "养殖场",
    "养猪场",
    "猪场",
    "鸡场",
    "牛场",
    "鸭场",
    "砖窑",
    "窑厂",
    "搅拌站",
    "加工点",
    "加工厂",
    "车间",
    "工厂",
    "煤场",
    "料场",
    "沙场",
    "堆场",
    "饭店",
    "烧烤",
    "洗车",
    "门市",
    "冒烟",
    "排放",
    "偷排",
    "直排",
    "倾倒",
    "焚烧",
    "异味",
    "臭味",
    "噪音",
    "排污",
    "污水",
    "烟囱",
    "锅炉",
    "废水",
    "垃圾",
    "扬尘",
    "粉尘",
    "站",
];
/// After a place: it is a reference point, the source lies across/next to it.
const RELATION_AFTER: &[&str] = &[
    "对岸",
    "对面",
    "隔壁",
    "交界",
    "边界",
    "接壤",
    "河对岸",
    "过去",
    "那边过去",
    "方向",
    "往北",
    "往南",
    "往东",
    "往西",
];
/// Before a place: the place after it is where the source is.
const RELATION_BEFORE: &[&str] = &["对岸", "对面", "隔壁", "那边的", "过河", "越界", "跨省", "外省"];
/// Before a place: the complainant's home, not necessarily the source.
const HOME_WORDS: &[&str] = &["我是", "我家", "家住", "住在", "我住", "本人住", "老家", "户籍", "我们是"];

/// Counties whose short names are everyday words; only their full names are matched.
const COMMON_WORD_SHORTS: &[&str] = &[
    "中原", "和平", "新华", "长安", "开发", "东方", "平安", "永安", "安宁", "红旗", "胜利", "光明", "建设",
    "人民", "向阳", "前进", "先锋", "黄河", "工农", "东风", "立新", "解放", "城东", "城西", "城南", "城北",
    "河东", "河西", "江北", "江南", "南山", "北海", "青山", "白云", "新城", "东城", "西城", "中山", "鼓楼",
    "高新", "经开", "新区", "老城", "市中", "海港", "郊区", "沙河", "清河", "桥西", "桥东", "铁西", "铁东",
    "宝山", "龙华", "城中", "天河", "金水", "二七", "华龙", "大同", "海城", "东港", "朝阳", "西安", "永定",
    "普陀", "西湖", "海州", "通州", "新民", "兴化", "宁安", "安平", "永年", "建平",
];

fn place_weight(kind: PlaceKind) -> f32 {
    match kind {
        PlaceKind::Enterprise => 2.6,
        PlaceKind::Park | PlaceKind::Landmark | PlaceKind::Market | PlaceKind::School => 2.2,
        PlaceKind::Hospital | PlaceKind::Community => 2.2,
        PlaceKind::Road => 1.4,
        PlaceKind::River => 0.8,
    }
}

/// Suffix letters that make a bare short village name (王庄, 后铁炉) safe enough to match.
const VILLAGE_SHORT_ENDINGS: &[char] = &[
    '庄', '屯', '寨', '营', '集', '楼', '店', '堤', '口', '岗', '固', '堌', '头', '湾', '铺', '桥', '洼',
    '坡', '园', '庙', '拐', '城', '坊', '窑', '台', '堂', '寺', '里', '所', '关', '街', '林', '村',
];

struct Builder {
    index: HashMap<String, usize>,
    patterns: Vec<Pattern>,
}

impl Builder {
    fn add(&mut self, text: &str, class: Class, scope: Scope, weight: f32) {
        let text = text.trim();
        if text.chars().count() < 2 {
            return;
        }
        let i = *self.index.entry(text.to_owned()).or_insert_with(|| {
            self.patterns.push(Pattern { text: text.to_owned(), class, targets: Vec::new() });
            self.patterns.len() - 1
        });
        let p = &mut self.patterns[i];
        let local_new = !matches!(scope, Scope::Outside { .. });
        let has_local = p.targets.iter().any(|t| !matches!(t.scope, Scope::Outside { .. }));
        if !local_new && has_local {
            // A local name wins over an outside one spelled the same.
            return;
        }
        if local_new && !has_local {
            p.targets.retain(|t| !matches!(t.scope, Scope::Outside { .. }));
            p.class = class;
        }
        if let Some(t) = p.targets.iter_mut().find(|t| t.scope == scope) {
            t.weight = t.weight.max(weight);
        } else {
            p.targets.push(Target { scope, weight });
        }
        if class == Class::Admin && p.class != Class::Admin && local_new {
            p.class = Class::Admin;
        }
    }
}

fn local(county: &str, township: Option<&str>, village: Option<&str>) -> Scope {
    Scope::Local {
        county: county.into(),
        township: township.map(Into::into),
        village: village.map(Into::into),
    }
}

/// Abbreviations of county-level zones by the words in their official names.
fn zone_abbreviations(name: &str) -> &'static [&'static str] {
    if name.contains("经济技术开发区") {
        &["经济技术开发区", "经济开发区", "开发区", "经开区"]
    } else if name.contains("高新技术产业开发区") {
        &["高新技术产业开发区", "高新区", "高新技术开发区"]
    } else if name.contains("工业园区") {
        &["工业园区", "工业园"]
    } else if name.contains("示范区") {
        &["示范区"]
    } else {
        &[]
    }
}

impl Router {
    /// Builds the router for a gazetteer and a places list.
    pub fn new(g: &Gazetteer, places: &Places) -> Router {
        let mut b = Builder { index: HashMap::new(), patterns: Vec::new() };
        let local_cities: Vec<&str> = g.local_cities().iter().map(String::as_str).collect();
        let city_shorts: Vec<String> = g
            .cities()
            .filter(|c| local_cities.contains(&c.code.as_str()))
            .filter_map(|c| c.short.clone())
            .collect();

        // Local counties and zones.
        for c in g.counties() {
            let scope = local(&c.code, None, None);
            b.add(&c.name, Class::Admin, scope.clone(), 3.5);
            if let Some(s) = &c.short
                && !city_shorts.contains(s)
                && !g.zones().iter().any(|z| z.code == c.code)
            {
                b.add(s, Class::Admin, scope.clone(), 2.6);
            }
            for abbr in zone_abbreviations(&c.name) {
                b.add(abbr, Class::Generic, scope.clone(), 2.2);
                for cs in &city_shorts {
                    b.add(&format!("{cs}{abbr}"), Class::Admin, scope.clone(), 3.0);
                    b.add(&format!("{cs}市{abbr}"), Class::Admin, scope.clone(), 3.0);
                }
            }
            if let Some(stripped) = c.name.strip_prefix("河南") {
                b.add(stripped, Class::Admin, scope.clone(), 3.0);
            }
        }
        for z in g.zones() {
            let scope = local(&z.code, None, None);
            for a in &z.aliases {
                let generic = !city_shorts.iter().any(|cs| a.starts_with(cs.as_str()));
                b.add(a, if generic { Class::Generic } else { Class::Admin }, scope.clone(), 2.6);
            }
        }
        // Townships.
        for t in g.townships() {
            let scope = local(&t.parent, Some(&t.code), None);
            b.add(&t.name, Class::Admin, scope.clone(), 2.6);
            b.add(&t.common, Class::Admin, scope.clone(), 2.6);
            if let Some(s) = t.common.strip_suffix("街道") {
                for suf in ["街道办事处", "街道办", "办事处"] {
                    b.add(&format!("{s}{suf}"), Class::Admin, scope.clone(), 2.6);
                }
                // A street named after a road (中原路街道): the bare road name is weak evidence.
                if let Some(short) = &t.short {
                    let w = if short.ends_with('路') { 1.2 } else { 1.8 };
                    b.add(short, Class::Admin, scope.clone(), w);
                }
            } else if let Some(short) = &t.short {
                b.add(short, Class::Admin, scope.clone(), 1.8);
            }
        }
        // Villages.
        for v in g.villages() {
            let Some(county) = g.routing_county_of_township(&v.parent) else { continue };
            let scope = local(county, Some(&v.parent), Some(&v.code));
            b.add(&v.name, Class::Admin, scope.clone(), 2.2);
            b.add(&v.common, Class::Admin, scope.clone(), 2.2);
            if v.common.ends_with("社区") {
                b.add(
                    &format!("{}居委会", v.common.trim_end_matches("社区")),
                    Class::Admin,
                    scope.clone(),
                    2.2,
                );
            }
            if let Some(s) = &v.short {
                let n = s.chars().count();
                let ok = n >= 3 || s.chars().last().is_some_and(|c| VILLAGE_SHORT_ENDINGS.contains(&c));
                if ok {
                    b.add(s, Class::Admin, scope.clone(), 1.3);
                }
                b.add(&format!("{s}村委会"), Class::Admin, scope.clone(), 2.2);
            }
        }
        // The places file.
        for p in places.iter() {
            let scope = match &p.county_code {
                Some(c) => {
                    let county = p
                        .township_code
                        .as_deref()
                        .and_then(|t| g.routing_county_of_township(t))
                        .unwrap_or(c.as_str())
                        .to_owned();
                    local(&county, p.township_code.as_deref(), p.village_code.as_deref())
                }
                None => Scope::LocalCity,
            };
            let w = place_weight(p.kind);
            let class = match p.kind {
                PlaceKind::Road | PlaceKind::River | PlaceKind::Park => Class::Place,
                _ => Class::Spot,
            };
            for name in std::iter::once(&p.name).chain(p.aliases.iter()) {
                b.add(name, class, scope.clone(), w);
            }
        }
        // The deployment city itself.
        for c in g.cities().filter(|c| local_cities.contains(&c.code.as_str())) {
            b.add(&c.name, Class::Admin, Scope::LocalCity, 1.0);
            if let Some(s) = &c.short {
                b.add(s, Class::Admin, Scope::LocalCity, 0.8);
            }
        }
        // Other counties, cities and provinces of China.
        let local_provinces: Vec<String> = local_cities.iter().map(|c| c[..2].to_owned()).collect();
        let mut short_count: HashMap<String, usize> = HashMap::new();
        for c in g.all_counties() {
            if let Some(s) = &c.short {
                *short_count.entry(s.clone()).or_default() += 1;
            }
        }
        for c in g.all_counties().filter(|c| !g.is_local_county(&c.code)) {
            if matches!(c.name.as_str(), "城区" | "郊区" | "矿区" | "市辖区") {
                continue;
            }
            let scope = Scope::Outside { code: c.code.as_str().into() };
            b.add(&c.name, Class::Admin, scope.clone(), 3.0);
            if let Some(s) = &c.short
                && short_count.get(s) == Some(&1)
                && !COMMON_WORD_SHORTS.contains(&s.as_str())
                && s.chars().count() >= 2
            {
                b.add(s, Class::OutsideShort, scope, 1.0);
            }
        }
        for c in g.cities().filter(|c| !local_cities.contains(&c.code.as_str())) {
            if c.name.contains("直辖") || matches!(c.name.as_str(), "市辖区" | "县") {
                continue;
            }
            let scope = Scope::Outside { code: c.code.as_str().into() };
            b.add(&c.name, Class::Admin, scope.clone(), 2.6);
            if let Some(s) = &c.short
                && !COMMON_WORD_SHORTS.contains(&s.as_str())
            {
                b.add(s, Class::Admin, scope, 2.0);
            }
        }
        for p in g.provinces() {
            if local_provinces.contains(&p.code) {
                continue;
            }
            let scope = Scope::Outside { code: p.code.as_str().into() };
            b.add(&p.name, Class::Admin, scope.clone(), 2.0);
            if let Some(s) = province_short(&p.name) {
                b.add(&s, Class::Admin, scope, 1.6);
            }
        }
        // Words that name other places in general: matched so that they do not leave a short name
        // inside them to match (外省, 外地 …) — no targets.
        let mut patterns = b.patterns;
        // A bare name shared by a township and a village of that township (柳屯 = 柳屯镇 and 柳屯村)
        // means the township; the village needs its own suffix (柳屯村).
        for p in &mut patterns {
            let towns: Vec<Box<str>> = p
                .targets
                .iter()
                .filter_map(|t| match &t.scope {
                    Scope::Local { township: Some(tc), village: None, .. } => Some(tc.clone()),
                    _ => None,
                })
                .collect();
            if !towns.is_empty() {
                p.targets.retain(|t| match &t.scope {
                    Scope::Local { township: Some(tc), village: Some(_), .. } => !towns.contains(tc),
                    _ => true,
                });
            }
        }
        let ac = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(patterns.iter().map(|p| p.text.as_str()))
            .unwrap_or_else(|e| panic!("router automaton: {e}"));
        let mut ctx_words: Vec<(&str, Ctx)> = Vec::new();
        ctx_words.extend(SOURCE_WORDS.iter().map(|w| (*w, Ctx::Source)));
        ctx_words.extend(RELATION_AFTER.iter().map(|w| (*w, Ctx::RelationAfter)));
        ctx_words.extend(RELATION_BEFORE.iter().map(|w| (*w, Ctx::RelationBefore)));
        ctx_words.extend(HOME_WORDS.iter().map(|w| (*w, Ctx::Home)));
        let context = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .build(ctx_words.iter().map(|(w, _)| *w))
            .unwrap_or_else(|e| panic!("router context automaton: {e}"));
        let context_kinds = ctx_words.iter().map(|(_, k)| *k).collect();
        Router { inner: Arc::new(Inner { ac, patterns, context, context_kinds }) }
    }

    /// The router over the built-in gazetteer and places.
    pub fn builtin() -> Router {
        Router::new(Gazetteer::builtin(), Places::builtin())
    }

    /// Number of alias patterns (for diagnostics).
    pub fn pattern_count(&self) -> usize {
        self.inner.patterns.len()
    }

    /// Routes one text.
    pub fn route(&self, text: &str) -> Routing {
        let folded = Folded::new(text);
        let t = folded.text.as_str();
        let inner = &*self.inner;
        let mut mentions: Vec<Mention> = inner
            .ac
            .find_iter(t)
            .map(|m| Mention {
                start: m.start(),
                end: m.end(),
                pat: m.pattern().as_usize(),
                factor: 1.0,
                relation: 1.0,
            })
            .collect();
        if mentions.is_empty() {
            return unknown(Vec::new(), 0.9);
        }
        // Context words anywhere (overlapping), as (start, end, kind).
        let ctx: Vec<(usize, usize, Ctx)> = inner
            .context
            .find_overlapping_iter(t)
            .map(|m| (m.start(), m.end(), inner.context_kinds[m.pattern().as_usize()]))
            .collect();
        self.apply_context(t, &mut mentions, &ctx);
        let mut routing = self.decide(&mentions);
        for m in &mentions {
            let p = &inner.patterns[m.pat];
            if p.class == Class::Spot && m.factor > 0.0 && !routing.places.contains(&p.text) {
                routing.places.push(p.text.clone());
            }
        }
        routing
    }

    fn apply_context(&self, t: &str, mentions: &mut [Mention], ctx: &[(usize, usize, Ctx)]) {
        let pats = &self.inner.patterns;
        // Generic abbreviations right after another place name belong to that place.
        for i in 1..mentions.len() {
            let (prev, cur) = (mentions[i - 1], mentions[i]);
            if pats[cur.pat].class == Class::Generic && prev.end == cur.start {
                let prev_city = pats[prev.pat].targets.iter().all(|t| t.scope == Scope::LocalCity);
                if !prev_city {
                    mentions[i].factor = 0.0;
                }
            }
        }
        // Short outside names: strong next to their province/city, weak alone.
        for i in 0..mentions.len() {
            if pats[mentions[i].pat].class != Class::OutsideShort {
                continue;
            }
            let code: Option<&str> = pats[mentions[i].pat].targets.iter().find_map(|t| match &t.scope {
                Scope::Outside { code } => Some(&**code),
                _ => None,
            });
            let near_parent = i > 0 && {
                let prev = mentions[i - 1];
                prev.end + 3 >= mentions[i].start
                    && pats[prev.pat].targets.iter().any(|t| match (&t.scope, code) {
                        (Scope::Outside { code: p }, Some(c)) => c.starts_with(&**p),
                        _ => false,
                    })
            };
            let after = &t[mentions[i].end..fwd_chars(t, mentions[i].end, 2)];
            let placey = after.starts_with('那') || after.starts_with("境") || after.starts_with("县城");
            mentions[i].factor *= if near_parent || placey { 2.5 } else { 1.0 };
        }
        for m in mentions.iter_mut() {
            let before_start = back_chars(t, m.start, 5);
            let after_end = fwd_chars(t, m.end, 3);
            for &(s, e, kind) in ctx {
                match kind {
                    Ctx::RelationAfter if s >= m.end && e <= after_end => {
                        let gap = &t[m.end..s];
                        if gap.is_empty() || gap == "的" || gap == "县" {
                            m.relation *= 0.3;
                        }
                    }
                    Ctx::RelationBefore if e <= m.start && s >= before_start => m.relation *= 1.6,
                    Ctx::Home if e <= m.start && s >= back_chars(t, m.start, 4) => m.factor *= 0.7,
                    _ => {}
                }
            }
        }
        // A place named only to say the source is NOT there (跟东陈庄那个不是一家, 不是东巴河那个,
        // 和柳屯那边的不一样) does not locate it.
        for m in mentions.iter_mut() {
            let before = &t[back_chars(t, m.start, 3)..m.start];
            let after = &t[m.end..fwd_chars(t, m.end, 14)];
            let after = after.split(['。', '，', ',', '！', '？', '；']).next().unwrap_or("");
            let lead = ["跟", "和", "与", "同"].iter().any(|w| before.ends_with(w));
            let not_lead = ["不是", "并非", "别光查", "别查"].iter().any(|w| before.ends_with(w));
            let that = ["那个", "那家", "那边", "那里", "那儿", "的那"].iter().any(|w| after.starts_with(w));
            let differ = ["不是一", "不一样", "不是同一", "不同", "两码事", "不是一回事", "没关系"]
                .iter()
                .any(|w| after.contains(w));
            if (lead && differ) || (not_lead && that) {
                m.factor = 0.0;
            }
        }
        // The nearest place before each source word (within 16 chars) is where the source is.
        let mut boosted = vec![false; mentions.len()];
        for &(s, _, kind) in ctx {
            if kind != Ctx::Source {
                continue;
            }
            let lo = back_chars(t, s, 16);
            if let Some(i) = mentions.iter().rposition(|m| m.end <= s && m.end >= lo && m.factor > 0.0)
                && !boosted[i]
            {
                boosted[i] = true;
                mentions[i].factor *= 1.5;
            }
        }
    }

    fn decide(&self, mentions: &[Mention]) -> Routing {
        let pats = &self.inner.patterns;
        let mut county_votes: HashMap<&str, f32> = HashMap::new();
        let mut city_local = 0.0f32;
        let mut outside = 0.0f32;
        let mut best_outside: Option<(f32, usize, &str)> = None;
        for (mi, m) in mentions.iter().enumerate() {
            let p = &pats[m.pat];
            let w = p.targets.iter().map(|t| t.weight).fold(0.0, f32::max) * m.factor * m.relation;
            if w <= 0.0 {
                continue;
            }
            let mut counties: Vec<&str> = p
                .targets
                .iter()
                .filter_map(|t| match &t.scope {
                    Scope::Local { county, .. } => Some(&**county),
                    _ => None,
                })
                .collect();
            counties.sort_unstable();
            counties.dedup();
            if !counties.is_empty() {
                let share = w / counties.len() as f32;
                for c in counties {
                    *county_votes.entry(c).or_default() += share;
                }
            } else if p.targets.iter().any(|t| t.scope == Scope::LocalCity) {
                city_local += w;
            } else if let Some(code) = p.targets.iter().find_map(|t| match &t.scope {
                Scope::Outside { code } => Some(&**code),
                _ => None,
            }) {
                outside += w;
                // Prefer the most specific (longest code), then the heaviest.
                let better = match best_outside {
                    None => true,
                    Some((bw, _, bc)) => code.len() > bc.len() || (code.len() == bc.len() && w > bw),
                };
                if better {
                    best_outside = Some((w, mi, code));
                }
            }
        }
        let mut ranked: Vec<(&str, f32)> = county_votes.iter().map(|(c, v)| (*c, *v)).collect();
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(b.0)));
        let best_local = ranked.first().map(|r| r.1).unwrap_or(0.0);
        let total_local: f32 = ranked.iter().map(|r| r.1).sum::<f32>() + city_local;

        if outside > 0.0 && outside > best_local + 0.5 * city_local {
            let (_, _, code) = best_outside.unwrap_or((0.0, 0, ""));
            let evidence = self.evidence(mentions, |s| matches!(s, Scope::Outside { .. }));
            let conf = confidence(outside, outside + total_local);
            return Routing {
                county: CountyOutcome::Outside { name: self.outside_name(code, mentions) },
                township_code: None,
                village_code: None,
                confidence: FieldConfidence { county: conf, township: 0.0, village: 0.0 },
                evidence,
                places: Vec::new(),
            };
        }
        let Some(&(county, cv)) = ranked.first() else {
            let ev = self.evidence(mentions, |s| *s == Scope::LocalCity);
            return unknown(ev, 0.6);
        };
        if ranked.get(1).is_some_and(|r| (r.1 - cv).abs() < 1e-4) {
            let ev = self.evidence(mentions, |s| matches!(s, Scope::Local { .. }));
            return unknown(ev, 0.3);
        }
        let county_conf = confidence(cv, total_local + outside);

        // Township and village inside the chosen county.
        let mut tw: HashMap<&str, f32> = HashMap::new();
        // Votes of township-level mentions only (柳屯镇 itself, not a village in it).
        let mut tw_direct: HashMap<&str, f32> = HashMap::new();
        let mut vil: HashMap<&str, (f32, &str)> = HashMap::new();
        for m in mentions {
            let p = &pats[m.pat];
            let w = p.targets.iter().map(|t| t.weight).fold(0.0, f32::max) * m.factor;
            if w <= 0.0 {
                continue;
            }
            let inside: Vec<(&str, Option<&str>)> = p
                .targets
                .iter()
                .filter_map(|t| match &t.scope {
                    Scope::Local { county: c, township: Some(tc), village } if &**c == county => {
                        Some((&**tc, village.as_deref()))
                    }
                    _ => None,
                })
                .collect();
            if inside.is_empty() {
                continue;
            }
            let mut towns: Vec<&str> = inside.iter().map(|(t, _)| *t).collect();
            towns.sort_unstable();
            towns.dedup();
            let vw = if inside.iter().any(|(_, v)| v.is_some()) { 0.8 } else { 1.0 };
            for tc in &towns {
                *tw.entry(tc).or_default() += w * vw / towns.len() as f32;
                if inside.iter().any(|(t, v)| t == tc && v.is_none()) {
                    *tw_direct.entry(tc).or_default() += w / towns.len() as f32;
                }
            }
            let villages: Vec<(&str, &str)> = inside.iter().filter_map(|(t, v)| v.map(|v| (v, *t))).collect();
            for (v, tc) in &villages {
                let e = vil.entry(v).or_insert((0.0, tc));
                e.0 += w / villages.len() as f32;
            }
        }
        // A township named as such decides; villages only decide when no township is named.
        let (township, t_conf) = if tw_direct.is_empty() {
            pick(&tw)
        } else {
            let direct: HashMap<&str, f32> = tw_direct.keys().map(|t| (*t, tw[t])).collect();
            pick(&direct)
        };
        let village_pool: HashMap<&str, f32> = vil
            .iter()
            .filter(|(_, (_, tc))| township.is_none_or(|t| t == *tc))
            .map(|(v, (w, _))| (*v, *w))
            .collect();
        let (village, v_conf) = pick(&village_pool);
        let township = match (township, village) {
            (None, Some(v)) => vil.get(v).map(|(_, tc)| *tc),
            (t, _) => t,
        };
        let evidence = self.evidence(mentions, |s| match s {
            Scope::Local { county: c, township: t, .. } => {
                &**c == county && (t.is_none() || t.as_deref() == township)
            }
            Scope::LocalCity => false,
            Scope::Outside { .. } => false,
        });
        Routing {
            county: CountyOutcome::Code(county.to_owned()),
            township_code: township.map(str::to_owned),
            village_code: village.map(str::to_owned),
            confidence: FieldConfidence {
                county: county_conf,
                township: if township.is_some() { t_conf.max(v_conf) } else { 0.0 },
                village: v_conf,
            },
            evidence,
            places: Vec::new(),
        }
    }

    fn evidence(&self, mentions: &[Mention], keep: impl Fn(&Scope) -> bool) -> Vec<String> {
        let pats = &self.inner.patterns;
        let mut out: Vec<String> = Vec::new();
        for m in mentions {
            let p = &pats[m.pat];
            if m.factor > 0.0 && p.targets.iter().any(|t| keep(&t.scope)) && !out.contains(&p.text) {
                out.push(p.text.clone());
            }
        }
        out
    }

    fn outside_name(&self, code: &str, mentions: &[Mention]) -> String {
        let pats = &self.inner.patterns;
        // The name as the text wrote it, most specific first: the deciding outside mentions joined.
        let mut parts: Vec<(&str, &str)> = Vec::new();
        for m in mentions {
            let p = &pats[m.pat];
            for t in &p.targets {
                if let Scope::Outside { code: c } = &t.scope
                    && code.starts_with(&**c)
                    && !parts.iter().any(|(pc, _)| *pc == &**c)
                {
                    parts.push((c, &p.text));
                }
            }
        }
        parts.sort_by_key(|(c, _)| c.len());
        let name: String = parts.iter().map(|(_, n)| *n).collect();
        if name.is_empty() { code.to_owned() } else { name }
    }
}

#[derive(Debug, Clone, Copy)]
struct Mention {
    start: usize,
    end: usize,
    pat: usize,
    factor: f32,
    /// Cross-border relation factor (对岸/隔壁): counts for the county decision only.
    relation: f32,
}

fn unknown(evidence: Vec<String>, conf: f32) -> Routing {
    Routing {
        county: CountyOutcome::Unknown,
        township_code: None,
        village_code: None,
        confidence: FieldConfidence { county: conf, township: 0.0, village: 0.0 },
        evidence,
        places: Vec::new(),
    }
}

/// Share of the evidence times saturation of its amount.
fn confidence(best: f32, total: f32) -> f32 {
    if best <= 0.0 || total <= 0.0 {
        return 0.0;
    }
    let share = best / total;
    let amount = 1.0 - (-best / 1.5).exp();
    (share * (0.5 + 0.5 * amount)).clamp(0.0, 1.0)
}

/// The unique best key of a vote map and its confidence, or `None` on a tie or an empty map.
fn pick<'a>(votes: &HashMap<&'a str, f32>) -> (Option<&'a str>, f32) {
    let mut v: Vec<(&str, f32)> = votes.iter().map(|(k, w)| (*k, *w)).collect();
    v.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(b.0)));
    match (v.first(), v.get(1)) {
        (None, _) => (None, 0.0),
        (Some(a), Some(b)) if (a.1 - b.1).abs() < 1e-4 => (None, 0.0),
        (Some(a), _) => {
            let total: f32 = v.iter().map(|x| x.1).sum();
            (Some(a.0), confidence(a.1, total))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::LazyLock;

    static R: LazyLock<Router> = LazyLock::new(Router::builtin);

    fn check(text: &str, county: &str, township: Option<&str>, village: Option<&str>) {
        let r = R.route(text);
        assert_eq!(
            (r.county.code(), r.township_code.as_deref(), r.village_code.as_deref()),
            (county, township, village),
            "{text}\n{r:?}"
        );
    }

    #[test]
    fn routes_official_common_and_short_names() {
        check("濮阳县柳屯镇有个化工厂夜里排气", "410928", Some("410928101"), None);
        check("柳屯镇一个化工厂夜里排气", "410928", Some("410928101"), None);
        check("我们柳屯这边天天冒黑烟", "410928", Some("410928101"), None);
        check("华龙区中原路街道办事处辖区内一饭店油烟扰民", "410902", Some("410902001"), None);
        check("南乐县张果屯镇的一家塑料厂", "410923", Some("410923104"), None);
        check("台前县打渔陈镇沿黄一带有人非法采砂", "410927", Some("410927103"), None);
    }

    #[test]
    fn resolves_repeated_township_names_from_other_places() {
        for (text, county) in [
            ("南乐县城关镇有个小作坊喷漆", "410923"),
            ("范县城关镇一家饭店油烟", "410926"),
            ("清丰县城关镇工地扬尘", "410922"),
            ("台前县城关镇夜间施工", "410927"),
            ("濮阳县城关镇一个锅炉冒黑烟", "410928"),
        ] {
            let r = R.route(text);
            assert_eq!(r.county.code(), county, "{text}");
            assert_eq!(r.township_code.as_deref(), Some(format!("{county}100").as_str()), "{text}");
        }
        // 城关镇 alone names five counties: nothing decides.
        check("城关镇有个作坊喷漆", "UNKNOWN", None, None);
    }

    #[test]
    fn routes_villages_and_zones() {
        check(
            "濮阳县庆祖镇大桑树南一街村委会附近有人烧垃圾",
            "410928",
            Some("410928103"),
            Some("410928103248"),
        );
        check("王助镇有个养殖场粪水直排", "410990", Some("410972100"), None);
        check("城乡一体化示范区新习镇一工地扬尘", "410990", Some("410972101"), None);
        check("濮阳经济技术开发区皇甫街道一家企业", "410972", Some("410972061"), None);
        check("开发区有家厂子晚上偷排", "410972", None, None);
        check("濮阳工业园区里的化工厂有异味", "410971", None, None);
    }

    #[test]
    fn reports_outside_for_other_cities_and_provinces() {
        for text in [
            "山东省莘县一家化工厂排放刺鼻气体",
            "河北大名县有个炼油作坊",
            "安阳市滑县一家砖厂冒黑烟",
            "台前县对岸的阳谷县一家厂夜里排烟",
            "山东东明那边的化工厂味道飘过来",
            "聊城市的一个工地扬尘严重",
        ] {
            let r = R.route(text);
            assert_eq!(r.county.code(), "OUTSIDE", "{text}\n{r:?}");
            assert!(r.township_code.is_none());
        }
        let r = R.route("河北大名县有个炼油作坊");
        assert!(matches!(&r.county, CountyOutcome::Outside { name } if name.contains("大名县")), "{r:?}");
    }

    #[test]
    fn unknown_when_nothing_locates() {
        for text in ["我家旁边有个厂天天冒烟", "晚上有噪音，睡不着", "", "濮阳市有人烧秸秆"]
        {
            assert_eq!(R.route(text).county, CountyOutcome::Unknown, "{text}");
        }
    }

    #[test]
    fn local_beats_generic_abbreviation_of_another_place() {
        // 范县产业集聚区 is a place; 工业园区 right after 范县 belongs to 范县.
        check("范县工业园区一家企业异味", "410926", None, None);
    }

    #[test]
    fn evidence_and_confidence() {
        let r = R.route("濮阳县柳屯镇有个化工厂");
        assert!(
            r.evidence.contains(&"濮阳县柳屯镇".to_owned()) || r.evidence.contains(&"柳屯镇".to_owned()),
            "{r:?}"
        );
        assert!(r.confidence.county > 0.5 && r.confidence.county <= 1.0);
        assert!(r.confidence.township > 0.3);
        assert_eq!(r.confidence.village, 0.0);
    }
}

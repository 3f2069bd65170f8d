//! Near-duplicate index: is this complaint about a source already reported?
//!
//! A [`DupDoc`] keeps what identifies a pollution source, not the wording:
//! - where: county / township / village codes from the router (different places never merge);
//! - who: *anchors* — the distinctive part of enterprise/shop names (濮阳市**鑫源**塑料制品有限公司 →
//!   鑫源), folded to toneless pinyin so that homophone typos (新源, 馨园) meet;
//! - what: the *source kind* (pig farm, plastics, paint shop, construction site …), pollution types and
//!   三散 category, and a direction (村东/村西) when the text gives one;
//! - how it is told: a 16-value MinHash of jieba words + Han bigrams (fillers, place names removed),
//!   which carries paraphrases and transcript-vs-letter style.
//!
//! Two documents are about different sources when their places, anchors or source kinds conflict — so
//! two plastics workshops in one village with different names, or a pig farm and a duck shed, do not
//! merge. Otherwise a score adds up place, anchor, kind, type and text agreement.
//!
//! Candidates come from an inverted index (village, township × kind, county × kind, anchor), so a
//! query scores a few hundred documents even at a million: O(bucket) per query, O(keys) per add.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::LazyLock;

use jieba_rs::Jieba;
use pinyin::ToPinyin;
use regex::Regex;
use serde::{Deserialize, Serialize};

use crate::classify::{Classification, PollutionType, Sansan};
use crate::router::{CountyOutcome, Routing};
use crate::text::{fold_char, is_han};

/// Number of MinHash values per document.
pub const MINHASH_K: usize = 16;
/// Score from which a pair is reported as the same source.
pub const DUP_THRESHOLD: f32 = 0.6;

static JIEBA: LazyLock<Jieba> = LazyLock::new(Jieba::new);

/// Forces the jieba dictionary to load (it loads lazily on first use; call at start-up to keep the
/// first request fast).
pub fn warm_up() {
    LazyLock::force(&JIEBA);
}

/// Source kinds: words → kind id. A kind is what the polluting thing *is*.
const KINDS: &[(&str, u8)] = &[
    ("养猪", 1),
    ("猪场", 1),
    ("生猪", 1),
    ("猪圈", 1),
    ("猪粪", 1),
    ("养鸡", 2),
    ("鸡场", 2),
    ("鸡棚", 2),
    ("鸡舍", 2),
    ("鸡粪", 2),
    ("鸭场", 3),
    ("鸭棚", 3),
    ("养鸭", 3),
    ("牛场", 4),
    ("养牛", 4),
    ("牛粪", 4),
    ("羊场", 5),
    ("养羊", 5),
    ("塑料", 6),
    ("颗粒", 6),
    ("造粒", 6),
    ("化工", 7),
    ("农药", 7),
    ("喷漆", 8),
    ("烤漆", 8),
    ("喷涂", 8),
    ("油漆", 8),
    ("家具", 9),
    ("木材", 9),
    ("木业", 9),
    ("板材", 9),
    ("砖厂", 10),
    ("砖窑", 10),
    ("石料", 11),
    ("碎石", 11),
    ("石子", 11),
    ("搅拌站", 12),
    ("商砼", 12),
    ("混凝土", 12),
    ("工地", 13),
    ("楼盘", 13),
    ("建筑工地", 13),
    ("施工", 13),
    ("饭店", 14),
    ("餐馆", 14),
    ("烧烤", 43),
    ("餐饮", 14),
    ("饭馆", 14),
    ("酒店", 14),
    ("锅炉", 15),
    ("炼油", 16),
    ("轮胎", 16),
    ("纸厂", 17),
    ("造纸", 17),
    ("纸业", 17),
    ("羽绒", 18),
    ("电镀", 19),
    ("酸洗", 19),
    ("洗车", 20),
    ("采砂", 21),
    ("挖沙", 21),
    ("抽沙", 21),
    ("砂场", 21),
    ("沙场", 21),
    ("秸秆", 22),
    ("散煤", 23),
    ("烧煤", 23),
    ("燃煤", 23),
    ("煤炉", 23),
    ("渣土", 24),
    ("铸造", 25),
    ("熔炼", 25),
    ("冶炼", 25),
    ("污水处理厂", 26),
    ("屠宰", 27),
    ("基站", 28),
    ("信号塔", 28),
    ("垃圾", 29),
    ("建筑垃圾", 29),
    ("KTV", 30),
    ("广场舞", 30),
    ("酒吧", 30),
    ("石灰", 31),
    ("沥青", 32),
    ("加油站", 33),
    ("洗煤", 34),
    ("煤场", 34),
    ("橡胶", 35),
    ("废品", 36),
    ("收购站", 36),
    ("养殖", 37),
    ("粪污", 37),
    ("钢构", 38),
    ("机械", 38),
    ("砂石", 39),
    ("探伤", 40),
    ("卖煤", 23),
    ("煤球", 23),
    ("蜂窝煤", 23),
    ("盗采", 21),
    ("河沙", 21),
    ("挖砂", 21),
    ("采沙", 21),
    ("油桶", 44),
    ("皮胶", 45),
    ("熬胶", 45),
    ("粉条", 46),
    ("粉皮", 46),
    ("汽修", 47),
    ("修车", 47),
    ("电瓶", 48),
    ("废电池", 48),
    ("粪", 37),
];
/// Words saying this source was reported before (上回有人反映, 又开始干了).
const REPEAT: &[&str] = &[
    "上回",
    "上次",
    "之前反映",
    "以前反映",
    "反映过",
    "又开始",
    "又干",
    "又熬",
    "又烧",
    "又冒",
    "又开",
    "还在",
    "还是没",
    "照样",
    "仍然",
    "依然",
    "继续",
    "死灰复燃",
    "再次",
    "又来了",
    "又有",
];
/// Receiving water bodies and places (a pond, a ditch): agreement adds, difference does not separate.
const RECEPTORS: &[(&str, u8)] = &[
    ("坑塘", 0),
    ("水坑", 0),
    ("臭水坑", 0),
    ("大坑", 0),
    ("坑里", 0),
    ("水塘", 0),
    ("池塘", 0),
    ("沟", 1),
    ("渠", 1),
    ("河", 2),
    ("机井", 3),
    ("井水", 3),
    ("地下水", 3),
    ("麦地", 4),
    ("农田", 4),
    ("地里", 4),
];
/// Words saying this is another source than one reported before (也有个…, 跟…不是一家).
const CONTRAST: &[&str] = &[
    "不是一家",
    "不是一个",
    "不是同一",
    "不一样",
    "不是一回事",
    "两码事",
    "另一家",
    "另外一家",
    "另一个",
    "另外一个",
    "又一家",
    "也有个",
    "也有一个",
    "也有一家",
    "还有一家",
    "新开的",
    "不是那个",
];
/// Kind 37 (养殖, generic livestock) is compatible with every specific farm kind (1–5).
const GENERIC_FARM: u8 = 37;

const FILLERS: &[&str] = &[
    "嗯",
    "啊",
    "呃",
    "哎",
    "喂",
    "那个",
    "这个",
    "就是",
    "然后",
    "那么",
    "您好",
    "你好",
    "谢谢",
    "是吧",
    "对吧",
    "反正",
    "的话",
    "我们",
    "你们",
    "他们",
    "这边",
    "那边",
    "一个",
    "一家",
    "有个",
    "有一个",
    "反映",
    "举报",
    "投诉",
    "情况",
    "问题",
    "希望",
    "领导",
    "督察组",
    "处理",
    "尽快",
    "严重",
    "影响",
    "群众",
    "老百姓",
    "现在",
    "已经",
    "还是",
    "没有",
    "什么",
    "怎么",
    "一下",
    "请",
    "此致",
    "敬礼",
    "敬爱",
    "尊敬",
    "特此",
    "村民",
    "周边",
    "附近",
    "居民",
    "生活",
    "身体",
    "健康",
    "政府",
    "部门",
    "有关",
    "相关",
    "要求",
    "调查",
    "查处",
    "解决",
    "一直",
    "经常",
    "每天",
    "天天",
    "几年",
    "多年",
    "时候",
    "东西",
    "这种",
    "这样",
    "那样",
    "非常",
    "特别",
    "实在",
    "真的",
    "根本",
    "还有",
    "而且",
    "但是",
    "因为",
    "所以",
    "如果",
    "可以",
    "能够",
    "应该",
    "我想",
    "想",
    "说",
    "给",
    "让",
    "被",
    "把",
    "都",
    "也",
    "还",
    "就",
    "很",
    "太",
    "了",
    "着",
    "过",
    "的",
    "地",
    "得",
];

static ENTITY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"([^\s的有个一在是了和把往向里旁边边上附近，。,.、；;：:！!？?（）()“”\x22'《》0-9]{2,14}?)(有限责任公司|股份有限公司|有限公司|公司|集团|合作社|养殖场|养猪场|养鸡场|加工厂|加工点|作坊|厂|饭店|酒店|宾馆|超市|门市|门市部|洗车行|洗车店|搅拌站|砖窑|窑厂|物流园|农家乐|烧烤店|饭馆|餐馆|KTV|回收站|收购站|站)",
    )
    .unwrap_or_else(|e| panic!("entity regex: {e}"))
});
static DIRECTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:村|庄|屯|寨|镇|集|街|路|桥)(东|西|南|北)(?:头|边|侧|面|口|南|北)?|(东|西|南|北)(?:头|边)")
        .unwrap_or_else(|e| panic!("direction regex: {e}"))
});

/// Leading words that are places or positions, not part of a business name.
const NAME_PREFIX_STRIP: &[&str] = &[
    "濮阳市",
    "濮阳县",
    "濮阳",
    "河南省",
    "河南",
    "华龙区",
    "清丰县",
    "南乐县",
    "范县",
    "台前县",
    "清丰",
    "南乐",
    "台前",
    "村东头",
    "村西头",
    "村南头",
    "村北头",
    "村东",
    "村西",
    "村南",
    "村北",
    "东头",
    "西头",
    "路东",
    "路西",
    "路南",
    "路北",
    "对面",
    "旁边",
    "隔壁",
    "一家",
    "一个",
    "那家",
    "这家",
    "那个",
    "这个",
    "小",
    "黑",
    "私人",
    "无证",
    "非法",
];
/// Industry words that describe rather than identify (鑫源**塑料制品**有限公司).
const NAME_GENERIC: &[&str] = &[
    "塑料制品",
    "塑料",
    "化工",
    "科技",
    "实业",
    "新材料",
    "材料",
    "环保",
    "建材",
    "商贸",
    "贸易",
    "能源",
    "石化",
    "化学",
    "制品",
    "加工",
    "机械",
    "设备",
    "食品",
    "饲料",
    "木业",
    "家具",
    "纸业",
    "造纸",
    "包装",
    "印刷",
    "纺织",
    "服装",
    "羽绒",
    "电子",
    "钢构",
    "钢铁",
    "金属",
    "铸造",
    "混凝土",
    "商砼",
    "水泥",
    "砖",
    "养殖",
    "生物",
    "医药",
    "橡胶",
    "轮胎",
    "汽车",
    "配件",
    "零部件",
    "物流",
    "运输",
    "发展",
    "有限",
    "股份",
    "责任",
    "专业",
    "农业",
    "牧业",
    "畜牧",
    "肉鸡",
    "生猪",
    "油脂",
    "板材",
    "石料",
    "洗涤",
    "喷涂",
    "喷漆",
    "炼油",
    "再生",
    "资源",
    "回收",
    "废旧",
    "颗粒",
    "涂料",
    "保温",
    "防水",
    "管业",
    "门窗",
    "铝业",
    "彩钢",
    "玻璃",
    "陶瓷",
    "耐火",
    "石油",
    "天然气",
    "燃气",
    "热力",
    "电力",
    "新能源",
    "农机",
    "肥业",
    "化肥",
    "农资",
    "面粉",
    "淀粉",
    "酿酒",
    "酒业",
    "制药",
    "药业",
    "屠宰",
    "肉食",
    "冷冻",
    "冷链",
    "制衣",
    "鞋业",
    "箱包",
    "五金",
    "模具",
    "机电",
    "电器",
    "电缆",
    "线缆",
    "汽修",
    "修理",
    "维修",
    "洗车",
    "餐饮",
    "烧烤",
    "砂石",
    "石子",
    "沙场",
    "采砂",
    "建筑",
    "工程",
    "装饰",
    "装修",
    "家庭",
    "作坊",
    "加工点",
    "猪",
    "鸡",
    "鸭",
    "牛",
    "羊",
    "工",
    "业",
    "制造",
    "有限责任公司",
    "股份有限公司",
    "有限公司",
    "公司",
    "集团",
    "厂",
    "分公司",
];

/// What the index keeps of one complaint.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DupDoc {
    /// Local county code, `OUTSIDE`, or `None` (unknown).
    pub county: Option<String>,
    pub township: Option<String>,
    pub village: Option<String>,
    /// Anchors as found (core names, e.g. 鑫源) and their folded keys.
    pub anchors: Vec<String>,
    anchor_keys: Vec<u64>,
    /// Point-like places of the places file named in the text (戚城遗址, 濮耐).
    landmarks: Vec<u64>,
    /// The text says this was reported before.
    repeat: bool,
    /// Bitmask of source kinds.
    kinds: u64,
    types: u8,
    sansan: Option<Sansan>,
    directions: u8,
    receptors: u8,
    /// The text says it is a different source from one reported before.
    contrast: bool,
    sig: [u32; MINHASH_K],
}

/// The best earlier match of a query.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DupMatch {
    /// The primary report of this source: the earliest document the match is linked to.
    pub id: u64,
    /// The document that matched (may itself be a duplicate of `id`).
    pub matched_id: u64,
    pub score: f32,
    /// Why (Chinese, for the case page).
    pub evidence: Vec<String>,
}

fn fx(s: &str) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    s.hash(&mut h);
    h.finish()
}

/// Folds a name to toneless pinyin syllables (鑫源 / 新源 → "xin yuan"); non-Han chars pass through.
pub fn fold_name(name: &str) -> String {
    let mut out = String::new();
    for (c, p) in name.chars().zip(name.to_pinyin()) {
        if !out.is_empty() {
            out.push(' ');
        }
        match p {
            Some(p) => out.push_str(p.plain()),
            None => out.push(fold_char(c).to_ascii_lowercase()),
        }
    }
    out
}

/// The distinctive core of a business name, or `None` when it is all generic.
fn core_name(raw: &str) -> Option<String> {
    let mut s = raw.trim();
    let mut changed = true;
    while changed {
        changed = false;
        for p in NAME_PREFIX_STRIP {
            if let Some(r) = s.strip_prefix(p) {
                s = r;
                changed = true;
            }
        }
        // Any leading admin name ending in 县/区/镇/乡/村/市 (南乐县张果屯镇…).
        if let Some(i) = s.char_indices().take(8).find(|(_, c)| "省市县区镇乡村".contains(*c)).map(|(i, _)| i)
            && i > 0
        {
            let next = i + '县'.len_utf8();
            if s[next..].chars().count() >= 2 {
                s = &s[next..];
                changed = true;
            }
        }
    }
    let mut s = s.to_owned();
    let mut changed = true;
    while changed {
        changed = false;
        for g in NAME_GENERIC {
            if s.len() > g.len()
                && let Some(r) = s.strip_suffix(g)
            {
                s = r.to_owned();
                changed = true;
            }
        }
    }
    if NAME_GENERIC.contains(&s.as_str()) || s.chars().count() < 2 || !s.chars().all(is_han) {
        return None;
    }
    Some(s)
}

fn type_bits(types: &[PollutionType]) -> u8 {
    types.iter().filter(|t| **t != PollutionType::Other).fold(0u8, |b, t| b | (1 << (*t as u8)))
}

impl DupDoc {
    /// From a complaint text and what the router and classifier found for it.
    pub fn new(text: &str, routing: &Routing, class: &Classification) -> DupDoc {
        let county = match &routing.county {
            CountyOutcome::Code(c) => Some(c.as_str()),
            CountyOutcome::Outside { .. } => Some("OUTSIDE"),
            CountyOutcome::Unknown => None,
        };
        Self::build(
            text,
            county,
            routing.township_code.as_deref(),
            routing.village_code.as_deref(),
            &class.pollution_types,
            class.sansan,
            &routing.evidence,
            &routing.places,
        )
    }

    /// From the parts a store keeps (text, the `county_code` field value, township, village, types,
    /// 三散), so the app can rebuild the index at start-up. `county_code` is a code, `OUTSIDE` or
    /// `UNKNOWN`.
    pub fn from_parts(
        text: &str,
        county_code: &str,
        township: Option<&str>,
        village: Option<&str>,
        types: &[PollutionType],
        sansan: Option<Sansan>,
    ) -> DupDoc {
        let county = (county_code != "UNKNOWN" && !county_code.is_empty()).then_some(county_code);
        Self::build(text, county, township, village, types, sansan, &[], &[])
    }

    fn build(
        text: &str,
        county: Option<&str>,
        township: Option<&str>,
        village: Option<&str>,
        types: &[PollutionType],
        sansan: Option<Sansan>,
        place_words: &[String],
        landmarks: &[String],
    ) -> DupDoc {
        let t: String = text.chars().map(fold_char).collect();
        // Anchors.
        let mut anchors: Vec<String> = Vec::new();
        for c in ENTITY.captures_iter(&t) {
            if let Some(m) = c.get(1)
                && let Some(core) = core_name(m.as_str())
                && !place_words.iter().any(|p| p == &core || p.contains(core.as_str()))
                && !anchors.contains(&core)
            {
                anchors.push(core);
            }
        }
        let anchor_keys = anchors.iter().map(|a| fx(&fold_name(a))).collect();
        // Kinds.
        let mut kinds = 0u64;
        for (w, k) in KINDS {
            if t.contains(w) {
                kinds |= 1 << k;
            }
        }
        // Directions and content ignore the place names (渠村南湖村 has no 村南 in it).
        let mut content = t.clone();
        for p in place_words {
            content = content.replace(p.as_str(), "，");
        }
        let mut receptors = 0u8;
        for (w, k) in RECEPTORS {
            if content.contains(w) {
                receptors |= 1 << k;
            }
        }
        let contrast = CONTRAST.iter().any(|w| t.contains(w));
        let repeat = REPEAT.iter().any(|w| t.contains(w));
        let landmarks = landmarks.iter().map(|l| fx(l)).collect();
        let mut directions = 0u8;
        for c in DIRECTION.captures_iter(&content) {
            let d = c.get(1).or_else(|| c.get(2)).map(|m| m.as_str());
            directions |= match d {
                Some("东") => 1,
                Some("西") => 2,
                Some("南") => 4,
                Some("北") => 8,
                _ => 0,
            };
        }
        // Content shingles: jieba words (2+ chars, not fillers, not place words) and Han bigrams of them.
        let mut shingles: Vec<u64> = Vec::new();
        for tok in JIEBA.cut(&content, true) {
            let w = tok.word;
            if w.chars().count() < 2 || !w.chars().all(is_han) || FILLERS.contains(&w) {
                continue;
            }
            shingles.push(fx(w));
            let cs: Vec<char> = w.chars().collect();
            for pair in cs.windows(2) {
                let bg: String = pair.iter().collect();
                shingles.push(fx(&bg) ^ 0x9e37_79b9_7f4a_7c15);
            }
        }
        DupDoc {
            county: county.map(str::to_owned),
            township: township.map(str::to_owned),
            village: village.map(str::to_owned),
            anchors,
            anchor_keys,
            kinds,
            types: type_bits(types),
            sansan,
            directions,
            receptors,
            contrast,
            landmarks,
            repeat,
            sig: minhash(&shingles),
        }
    }

    /// Bytes this document takes in the index (heap included).
    pub fn memory_bytes(&self) -> usize {
        std::mem::size_of::<DupDoc>()
            + self.county.as_ref().map_or(0, String::capacity)
            + self.township.as_ref().map_or(0, String::capacity)
            + self.village.as_ref().map_or(0, String::capacity)
            + self.anchors.iter().map(|a| a.capacity() + 24).sum::<usize>()
            + self.anchor_keys.capacity() * 8
            + self.landmarks.capacity() * 8
    }
}

fn minhash(shingles: &[u64]) -> [u32; MINHASH_K] {
    let mut sig = [u32::MAX; MINHASH_K];
    for &s in shingles {
        let mut x = s;
        for slot in sig.iter_mut() {
            // splitmix64 step: a fresh independent hash per slot.
            x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = x;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            z ^= z >> 31;
            let v = z as u32;
            if v < *slot {
                *slot = v;
            }
        }
    }
    sig
}

fn jaccard(a: &[u32; MINHASH_K], b: &[u32; MINHASH_K]) -> f32 {
    if a[0] == u32::MAX || b[0] == u32::MAX {
        return 0.0;
    }
    a.iter().zip(b).filter(|(x, y)| x == y).count() as f32 / MINHASH_K as f32
}

/// Kinds that name an activity or fuel (burning coal, a boiler, straw, garbage, muck) rather than
/// what the source is; they decide only when neither side names what the source is.
const ACTIVITY_KINDS: u64 = (1 << 15) | (1 << 22) | (1 << 23) | (1 << 24) | (1 << 29);

fn kinds_compatible(a: u64, b: u64) -> Option<bool> {
    if a == 0 || b == 0 {
        return None;
    }
    let (pa, pb) = (a & !ACTIVITY_KINDS, b & !ACTIVITY_KINDS);
    let (a, b) = if pa != 0 && pb != 0 { (pa, pb) } else { (a, b) };
    let farm = 0b11_1110u64; // kinds 1..=5: pigs, chickens, ducks, cattle, sheep
    let generic = 1u64 << GENERIC_FARM;
    if a & farm != 0 && b & farm != 0 {
        // Both say which animals: they must agree.
        return Some(a & b & farm != 0);
    }
    if a & b & !generic != 0 {
        return Some(true);
    }
    if (a & generic != 0 && b & (farm | generic) != 0) || (b & generic != 0 && a & farm != 0) {
        return Some(true);
    }
    Some(false)
}

/// Score of a pair (0 when they cannot be the same source) and the reasons.
pub fn pair_score(q: &DupDoc, c: &DupDoc) -> (f32, Vec<String>) {
    let mut ev = Vec::new();
    let conflict = |a: &Option<String>, b: &Option<String>| matches!((a, b), (Some(x), Some(y)) if x != y);
    if conflict(&q.county, &c.county)
        || conflict(&q.township, &c.township)
        || conflict(&q.village, &c.village)
    {
        return (0.0, ev);
    }
    let mut score = 0.0f32;
    match (&q.village, &c.village, &q.township, &c.township, &q.county, &c.county) {
        (Some(v), Some(_), ..) => {
            score += 0.35;
            ev.push(format!("同一村（居）：{v}"));
        }
        (_, _, Some(t), Some(_), ..) => {
            score += 0.2;
            ev.push(format!("同一乡镇（街道）：{t}"));
        }
        (.., Some(cq), Some(_)) => {
            score += 0.05;
            ev.push(format!("同一区县：{cq}"));
        }
        _ => {}
    }
    if !q.anchor_keys.is_empty() && !c.anchor_keys.is_empty() {
        match q.anchor_keys.iter().position(|k| c.anchor_keys.contains(k)) {
            Some(i) => {
                score += 0.5;
                ev.push(format!("同一企业/商户：{}", q.anchors[i]));
            }
            None => return (0.0, ev),
        }
    }
    if q.landmarks.iter().any(|l| c.landmarks.contains(l)) {
        score += 0.3;
        ev.push("提到同一地标/企业".to_owned());
    }
    let kinds = kinds_compatible(q.kinds, c.kinds);
    match kinds {
        Some(true) => {
            score += 0.2;
            ev.push("同类污染源".to_owned());
        }
        Some(false) => return (0.0, ev),
        None => {}
    }
    if q.types != 0 && c.types != 0 {
        if q.types & c.types != 0 {
            score += 0.1;
        } else if kinds.is_none() {
            // Same kind of source but different types is classifier noise; without a kind it
            // means a different problem.
            score -= 0.3;
        }
    }
    if q.repeat {
        score += 0.15;
        ev.push("来电称此前已反映".to_owned());
    }
    if q.sansan.is_some() && q.sansan == c.sansan {
        score += 0.1;
    }
    if q.receptors & c.receptors != 0 {
        score += 0.15;
    }
    let anchored = !q.anchor_keys.is_empty() && q.anchor_keys.iter().any(|k| c.anchor_keys.contains(k));
    if q.contrast && !anchored {
        // 也有个… / 跟…不是一家: the writer says this is another source.
        return (0.0, ev);
    }
    if q.directions != 0 && c.directions != 0 && q.directions & c.directions == 0 {
        if q.directions.count_ones() == 1 && c.directions.count_ones() == 1 {
            // 村东头 vs 村西头: two places.
            return (0.0, ev);
        }
        score -= 0.3;
    }
    let j = jaccard(&q.sig, &c.sig);
    score += 0.6 * j;
    if j > 0.0 {
        ev.push(format!("文字相似度{:.2}", j));
    }
    (score, ev)
}

/// Incremental near-duplicate index (add one, query one).
#[derive(Debug, Default)]
pub struct DupIndex {
    docs: Vec<(u64, u64, DupDoc)>,
    by_id: HashMap<u64, usize>,
    postings: HashMap<u64, Vec<u32>>,
    threshold: Option<f32>,
}

fn keys(d: &DupDoc) -> Vec<u64> {
    let mut k = Vec::new();
    if let Some(v) = &d.village {
        k.push(fx(&format!("v{v}")));
    }
    let kinds: Vec<u32> = (0..64).filter(|b| d.kinds & (1 << b) != 0).collect();
    let kind_or_type: Vec<String> = if kinds.is_empty() {
        (0..8).filter(|b| d.types & (1 << b) != 0).map(|b| format!("t{b}")).chain(["t".to_owned()]).collect()
    } else {
        kinds.iter().map(|k| format!("k{k}")).collect()
    };
    for kt in &kind_or_type {
        if let Some(t) = &d.township {
            k.push(fx(&format!("T{t}{kt}")));
        }
        match &d.county {
            Some(c) => k.push(fx(&format!("C{c}{kt}"))),
            None => k.push(fx(&format!("U{kt}"))),
        }
    }
    for a in d.anchor_keys.iter().chain(&d.landmarks) {
        k.push(a.wrapping_mul(31).wrapping_add(7));
    }
    k.sort_unstable();
    k.dedup();
    k
}

impl DupIndex {
    pub fn new() -> DupIndex {
        DupIndex::default()
    }

    /// An index with a custom score threshold (default [`DUP_THRESHOLD`]).
    pub fn with_threshold(threshold: f32) -> DupIndex {
        DupIndex { threshold: Some(threshold), ..DupIndex::default() }
    }

    /// Adds a document that is its own primary.
    pub fn add(&mut self, id: u64, doc: &DupDoc) {
        self.insert(id, id, doc.clone());
    }

    /// Adds a document known to be a duplicate of `primary` (queries that match it report `primary`).
    pub fn add_duplicate(&mut self, id: u64, doc: &DupDoc, primary: u64) {
        let root = self.by_id.get(&primary).map(|&i| self.docs[i].1).unwrap_or(primary);
        self.insert(id, root, doc.clone());
    }

    fn insert(&mut self, id: u64, primary: u64, doc: DupDoc) {
        let idx = self.docs.len() as u32;
        for k in keys(&doc) {
            self.postings.entry(k).or_default().push(idx);
        }
        self.by_id.insert(id, idx as usize);
        self.docs.push((id, primary, doc));
    }

    /// The best-matching earlier document about the same source, reported by its primary (the
    /// earliest report of that source), if any scores at least the threshold.
    pub fn query(&self, doc: &DupDoc) -> Option<DupMatch> {
        let threshold = self.threshold.unwrap_or(DUP_THRESHOLD);
        let mut cands: Vec<u32> = Vec::new();
        for k in keys(doc) {
            if let Some(p) = self.postings.get(&k) {
                cands.extend_from_slice(p);
            }
        }
        cands.sort_unstable();
        cands.dedup();
        let mut best: Option<(usize, f32, Vec<String>)> = None;
        for &i in &cands {
            let (_, _, c) = &self.docs[i as usize];
            let (s, ev) = pair_score(doc, c);
            if s < threshold {
                continue;
            }
            // The best match wins (ties: the earlier one); its primary is reported.
            let better = match &best {
                None => true,
                Some((bi, bs, _)) => s > *bs || (s == *bs && (i as usize) < *bi),
            };
            if better {
                best = Some((i as usize, s, ev));
            }
        }
        best.map(|(i, score, evidence)| DupMatch {
            id: self.docs[i].1,
            matched_id: self.docs[i].0,
            score,
            evidence,
        })
    }

    pub fn len(&self) -> usize {
        self.docs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }

    /// Estimated heap bytes of the index (documents, postings, id map).
    pub fn memory_bytes(&self) -> usize {
        let docs: usize = self.docs.iter().map(|(_, _, d)| d.memory_bytes() + 16).sum::<usize>()
            + (self.docs.capacity() - self.docs.len()) * std::mem::size_of::<(u64, u64, DupDoc)>();
        let postings: usize = self.postings.values().map(|v| v.capacity() * 4 + 8 + 24 + 8).sum();
        let ids = self.by_id.capacity() * (8 + 8 + 8);
        docs + postings + ids
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::router::Router;
    use std::sync::LazyLock;

    static R: LazyLock<Router> = LazyLock::new(Router::builtin);

    fn doc(text: &str) -> DupDoc {
        DupDoc::new(text, &R.route(text), &crate::classify(text))
    }

    /// Adds `earlier` in order and returns which one (index) `text` is reported a duplicate of.
    fn dup_of(earlier: &[&str], text: &str) -> Option<u64> {
        let mut ix = DupIndex::new();
        for (i, e) in earlier.iter().enumerate() {
            let d = doc(e);
            match ix.query(&d) {
                Some(m) => ix.add_duplicate(i as u64, &d, m.id),
                None => ix.add(i as u64, &d),
            }
        }
        ix.query(&doc(text)).map(|m| m.id)
    }

    #[test]
    fn anchors_fold_homophones() {
        assert_eq!(fold_name("鑫源"), fold_name("新源"));
        assert_eq!(core_name("濮阳市鑫源塑料制品有限公司").as_deref(), Some("鑫源"));
        assert_eq!(core_name("南乐县张果屯镇新源塑料").as_deref(), Some("新源"));
        assert_eq!(core_name("塑料"), None);
        let d = doc("濮阳市鑫源塑料制品有限公司偷排废水");
        assert_eq!(d.anchors, vec!["鑫源".to_owned()]);
    }

    #[test]
    fn paraphrase_and_style_are_duplicates() {
        let letter = "敬爱的督察组：濮阳县柳屯镇肖楼村村东头有一家塑料颗粒作坊，每天夜里冒黑烟，气味刺鼻，严重影响村民生活。";
        let call = "喂，你好，我想反映一下，就是柳屯镇肖楼村东头那个塑料作坊，晚上一直冒烟，味道很呛人。";
        assert_eq!(dup_of(&[letter], call), Some(0));
        let a = "南乐县张果屯镇鑫源塑料制品有限公司往河沟里偷排废水";
        let b = "张果屯镇新源塑料厂排污水，沟里的水都黑了";
        assert_eq!(dup_of(&[a], b), Some(0));
    }

    #[test]
    fn different_sources_in_same_village_or_industry_do_not_merge() {
        // Same village, different kinds of source.
        let pig = "濮阳县柳屯镇肖楼村村东头的养猪场粪水直排，臭味很大";
        let duck = "濮阳县柳屯镇肖楼村有个鸭棚，污水乱排，臭味很大";
        assert_eq!(dup_of(&[pig], duck), None);
        // Same village, same kind, different names.
        let a = "清丰县马庄桥镇有个宏达家具厂喷漆没有环保设施，味道刺鼻";
        let b = "清丰县马庄桥镇的兴隆家具厂喷漆废气直排，味道刺鼻";
        assert_eq!(dup_of(&[a], b), None);
        // Same industry, neighbouring townships.
        let c = "南乐县韩张镇一家塑料颗粒作坊夜里冒黑烟";
        let d = "南乐县元村镇一家塑料颗粒作坊夜里冒黑烟";
        assert_eq!(dup_of(&[c], d), None);
        // Same village, opposite ends.
        let e = "范县陈庄镇王庄村村东头有个塑料作坊冒烟";
        let f = "范县陈庄镇王庄村村西头有个塑料作坊冒烟";
        assert_eq!(dup_of(&[e], f), None);
    }

    #[test]
    fn reports_the_earliest_primary() {
        let a = "台前县产业集聚区的鑫达羽绒厂往金堤河排污水";
        let b = "台前县鑫达羽绒公司偷排废水到河里";
        let c = "台前县新达羽绒厂排放废水";
        assert_eq!(dup_of(&[a, b], c), Some(0));
    }

    #[test]
    fn memory_grows_with_documents() {
        let mut ix = DupIndex::new();
        let before = ix.memory_bytes();
        for i in 0..100 {
            ix.add(i, &doc("濮阳县柳屯镇肖楼村村东头有一家塑料颗粒作坊冒黑烟"));
        }
        assert_eq!(ix.len(), 100);
        assert!(ix.memory_bytes() > before + 100 * std::mem::size_of::<DupDoc>());
    }
}

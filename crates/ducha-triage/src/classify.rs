//! Pollution-type (multi-label) and 三散 classifier: weighted keywords, explainable by the words that
//! matched.
//!
//! Each keyword adds weight to one or more labels; a pollution type is reported when its weight reaches
//! [`TYPE_THRESHOLD`], the 三散 category with the highest weight when it reaches [`SANSAN_THRESHOLD`].
//! A keyword right after a negation (没有噪音, 无异味) does not count. When no type reaches the
//! threshold the complaint is `其他`.

use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, MatchKind};
use serde::{Deserialize, Serialize};

use crate::text::{Folded, back_chars};

/// 污染类型 as disclosed (问题类型 / 污染类型 column).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum PollutionType {
    #[serde(rename = "大气")]
    Air,
    #[serde(rename = "水")]
    Water,
    #[serde(rename = "土壤")]
    Soil,
    #[serde(rename = "噪声")]
    Noise,
    #[serde(rename = "固废")]
    SolidWaste,
    #[serde(rename = "生态")]
    Ecology,
    #[serde(rename = "辐射")]
    Radiation,
    #[serde(rename = "其他")]
    Other,
}

impl PollutionType {
    pub const ALL: [PollutionType; 8] = [
        PollutionType::Air,
        PollutionType::Water,
        PollutionType::Soil,
        PollutionType::Noise,
        PollutionType::SolidWaste,
        PollutionType::Ecology,
        PollutionType::Radiation,
        PollutionType::Other,
    ];

    /// The Chinese label: 大气 水 土壤 噪声 固废 生态 辐射 其他.
    pub fn label(self) -> &'static str {
        match self {
            PollutionType::Air => "大气",
            PollutionType::Water => "水",
            PollutionType::Soil => "土壤",
            PollutionType::Noise => "噪声",
            PollutionType::SolidWaste => "固废",
            PollutionType::Ecology => "生态",
            PollutionType::Radiation => "辐射",
            PollutionType::Other => "其他",
        }
    }

    /// Parses a label (also accepts 大气污染, 水污染, 噪音, 固体废物 …).
    pub fn parse(s: &str) -> Option<PollutionType> {
        let s = s.trim();
        let s = s.strip_suffix("污染").unwrap_or(s);
        Some(match s {
            "大气" | "空气" | "气" | "废气" => PollutionType::Air,
            "水" | "水体" | "废水" => PollutionType::Water,
            "土壤" | "土" => PollutionType::Soil,
            "噪声" | "噪音" => PollutionType::Noise,
            "固废" | "固体废物" | "垃圾" => PollutionType::SolidWaste,
            "生态" | "生态破坏" => PollutionType::Ecology,
            "辐射" | "电磁辐射" => PollutionType::Radiation,
            "其他" | "其它" => PollutionType::Other,
            _ => return None,
        })
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// 三散 category.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Sansan {
    #[serde(rename = "散乱污企业")]
    ScatteredEnterprise,
    #[serde(rename = "散煤")]
    LooseCoal,
    #[serde(rename = "散尘")]
    LooseDust,
}

impl Sansan {
    pub const ALL: [Sansan; 3] = [Sansan::ScatteredEnterprise, Sansan::LooseCoal, Sansan::LooseDust];

    pub fn label(self) -> &'static str {
        match self {
            Sansan::ScatteredEnterprise => "散乱污企业",
            Sansan::LooseCoal => "散煤",
            Sansan::LooseDust => "散尘",
        }
    }

    pub fn parse(s: &str) -> Option<Sansan> {
        Sansan::ALL.into_iter().find(|x| x.label() == s.trim())
    }
}

/// Confidence of the two classifier fields, in `0..=1`.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct ClassConfidence {
    pub pollution_types: f32,
    pub sansan: f32,
}

/// What the classifier found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Classification {
    /// Ordered by weight, at least one entry (`其他` when nothing else matched).
    pub pollution_types: Vec<PollutionType>,
    pub sansan: Option<Sansan>,
    /// The words that decided, in text order.
    pub evidence: Vec<String>,
    pub confidence: ClassConfidence,
}

/// Weight a pollution type needs to be reported.
pub const TYPE_THRESHOLD: f32 = 2.0;
/// Weight the 三散 category needs to be reported.
pub const SANSAN_THRESHOLD: f32 = 2.0;

#[derive(Debug, Clone, Copy)]
enum L {
    T(PollutionType),
    S(Sansan),
}

use L::{S, T};
use PollutionType::{Air, Ecology, Noise, Other, Radiation, Soil, SolidWaste, Water};
use Sansan::{LooseCoal, LooseDust, ScatteredEnterprise};

/// Keyword table: (word, [(label, weight)]). Strong words weigh 2 (enough alone), weak ones 1.
const KEYWORDS: &[(&str, &[(L, f32)])] = &[
    // 大气
    ("废气", &[(T(Air), 2.0)]),
    ("烟尘", &[(T(Air), 2.0)]),
    ("黑烟", &[(T(Air), 2.0)]),
    ("冒烟", &[(T(Air), 2.0)]),
    ("浓烟", &[(T(Air), 2.0)]),
    ("排烟", &[(T(Air), 2.0)]),
    ("烟囱", &[(T(Air), 2.0)]),
    ("冒黑烟", &[(T(Air), 2.0)]),
    ("冒白烟", &[(T(Air), 2.0)]),
    ("烟雾", &[(T(Air), 2.0)]),
    ("异味", &[(T(Air), 2.0)]),
    ("臭味", &[(T(Air), 2.0)]),
    ("恶臭", &[(T(Air), 2.0)]),
    ("刺鼻", &[(T(Air), 2.0)]),
    ("气味", &[(T(Air), 2.0)]),
    ("味道", &[(T(Air), 1.5)]),
    ("臭气", &[(T(Air), 2.0)]),
    ("熏", &[(T(Air), 1.5)]),
    ("呛", &[(T(Air), 1.5)]),
    ("油烟", &[(T(Air), 2.0)]),
    ("扬尘", &[(T(Air), 2.0), (S(LooseDust), 2.5)]),
    ("粉尘", &[(T(Air), 2.0)]),
    ("灰尘", &[(T(Air), 2.0), (S(LooseDust), 1.0)]),
    ("尘土", &[(T(Air), 2.0), (S(LooseDust), 1.5)]),
    ("尘土飞扬", &[(T(Air), 2.0), (S(LooseDust), 2.5)]),
    ("暴土", &[(T(Air), 2.0), (S(LooseDust), 2.0)]),
    ("漫天", &[(T(Air), 1.0)]),
    ("飘灰", &[(T(Air), 2.0)]),
    ("焚烧", &[(T(Air), 2.0)]),
    ("烧秸秆", &[(T(Air), 2.0)]),
    ("秸秆", &[(T(Air), 1.0)]),
    ("烧垃圾", &[(T(Air), 2.0), (T(SolidWaste), 1.0)]),
    ("烧塑料", &[(T(Air), 2.0)]),
    ("烧轮胎", &[(T(Air), 2.0)]),
    ("喷漆", &[(T(Air), 2.0), (S(ScatteredEnterprise), 1.0)]),
    ("烤漆", &[(T(Air), 2.0)]),
    ("喷涂", &[(T(Air), 2.0)]),
    ("油漆味", &[(T(Air), 2.0)]),
    ("VOC", &[(T(Air), 2.0)]),
    ("挥发性有机", &[(T(Air), 2.0)]),
    ("雾霾", &[(T(Air), 2.0)]),
    ("空气", &[(T(Air), 1.5)]),
    ("尾气", &[(T(Air), 2.0)]),
    ("沥青", &[(T(Air), 1.5)]),
    ("酸雾", &[(T(Air), 2.0)]),
    ("锅炉", &[(T(Air), 2.0)]),
    ("冒烟囱", &[(T(Air), 2.0)]),
    ("烧烤", &[(T(Air), 2.0)]),
    ("炉子", &[(T(Air), 1.0)]),
    // 散煤
    ("散煤", &[(T(Air), 2.0), (S(LooseCoal), 3.0)]),
    ("烧煤", &[(T(Air), 2.0), (S(LooseCoal), 2.5)]),
    ("燃煤", &[(T(Air), 2.0), (S(LooseCoal), 2.5)]),
    ("煤球", &[(T(Air), 1.5), (S(LooseCoal), 2.5)]),
    ("蜂窝煤", &[(T(Air), 1.5), (S(LooseCoal), 2.5)]),
    ("煤炉", &[(T(Air), 2.0), (S(LooseCoal), 2.5)]),
    ("煤火", &[(T(Air), 2.0), (S(LooseCoal), 2.5)]),
    ("劣质煤", &[(T(Air), 2.0), (S(LooseCoal), 3.0)]),
    ("原煤", &[(S(LooseCoal), 2.0)]),
    ("卖煤", &[(S(LooseCoal), 2.5)]),
    ("煤场", &[(S(LooseCoal), 1.5), (S(LooseDust), 1.0)]),
    ("煤堆", &[(S(LooseCoal), 1.0), (S(LooseDust), 1.0)]),
    ("煤烟", &[(T(Air), 2.0), (S(LooseCoal), 2.0)]),
    ("取暖", &[(S(LooseCoal), 1.0)]),
    ("烧炭", &[(T(Air), 1.5), (S(LooseCoal), 2.0)]),
    ("煤", &[(S(LooseCoal), 1.0)]),
    // 散尘
    ("工地", &[(S(LooseDust), 1.0)]),
    ("渣土", &[(T(Air), 1.0), (S(LooseDust), 2.5)]),
    ("渣土车", &[(T(Air), 1.5), (S(LooseDust), 2.5)]),
    ("裸土", &[(T(Air), 1.5), (S(LooseDust), 2.5)]),
    ("裸露", &[(T(Air), 1.0), (S(LooseDust), 2.0)]),
    ("苫盖", &[(T(Air), 1.5), (S(LooseDust), 2.5)]),
    ("覆盖", &[(S(LooseDust), 1.0)]),
    ("堆场", &[(S(LooseDust), 1.5)]),
    ("料场", &[(S(LooseDust), 1.5)]),
    ("砂石", &[(S(LooseDust), 1.5)]),
    ("沙石", &[(S(LooseDust), 1.5)]),
    ("石料", &[(S(LooseDust), 1.0), (S(ScatteredEnterprise), 0.5)]),
    ("搅拌站", &[(S(LooseDust), 2.0), (T(Air), 1.0)]),
    ("拆迁", &[(S(LooseDust), 1.5)]),
    ("拆除", &[(S(LooseDust), 1.0)]),
    ("洒水", &[(S(LooseDust), 1.5), (T(Air), 1.0)]),
    ("抑尘", &[(S(LooseDust), 2.0), (T(Air), 1.0)]),
    ("遗撒", &[(S(LooseDust), 2.0), (T(Air), 1.0)]),
    ("撒漏", &[(S(LooseDust), 2.0), (T(Air), 1.0)]),
    ("沙土", &[(S(LooseDust), 1.5)]),
    ("土方", &[(S(LooseDust), 1.5)]),
    ("道路扬尘", &[(T(Air), 2.0), (S(LooseDust), 3.0)]),
    // 散乱污企业
    ("散乱污", &[(S(ScatteredEnterprise), 3.0)]),
    ("作坊", &[(S(ScatteredEnterprise), 2.5)]),
    ("黑作坊", &[(S(ScatteredEnterprise), 3.0)]),
    ("小厂", &[(S(ScatteredEnterprise), 2.0)]),
    ("小工厂", &[(S(ScatteredEnterprise), 2.0)]),
    ("小加工", &[(S(ScatteredEnterprise), 2.0)]),
    ("加工点", &[(S(ScatteredEnterprise), 2.0)]),
    ("黑加工", &[(S(ScatteredEnterprise), 2.5)]),
    ("无证", &[(S(ScatteredEnterprise), 2.0)]),
    ("无照", &[(S(ScatteredEnterprise), 2.0)]),
    ("没有手续", &[(S(ScatteredEnterprise), 2.0)]),
    ("无手续", &[(S(ScatteredEnterprise), 2.0)]),
    ("手续不全", &[(S(ScatteredEnterprise), 2.0)]),
    ("没有环评", &[(S(ScatteredEnterprise), 2.0)]),
    ("没环评", &[(S(ScatteredEnterprise), 2.0)]),
    ("营业执照", &[(S(ScatteredEnterprise), 1.0)]),
    ("塑料颗粒", &[(S(ScatteredEnterprise), 2.5), (T(Air), 1.0)]),
    ("废塑料", &[(S(ScatteredEnterprise), 2.0)]),
    ("再生塑料", &[(S(ScatteredEnterprise), 2.0)]),
    ("造粒", &[(S(ScatteredEnterprise), 2.0), (T(Air), 1.0)]),
    ("废旧轮胎", &[(S(ScatteredEnterprise), 2.0), (T(SolidWaste), 1.0)]),
    ("炼油", &[(S(ScatteredEnterprise), 2.0), (T(Air), 1.5)]),
    ("土法", &[(S(ScatteredEnterprise), 2.0)]),
    ("电镀", &[(S(ScatteredEnterprise), 1.5)]),
    ("酸洗", &[(S(ScatteredEnterprise), 2.0), (T(Water), 1.0)]),
    ("熔炼", &[(S(ScatteredEnterprise), 1.5), (T(Air), 1.0)]),
    ("小锅炉", &[(T(Air), 2.0), (S(LooseCoal), 1.0)]),
    ("家庭式", &[(S(ScatteredEnterprise), 2.0)]),
    ("小作坊", &[(S(ScatteredEnterprise), 3.0)]),
    ("私自", &[(S(ScatteredEnterprise), 0.5)]),
    ("偷偷", &[(S(ScatteredEnterprise), 0.5)]),
    ("羽绒", &[(S(ScatteredEnterprise), 1.0)]),
    ("水洗", &[(T(Water), 1.0)]),
    ("石灰窑", &[(S(ScatteredEnterprise), 2.0), (T(Air), 2.0)]),
    ("砖窑", &[(S(ScatteredEnterprise), 2.0), (T(Air), 1.5)]),
    ("砖厂", &[(S(ScatteredEnterprise), 2.0), (T(Air), 1.0)]),
    ("小化工", &[(S(ScatteredEnterprise), 2.5)]),
    ("没牌子", &[(S(ScatteredEnterprise), 2.0)]),
    ("没有牌子", &[(S(ScatteredEnterprise), 2.0)]),
    ("汽修", &[(S(ScatteredEnterprise), 1.0)]),
    ("收废品", &[(T(SolidWaste), 2.0), (S(ScatteredEnterprise), 2.0)]),
    ("烧的是煤", &[(S(LooseCoal), 2.5), (T(Air), 1.0)]),
    ("烧的煤", &[(S(LooseCoal), 2.5), (T(Air), 1.0)]),
    ("刷漆", &[(T(Air), 2.0)]),
    ("闻到", &[(T(Air), 1.5)]),
    ("熏天", &[(T(Air), 2.0)]),
    ("机器", &[(T(Noise), 1.0)]),
    ("挖掘机", &[(T(Noise), 1.5)]),
    ("夜里", &[(T(Noise), 0.5)]),
    ("晚上施工", &[(T(Noise), 2.5)]),
    ("夜里施工", &[(T(Noise), 2.5)]),
    ("深夜施工", &[(T(Noise), 2.5)]),
    ("猪粪水", &[(T(Water), 2.0)]),
    ("鸡粪", &[(T(SolidWaste), 1.0), (T(Air), 0.5)]),
    ("猪粪", &[(T(SolidWaste), 1.0), (T(Air), 0.5)]),
    ("牛粪", &[(T(SolidWaste), 1.0)]),
    ("塑料桶", &[(T(SolidWaste), 1.0)]),
    ("瓶子", &[(T(SolidWaste), 1.0)]),
    ("渗入农田", &[(T(Soil), 2.5)]),
    ("油污", &[(T(Soil), 1.0), (T(Water), 0.5)]),
    // 水
    ("废水", &[(T(Water), 2.0)]),
    ("污水", &[(T(Water), 2.0)]),
    ("排污口", &[(T(Water), 2.0)]),
    ("偷排", &[(T(Water), 1.5)]),
    ("直排", &[(T(Water), 1.5)]),
    ("暗管", &[(T(Water), 2.5)]),
    ("渗坑", &[(T(Water), 2.5), (T(Soil), 2.0)]),
    ("渗井", &[(T(Water), 2.5)]),
    ("黑臭", &[(T(Water), 2.5)]),
    ("河水", &[(T(Water), 2.0)]),
    ("河道", &[(T(Water), 1.5)]),
    ("河里", &[(T(Water), 2.0)]),
    ("河沟", &[(T(Water), 2.0)]),
    ("沟里", &[(T(Water), 1.5)]),
    ("沟渠", &[(T(Water), 2.0)]),
    ("水渠", &[(T(Water), 2.0)]),
    ("渠里", &[(T(Water), 2.0)]),
    ("坑塘", &[(T(Water), 2.0)]),
    ("水坑", &[(T(Water), 2.0)]),
    ("水塘", &[(T(Water), 2.0)]),
    ("水体", &[(T(Water), 2.0)]),
    ("水质", &[(T(Water), 2.0)]),
    ("地下水", &[(T(Water), 2.5)]),
    ("井水", &[(T(Water), 2.0)]),
    ("饮用水", &[(T(Water), 2.0)]),
    ("自来水", &[(T(Water), 2.0)]),
    ("排水", &[(T(Water), 1.5)]),
    ("排入", &[(T(Water), 1.0)]),
    ("死鱼", &[(T(Water), 2.0)]),
    ("鱼死", &[(T(Water), 2.0)]),
    ("粪水", &[(T(Water), 2.0)]),
    ("粪污", &[(T(Water), 2.0)]),
    ("沼液", &[(T(Water), 2.0)]),
    ("污水处理", &[(T(Water), 2.0)]),
    ("排水沟", &[(T(Water), 2.0)]),
    ("发黑发臭", &[(T(Water), 2.5)]),
    ("水发黑", &[(T(Water), 2.5)]),
    ("水面", &[(T(Water), 1.5)]),
    ("洗车", &[(T(Water), 1.0)]),
    ("养殖", &[(T(Water), 0.5), (T(Air), 0.5)]),
    // 噪声
    ("噪音", &[(T(Noise), 2.5)]),
    ("噪声", &[(T(Noise), 2.5)]),
    ("吵", &[(T(Noise), 1.5)]),
    ("轰鸣", &[(T(Noise), 2.0)]),
    ("轰隆", &[(T(Noise), 2.0)]),
    ("夜间施工", &[(T(Noise), 2.5)]),
    ("连夜施工", &[(T(Noise), 2.5)]),
    ("施工声", &[(T(Noise), 2.5)]),
    ("机器声", &[(T(Noise), 2.5)]),
    ("响声", &[(T(Noise), 2.0)]),
    ("声音", &[(T(Noise), 1.5)]),
    ("震动", &[(T(Noise), 1.5)]),
    ("振动", &[(T(Noise), 1.5)]),
    ("鸣笛", &[(T(Noise), 2.0)]),
    ("喇叭", &[(T(Noise), 2.0)]),
    ("广场舞", &[(T(Noise), 2.0)]),
    ("睡不着", &[(T(Noise), 1.0)]),
    ("嗡嗡", &[(T(Noise), 2.0)]),
    ("切割", &[(T(Noise), 1.0)]),
    ("电锯", &[(T(Noise), 2.0)]),
    ("打桩", &[(T(Noise), 2.0)]),
    ("砰砰", &[(T(Noise), 2.0)]),
    ("咣咣", &[(T(Noise), 2.0)]),
    ("叮叮当当", &[(T(Noise), 2.0)]),
    ("施工", &[(T(Noise), 0.5), (S(LooseDust), 0.5)]),
    // 固废
    ("垃圾", &[(T(SolidWaste), 2.0)]),
    ("倾倒", &[(T(SolidWaste), 2.0)]),
    ("乱倒", &[(T(SolidWaste), 2.0)]),
    ("偷倒", &[(T(SolidWaste), 2.0)]),
    ("建筑垃圾", &[(T(SolidWaste), 2.5)]),
    ("生活垃圾", &[(T(SolidWaste), 2.5)]),
    ("固废", &[(T(SolidWaste), 2.5)]),
    ("固体废物", &[(T(SolidWaste), 2.5)]),
    ("危废", &[(T(SolidWaste), 2.5)]),
    ("危险废物", &[(T(SolidWaste), 2.5)]),
    ("废渣", &[(T(SolidWaste), 2.5)]),
    ("炉渣", &[(T(SolidWaste), 2.0)]),
    ("煤矸石", &[(T(SolidWaste), 2.0)]),
    ("污泥", &[(T(SolidWaste), 2.0)]),
    ("废料", &[(T(SolidWaste), 2.0)]),
    ("乱堆", &[(T(SolidWaste), 1.5)]),
    ("堆放", &[(T(SolidWaste), 1.0)]),
    ("堆积", &[(T(SolidWaste), 1.0)]),
    ("填埋", &[(T(SolidWaste), 2.0), (T(Soil), 1.0)]),
    ("医疗废物", &[(T(SolidWaste), 2.5)]),
    ("废机油", &[(T(SolidWaste), 2.0)]),
    ("废油", &[(T(SolidWaste), 1.5)]),
    ("废油桶", &[(T(SolidWaste), 2.5)]),
    ("废电池", &[(T(SolidWaste), 2.5)]),
    ("铅酸", &[(T(SolidWaste), 1.5)]),
    ("废品", &[(T(SolidWaste), 1.5)]),
    ("废旧", &[(T(SolidWaste), 1.0)]),
    ("下脚料", &[(T(SolidWaste), 2.0)]),
    ("粪便", &[(T(SolidWaste), 1.0)]),
    ("死猪", &[(T(SolidWaste), 2.0)]),
    // 土壤
    ("土壤", &[(T(Soil), 2.5)]),
    ("耕地", &[(T(Soil), 1.0), (T(Ecology), 1.0)]),
    ("农田", &[(T(Soil), 1.0)]),
    ("庄稼", &[(T(Soil), 1.0)]),
    ("地里", &[(T(Soil), 1.0)]),
    ("重金属", &[(T(Soil), 2.0)]),
    ("渗到地下", &[(T(Soil), 2.0), (T(Water), 1.0)]),
    ("渗入地下", &[(T(Soil), 2.0), (T(Water), 1.0)]),
    ("土地污染", &[(T(Soil), 2.5)]),
    ("污染土地", &[(T(Soil), 2.5)]),
    ("庄稼死", &[(T(Soil), 2.0)]),
    ("寸草不生", &[(T(Soil), 2.0)]),
    ("土都", &[(T(Soil), 1.0)]),
    ("泥土", &[(T(Soil), 1.0)]),
    // 生态
    ("采砂", &[(T(Ecology), 2.5)]),
    ("挖沙", &[(T(Ecology), 2.5)]),
    ("抽沙", &[(T(Ecology), 2.5)]),
    ("盗采", &[(T(Ecology), 2.5)]),
    ("取土", &[(T(Ecology), 2.0)]),
    ("挖土", &[(T(Ecology), 2.0)]),
    ("毁林", &[(T(Ecology), 2.5)]),
    ("砍伐", &[(T(Ecology), 2.5)]),
    ("砍树", &[(T(Ecology), 2.5)]),
    ("树木", &[(T(Ecology), 1.0)]),
    ("湿地", &[(T(Ecology), 2.0)]),
    ("占用耕地", &[(T(Ecology), 2.5)]),
    ("破坏植被", &[(T(Ecology), 2.5)]),
    ("植被", &[(T(Ecology), 1.5)]),
    ("侵占河道", &[(T(Ecology), 2.5)]),
    ("滩区", &[(T(Ecology), 1.0)]),
    ("野生动物", &[(T(Ecology), 2.5)]),
    ("捕鸟", &[(T(Ecology), 2.5)]),
    ("电鱼", &[(T(Ecology), 2.5)]),
    ("生态", &[(T(Ecology), 1.5)]),
    ("大坑", &[(T(Ecology), 1.0)]),
    ("黄河滩", &[(T(Ecology), 1.0)]),
    // 辐射
    ("辐射", &[(T(Radiation), 2.5)]),
    ("基站", &[(T(Radiation), 2.0)]),
    ("信号塔", &[(T(Radiation), 2.0)]),
    ("射线", &[(T(Radiation), 2.5)]),
    ("放射", &[(T(Radiation), 2.5)]),
    ("探伤", &[(T(Radiation), 2.5)]),
    ("电磁", &[(T(Radiation), 2.0)]),
    ("高压线", &[(T(Radiation), 1.5)]),
    ("变电站", &[(T(Radiation), 1.5)]),
    // 其他
    ("光污染", &[(T(Other), 2.5)]),
    ("强光", &[(T(Other), 2.0)]),
    ("灯光", &[(T(Other), 1.5)]),
    ("晃眼", &[(T(Other), 2.0)]),
    ("刺眼", &[(T(Other), 2.0)]),
    // Colloquial forms heard on the hotline.
    ("味儿", &[(T(Air), 2.0)]),
    ("糊味", &[(T(Air), 2.0)]),
    ("焦味", &[(T(Air), 2.0)]),
    ("臭烘烘", &[(T(Air), 2.0)]),
    ("烟", &[(T(Air), 1.5)]),
    ("点火烧", &[(T(Air), 2.0)]),
    ("烧", &[(T(Air), 1.0)]),
    ("灰", &[(T(Air), 1.0)]),
    ("灰大", &[(T(Air), 2.0), (S(LooseDust), 0.5)]),
    ("全是灰", &[(T(Air), 2.0), (S(LooseDust), 0.5)]),
    ("都是灰", &[(T(Air), 2.0), (S(LooseDust), 0.5)]),
    ("满天灰", &[(T(Air), 2.0), (S(LooseDust), 1.0)]),
    ("黑灰", &[(T(Air), 2.0)]),
    ("一层灰", &[(T(Air), 2.0)]),
    ("全是土", &[(T(Air), 2.0), (S(LooseDust), 1.5)]),
    ("风一吹", &[(T(Air), 1.0), (S(LooseDust), 1.0)]),
    ("风一刮", &[(T(Air), 1.0), (S(LooseDust), 1.0)]),
    ("刮风", &[(T(Air), 1.0), (S(LooseDust), 1.0)]),
    ("土堆", &[(S(LooseDust), 1.5)]),
    ("拉土", &[(S(LooseDust), 1.5)]),
    ("一路撒", &[(S(LooseDust), 2.0), (T(Air), 1.0)]),
    ("不盖", &[(S(LooseDust), 2.0), (T(Air), 1.0)]),
    ("没盖", &[(S(LooseDust), 2.0), (T(Air), 1.0)]),
    ("盖网", &[(S(LooseDust), 1.5)]),
    ("不覆盖", &[(S(LooseDust), 2.5), (T(Air), 1.0)]),
    ("未覆盖", &[(S(LooseDust), 2.5), (T(Air), 1.0)]),
    ("没有覆盖", &[(S(LooseDust), 2.5), (T(Air), 1.0)]),
    ("没有苫盖", &[(S(LooseDust), 2.5), (T(Air), 1.5)]),
    ("未苫盖", &[(S(LooseDust), 2.5), (T(Air), 1.5)]),
    ("不苫盖", &[(S(LooseDust), 2.5), (T(Air), 1.5)]),
    ("楼盘", &[(S(LooseDust), 1.0)]),
    ("开挖", &[(S(LooseDust), 1.5)]),
    ("露天堆放", &[(T(SolidWaste), 1.0), (S(LooseDust), 1.5)]),
    ("煤炭", &[(S(LooseCoal), 1.0), (S(LooseDust), 0.5)]),
    ("响", &[(T(Noise), 1.5)]),
    ("轰轰", &[(T(Noise), 2.0)]),
    ("震得", &[(T(Noise), 2.0)]),
    ("都震", &[(T(Noise), 2.0)]),
    ("音乐", &[(T(Noise), 1.5)]),
    ("低音炮", &[(T(Noise), 2.5)]),
    ("音响", &[(T(Noise), 2.0)]),
    ("KTV", &[(T(Noise), 2.0)]),
    ("唱", &[(T(Noise), 1.0)]),
    ("压路机", &[(T(Noise), 1.5)]),
    ("铣刨", &[(T(Noise), 2.0)]),
    ("没法睡", &[(T(Noise), 1.5)]),
    ("吱吱", &[(T(Noise), 1.5)]),
    ("黑水", &[(T(Water), 2.0)]),
    ("臭水", &[(T(Water), 2.0)]),
    ("又黑又臭", &[(T(Water), 1.5)]),
    ("坑里", &[(T(Water), 1.5)]),
    ("坑都", &[(T(Water), 1.0)]),
    ("流到", &[(T(Water), 1.0)]),
    ("排到", &[(T(Water), 1.5)]),
    ("的水", &[(T(Water), 1.5)]),
    ("水都", &[(T(Water), 1.0)]),
    ("堆着", &[(T(SolidWaste), 1.5)]),
    ("废电瓶", &[(T(SolidWaste), 2.5), (S(ScatteredEnterprise), 1.0)]),
    ("电瓶", &[(T(SolidWaste), 1.0)]),
    ("铅渣", &[(T(SolidWaste), 2.5)]),
    ("烂菜", &[(T(SolidWaste), 1.5)]),
    ("塑料袋", &[(T(SolidWaste), 1.5)]),
    ("废品站", &[(T(SolidWaste), 2.0), (S(ScatteredEnterprise), 2.0)]),
    ("收破烂", &[(T(SolidWaste), 1.0), (S(ScatteredEnterprise), 2.0)]),
    ("破烂", &[(T(SolidWaste), 1.0)]),
    ("乱扔", &[(T(SolidWaste), 2.0)]),
    ("堆在", &[(T(SolidWaste), 1.0)]),
    ("倒在地上", &[(T(Soil), 2.5)]),
    ("倒地上", &[(T(Soil), 2.5)]),
    ("倒在地", &[(T(Soil), 2.5)]),
    ("地上全是", &[(T(Soil), 2.0)]),
    ("渗到地里", &[(T(Soil), 2.5)]),
    ("流到地里", &[(T(Soil), 2.0)]),
    ("麦地", &[(T(Soil), 1.0)]),
    ("地都黄", &[(T(Soil), 1.5)]),
    ("地上", &[(T(Soil), 1.0)]),
    ("砍光", &[(T(Ecology), 2.5)]),
    ("树林", &[(T(Ecology), 1.5)]),
    ("杨树", &[(T(Ecology), 1.0)]),
    ("砍", &[(T(Ecology), 1.0)]),
    ("收废", &[(S(ScatteredEnterprise), 2.0), (T(SolidWaste), 1.0)]),
    ("拆废", &[(S(ScatteredEnterprise), 2.0)]),
    ("没手续", &[(S(ScatteredEnterprise), 2.0)]),
    ("没证", &[(S(ScatteredEnterprise), 2.0)]),
    ("没有证", &[(S(ScatteredEnterprise), 2.0)]),
    ("无任何手续", &[(S(ScatteredEnterprise), 2.0)]),
    ("炼", &[(S(ScatteredEnterprise), 1.0)]),
];

const NEGATIONS: &[&str] = &["没有", "没", "无明显", "不是", "并无", "不存在", "未发现"];

struct Table {
    ac: AhoCorasick,
}

static TABLE: LazyLock<Table> = LazyLock::new(|| Table {
    ac: AhoCorasick::builder()
        .match_kind(MatchKind::LeftmostLongest)
        .build(KEYWORDS.iter().map(|(w, _)| *w))
        .unwrap_or_else(|e| panic!("classifier automaton: {e}")),
});

/// Classifies one complaint text.
pub fn classify(text: &str) -> Classification {
    let folded = Folded::new(text);
    let t = folded.text.as_str();
    let mut types = [0.0f32; 8];
    let mut sansan = [0.0f32; 3];
    let mut evidence: Vec<(usize, String)> = Vec::new();
    for m in TABLE.ac.find_iter(t) {
        let (word, labels) = KEYWORDS[m.pattern().as_usize()];
        let before = &t[back_chars(t, m.start(), 3)..m.start()];
        if NEGATIONS.iter().any(|n| before.ends_with(n)) {
            continue;
        }
        for (l, w) in labels {
            match l {
                T(p) => types[p.index()] += w,
                S(s) => sansan[*s as usize] += w,
            }
        }
        if !evidence.iter().any(|(_, e)| e == word) {
            evidence.push((m.start(), word.to_owned()));
        }
    }
    let mut best: Option<(Sansan, f32)> = None;
    for s in Sansan::ALL {
        let w = sansan[s as usize];
        if w >= SANSAN_THRESHOLD && best.is_none_or(|(_, bw)| w > bw) {
            best = Some((s, w));
        }
    }
    // 散煤 and 散尘 are air pollution by definition; a 散乱污 workshop with no named symptom is
    // reported for its emissions (the 三散 campaign is an air campaign).
    match best.map(|b| b.0) {
        Some(LooseCoal | LooseDust) => types[Air.index()] = types[Air.index()].max(TYPE_THRESHOLD),
        Some(ScatteredEnterprise)
            if PollutionType::ALL.iter().all(|p| *p == Other || types[p.index()] < TYPE_THRESHOLD) =>
        {
            types[Air.index()] = TYPE_THRESHOLD
        }
        _ => {}
    }
    let mut found: Vec<(PollutionType, f32)> = PollutionType::ALL
        .into_iter()
        .filter(|p| *p != Other && types[p.index()] >= TYPE_THRESHOLD)
        .map(|p| (p, types[p.index()]))
        .collect();
    found.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let type_conf = if found.is_empty() {
        let other = types[Other.index()];
        found.push((Other, other));
        if other >= TYPE_THRESHOLD { 0.7 } else { 0.3 }
    } else {
        (0.55 + 0.1 * found[0].1).min(0.95)
    };
    let total_s: f32 = sansan.iter().sum();
    let sansan_conf = match best {
        Some((_, w)) => ((w / total_s) * (0.6 + 0.08 * w)).min(0.95),
        None => (0.9 - 0.15 * total_s).clamp(0.3, 0.9),
    };
    Classification {
        pollution_types: found.into_iter().map(|(p, _)| p).collect(),
        sansan: best.map(|(s, _)| s),
        evidence: evidence.into_iter().map(|(_, e)| e).collect(),
        confidence: ClassConfidence { pollution_types: type_conf, sansan: sansan_conf },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, types: &[&str], sansan: Option<&str>) {
        let c = classify(text);
        let mut got: Vec<&str> = c.pollution_types.iter().map(|p| p.label()).collect();
        got.sort_unstable();
        let mut want = types.to_vec();
        want.sort_unstable();
        assert_eq!(got, want, "{text}: {c:?}");
        assert_eq!(c.sansan.map(|s| s.label()), sansan, "{text}: {c:?}");
    }

    #[test]
    fn classifies_types_and_sansan_table() {
        check("村里有个小作坊做塑料颗粒，晚上冒黑烟，味道很刺鼻", &["大气"], Some("散乱污企业"));
        check("冬天家家户户烧散煤取暖，烟很大", &["大气"], Some("散煤"));
        check("工地扬尘很大，渣土车不苫盖", &["大气"], Some("散尘"));
        check("化工厂往河里偷排废水，河水发黑", &["水"], None);
        check("工地夜间施工噪音扰民，睡不着觉", &["噪声"], None);
        check("有人往坑里倾倒建筑垃圾", &["固废"], None);
        check("黄河滩有人非法采砂，破坏植被", &["生态"], None);
        check("楼顶装了基站，担心辐射", &["辐射"], None);
        check("广告屏晚上太亮，光污染严重，晃眼", &["其他"], None);
        check("厂里的废水渗坑排放，地下水都污染了，庄稼死了，土壤也被污染", &["水", "土壤"], None);
        check("喷漆作坊废气熏人，还往沟里排污水", &["大气", "水"], Some("散乱污企业"));
    }

    #[test]
    fn negation_and_fallback() {
        check("这个厂没有噪音，就是有异味", &["大气"], None);
        let c = classify("请领导重视一下这个事情");
        assert_eq!(c.pollution_types, vec![PollutionType::Other]);
        assert!(c.confidence.pollution_types < 0.5);
    }

    #[test]
    fn labels_round_trip() {
        for p in PollutionType::ALL {
            assert_eq!(PollutionType::parse(p.label()), Some(p));
            assert_eq!(serde_json::to_string(&p).unwrap(), format!("\"{}\"", p.label()));
        }
        assert_eq!(PollutionType::parse("大气污染"), Some(PollutionType::Air));
        assert_eq!(PollutionType::parse("噪音"), Some(PollutionType::Noise));
        assert_eq!(PollutionType::parse("火星"), None);
        for s in Sansan::ALL {
            assert_eq!(Sansan::parse(s.label()), Some(s));
        }
    }

    #[test]
    fn evidence_lists_the_deciding_words() {
        let c = classify("工地扬尘很大");
        assert!(c.evidence.contains(&"扬尘".to_owned()));
        assert!(c.evidence.contains(&"工地".to_owned()));
    }
}

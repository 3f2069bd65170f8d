//! Synthetic Puyang complaints with their truth labels, from a seeded RNG (same seed → same corpus).
//!
//! Used for `ducha gen`, for the benchmarks (10 k … 1 M documents) and for a sanity evaluation. Each
//! item is an [`EvalItem`]: a pinned input line plus `expected` labels. Sources are drawn across the
//! gazetteer's villages, a dozen kinds of polluter, three styles (hotline transcript, letter, web
//! form), with complainant PII in varied formats and deliberate near-duplicates (a later report of an
//! earlier source, re-told in another style, sometimes with a homophone typo in the business name).

use chrono::{Duration, FixedOffset, NaiveDate, TimeZone};
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::accept_no::Channel;
use crate::classify::{PollutionType, Sansan};
use crate::eval::{EvalItem, Expected};
use crate::gazetteer::{Division, Gazetteer};
use crate::triage::{Complainant, LineId, TriageInput};

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SynthConfig {
    pub seed: u64,
    /// Share of items that re-report an earlier source (0..=1).
    pub dup_rate: f64,
    /// Share of items whose complainant leaves PII in the text.
    pub pii_rate: f64,
    /// First day of intake.
    pub start: NaiveDate,
}

impl Default for SynthConfig {
    fn default() -> Self {
        SynthConfig {
            seed: 42,
            dup_rate: 0.2,
            pii_rate: 0.5,
            start: NaiveDate::from_ymd_opt(2023, 11, 25).unwrap_or_default(),
        }
    }
}

struct Kind {
    /// What the polluter is called.
    noun: &'static str,
    industry: &'static str,
    types: &'static [PollutionType],
    sansan: Option<Sansan>,
    symptoms: &'static [&'static str],
    named: bool,
}

use PollutionType::{Air, Ecology, Noise, SolidWaste, Water};

const KINDS: &[Kind] = &[
    Kind {
        noun: "塑料颗粒作坊",
        industry: "塑料",
        types: &[Air],
        sansan: Some(Sansan::ScatteredEnterprise),
        symptoms: &["晚上烧废塑料，味道刺鼻", "夜里开机器，冒黑烟，呛得人咳嗽", "一股焦糊味，熏得没法开窗"],
        named: false,
    },
    Kind {
        noun: "喷漆作坊",
        industry: "喷漆",
        types: &[Air],
        sansan: Some(Sansan::ScatteredEnterprise),
        symptoms: &["露天喷漆，油漆味很大", "没有任何环保设施，喷漆废气直排", "刺鼻的油漆味飘得满村都是"],
        named: false,
    },
    Kind {
        noun: "化工厂",
        industry: "化工",
        types: &[Water],
        sansan: None,
        symptoms: &[
            "夜里往沟里偷排废水，水都黑了",
            "用暗管往河里排污水，鱼都死了",
            "废水直排进排水沟，臭得很",
        ],
        named: true,
    },
    Kind {
        noun: "养猪场",
        industry: "养殖",
        types: &[Water, Air],
        sansan: None,
        symptoms: &[
            "猪粪水直接排到坑塘里，臭味很大",
            "粪污乱排，污水横流，臭气熏天",
            "粪水流进沟里，夏天臭得不能出门",
        ],
        named: false,
    },
    Kind {
        noun: "建筑工地",
        industry: "工地",
        types: &[Air],
        sansan: Some(Sansan::LooseDust),
        symptoms: &["裸土不覆盖，扬尘很大", "渣土车不苫盖，一路遗撒，尘土飞扬", "土方作业不洒水，满天都是灰"],
        named: false,
    },
    Kind {
        noun: "工地",
        industry: "施工",
        types: &[Noise],
        sansan: None,
        symptoms: &["夜间施工，噪音吵得睡不着", "半夜打桩，咣咣响到一两点", "晚上施工机器轰鸣，孩子没法睡觉"],
        named: false,
    },
    Kind {
        noun: "散煤销售点",
        industry: "散煤",
        types: &[Air],
        sansan: Some(Sansan::LooseCoal),
        symptoms: &[
            "公开卖散煤和蜂窝煤，好多户都去买",
            "路边堆着散煤往各村送",
            "劣质煤随便卖，家家户户烧煤取暖",
        ],
        named: false,
    },
    Kind {
        noun: "砖厂",
        industry: "砖",
        types: &[Air],
        sansan: Some(Sansan::ScatteredEnterprise),
        symptoms: &["砖窑冒黑烟，说关了又偷偷开了", "烟囱天天冒黑烟，灰落得到处都是", "烧砖的烟很大，呛人"],
        named: true,
    },
    Kind {
        noun: "饭店",
        industry: "餐饮",
        types: &[Air],
        sansan: None,
        symptoms: &["油烟直排，没有净化器", "后厨油烟往楼上窜，窗户都不敢开", "排烟管对着住户，油烟熏人"],
        named: true,
    },
    Kind {
        noun: "家具厂",
        industry: "家具",
        types: &[Air, Noise],
        sansan: Some(Sansan::ScatteredEnterprise),
        symptoms: &[
            "喷漆味道刺鼻，电锯声音很大",
            "刷漆的味很大，机器响到半夜",
            "没有手续，喷漆废气直排，噪音扰民",
        ],
        named: true,
    },
    Kind {
        noun: "采砂点",
        industry: "采砂",
        types: &[Ecology],
        sansan: None,
        symptoms: &["夜里非法采砂，河滩挖成大坑", "有人盗采河沙，破坏河道", "挖沙船天天抽沙，毁坏滩地"],
        named: false,
    },
    Kind {
        noun: "废品收购站",
        industry: "废品",
        types: &[SolidWaste],
        sansan: Some(Sansan::ScatteredEnterprise),
        symptoms: &["废品乱堆在路边，垃圾遍地", "收来的废电瓶露天堆放", "固废随便倾倒，堆得跟小山一样"],
        named: true,
    },
];

const BRANDS: &[&str] = &[
    "鑫源", "宏达", "兴隆", "华泰", "永盛", "金鼎", "恒通", "瑞丰", "天成", "嘉禾", "广源", "德信", "昌盛",
    "振华", "利民", "富康", "旺达", "新宇", "聚丰", "汇通", "金诚", "安泰", "福源", "鸿运",
];
/// Homophone typos people make in business names.
const HOMOPHONES: &[(char, char)] = &[
    ('鑫', '新'),
    ('源', '元'),
    ('宏', '洪'),
    ('达', '大'),
    ('隆', '龙'),
    ('泰', '太'),
    ('盛', '胜'),
    ('丰', '峰'),
    ('成', '诚'),
    ('华', '化'),
    ('利', '力'),
    ('旺', '望'),
    ('宇', '雨'),
    ('通', '同'),
];
const DIRECTIONS: &[&str] = &["村东头", "村西头", "村南边", "村北边", "村口", "村里"];
const SURNAMES: &[&str] =
    &["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "孙", "马", "胡", "郭", "高", "徐"];
const GIVEN: &[&str] = &[
    "建国", "秀英", "桂芝", "志强", "海涛", "红梅", "卫东", "丽娟", "永刚", "振海", "春生", "德海", "玉兰",
    "宏伟", "国庆", "淑珍", "长林", "凤英", "保国", "新民",
];
const COMMUNITIES: &[&str] = &["幸福小区", "阳光花园", "龙城家园", "建业小区", "锦绣苑", "石化小区"];

#[derive(Debug, Clone)]
struct Source {
    first_id: String,
    village: Division,
    township: Division,
    county: String,
    county_name: String,
    kind: usize,
    brand: Option<&'static str>,
    direction: &'static str,
}

/// The generator: an iterator of labelled items.
#[derive(Debug)]
pub struct Synth {
    rng: ChaCha8Rng,
    cfg: SynthConfig,
    n: usize,
    villages: Vec<Division>,
    townships: Vec<Division>,
    county_names: Vec<(String, String)>,
    ambiguous_townships: Vec<String>,
    sources: Vec<Source>,
}

impl Synth {
    pub fn new(g: &Gazetteer, cfg: SynthConfig) -> Synth {
        let villages: Vec<Division> = g
            .villages()
            .filter(|v| v.common.ends_with('村') && v.common.chars().count() >= 3)
            .cloned()
            .collect();
        let townships: Vec<Division> = g.townships().cloned().collect();
        let county_names = g.counties().map(|c| (c.code, c.name)).collect();
        let mut seen = std::collections::HashMap::<&str, usize>::new();
        for t in &townships {
            *seen.entry(t.common.as_str()).or_default() += 1;
        }
        let ambiguous_townships =
            seen.into_iter().filter(|(_, n)| *n > 1).map(|(k, _)| k.to_owned()).collect();
        Synth {
            rng: ChaCha8Rng::seed_from_u64(cfg.seed),
            cfg,
            n: 0,
            villages,
            townships,
            county_names,
            ambiguous_townships,
            sources: Vec::new(),
        }
    }

    /// A generator over the built-in gazetteer.
    pub fn builtin(cfg: SynthConfig) -> Synth {
        Synth::new(Gazetteer::builtin(), cfg)
    }

    fn new_source(&mut self, id: &str) -> Option<Source> {
        let village = self.villages.choose(&mut self.rng)?.clone();
        let township = self.townships.iter().find(|t| t.code == village.parent)?.clone();
        let county = township.parent.clone();
        let county_name = self.county_names.iter().find(|(c, _)| *c == county).map(|(_, n)| n.clone())?;
        let kind = self.rng.random_range(0..KINDS.len());
        let brand = KINDS[kind].named.then(|| *BRANDS.choose(&mut self.rng).unwrap_or(&"鑫源"));
        let direction = DIRECTIONS.choose(&mut self.rng).copied().unwrap_or("村里");
        Some(Source {
            first_id: id.to_owned(),
            village,
            township,
            county,
            county_name,
            kind,
            brand,
            direction,
        })
    }

    fn person(&mut self) -> String {
        let s = SURNAMES.choose(&mut self.rng).copied().unwrap_or("王");
        let g = GIVEN.choose(&mut self.rng).copied().unwrap_or("建国");
        format!("{s}{g}")
    }

    fn phone(&mut self) -> (String, String) {
        let mut digits = String::from("1");
        digits.push(char::from(b'3' + self.rng.random_range(0..7u8)));
        for _ in 0..9 {
            digits.push(char::from(b'0' + self.rng.random_range(0..10u8)));
        }
        let shown = match self.rng.random_range(0..5) {
            0 => format!("{} {} {}", &digits[..3], &digits[3..7], &digits[7..]),
            1 => format!("{}-{}-{}", &digits[..3], &digits[3..7], &digits[7..]),
            2 => digits.chars().map(|c| char::from_u32(c as u32 + 0xFEE0).unwrap_or(c)).collect(),
            3 => format!("+86 {digits}"),
            _ => digits.clone(),
        };
        (digits, shown)
    }

    fn typo(&mut self, brand: &str) -> String {
        brand
            .chars()
            .map(|c| match HOMOPHONES.iter().find(|(a, _)| *a == c) {
                Some((_, b)) if self.rng.random_bool(0.5) => *b,
                _ => c,
            })
            .collect()
    }

    fn render(&mut self, id: &str, s: &Source, repeat: bool) -> EvalItem {
        let k = &KINDS[s.kind];
        let symptom = k.symptoms.choose(&mut self.rng).copied().unwrap_or("");
        let ambiguous = self.ambiguous_townships.contains(&s.township.common);
        let with_county = ambiguous || self.rng.random_bool(0.5);
        let place = format!(
            "{}{}{}",
            if with_county { s.county_name.as_str() } else { "" },
            s.township.common,
            s.village.common
        );
        let brand = match s.brand {
            Some(b) if repeat => self.typo(b),
            Some(b) => b.to_owned(),
            None => String::new(),
        };
        let subject =
            if brand.is_empty() { format!("有个{}", k.noun) } else { format!("有个{brand}{}", k.noun) };
        let again = if repeat {
            ["上回反映过，", "之前反映过了，现在又开始了，", "还是老问题，"][self.rng.random_range(0..3)]
        } else {
            ""
        };
        let pii = self.rng.random_bool(self.cfg.pii_rate);
        let name = self.person();
        let (digits, shown) = self.phone();
        let address = format!(
            "{}{}号楼{}单元{}",
            COMMUNITIES.choose(&mut self.rng).copied().unwrap_or("幸福小区"),
            self.rng.random_range(1..20),
            self.rng.random_range(1..5),
            self.rng.random_range(101..1802)
        );
        let style = self.rng.random_range(0..3);
        let (text, channel, mut pii_spans) = match style {
            0 => {
                let mut t = format!(
                    "喂，你好，我反映个事儿，{again}就是{place}{}那边，{subject}，{symptom}。",
                    s.direction
                );
                let mut spans = Vec::new();
                if pii {
                    t.push_str(&format!("我叫{name}，电话{shown}。"));
                    spans = vec![name.clone(), shown.clone()];
                }
                (t, Channel::Phone, spans)
            }
            1 => {
                let mut t = format!(
                    "尊敬的督察组：\n{again}{place}{}{subject}，{symptom}，严重影响群众生活，请依法查处。\n此致\n敬礼！\n",
                    s.direction
                );
                let mut spans = Vec::new();
                if pii {
                    t.push_str(&format!("举报人：{name}\n联系电话：{shown}\n家住{address}\n"));
                    spans = vec![name.clone(), shown.clone(), address.clone()];
                }
                (t, Channel::Letter, spans)
            }
            _ => {
                let t = format!("举报内容：{again}{subject}，{symptom}。地点：{place}{}。", s.direction);
                (t, Channel::Web, Vec::new())
            }
        };
        pii_spans.retain(|p| text.contains(p.as_str()));
        let mut keep = vec![s.township.common.clone(), s.village.common.clone()];
        if !brand.is_empty() {
            keep.push(brand.clone());
        }
        let received = FixedOffset::east_opt(8 * 3600).and_then(|tz| {
            let day = self.cfg.start + Duration::days((self.n / 40) as i64);
            let minute = 8 * 60 + (self.n % 40) as u32 * 18;
            day.and_hms_opt(minute / 60, minute % 60, 0).and_then(|n| tz.from_local_datetime(&n).single())
        });
        let input = TriageInput {
            id: LineId::Str(id.to_owned()),
            text,
            received_at: received,
            channel: Some(channel),
            complainant: Some(Complainant {
                name: Some(name),
                phone: Some(digits),
                address: pii.then_some(address),
            }),
        };
        let expected = Expected {
            county_code: s.county.clone(),
            township_code: Some(s.township.code.clone()),
            village_code: Some(s.village.code.clone()),
            pollution_types: k.types.to_vec(),
            sansan: k.sansan,
            dup_of: repeat.then(|| LineId::Str(s.first_id.clone())),
            pii: pii_spans,
            keep,
            note: Some(format!("synthetic: {} in {}", k.industry, s.village.common)),
        };
        EvalItem { input, expected }
    }
}

impl Iterator for Synth {
    type Item = EvalItem;

    fn next(&mut self) -> Option<EvalItem> {
        self.n += 1;
        let id = format!("s{:07}", self.n);
        let repeat = !self.sources.is_empty() && self.rng.random_bool(self.cfg.dup_rate);
        let item = if repeat {
            // Recent sources are re-reported more often (a burst after an article or a batch).
            let len = self.sources.len();
            let back = self.rng.random_range(0..len.min(2000));
            let i = len - 1 - back;
            let src = self.sources[i].clone();
            self.render(&id, &src, true)
        } else {
            let src = self.new_source(&id)?;
            let item = self.render(&id, &src, false);
            self.sources.push(src);
            item
        };
        Some(item)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_corpus() {
        let a: Vec<_> = Synth::builtin(SynthConfig::default()).take(50).collect();
        let b: Vec<_> = Synth::builtin(SynthConfig::default()).take(50).collect();
        assert_eq!(a, b);
        let c: Vec<_> = Synth::builtin(SynthConfig { seed: 7, ..SynthConfig::default() }).take(50).collect();
        assert_ne!(a, c);
    }

    #[test]
    fn labels_are_consistent_with_text() {
        let g = Gazetteer::builtin();
        for it in Synth::builtin(SynthConfig::default()).take(300) {
            let e = &it.expected;
            for p in e.pii.iter().chain(&e.keep) {
                assert!(it.input.text.contains(p.as_str()), "{p} not in {}", it.input.text);
            }
            let v = e.village_code.as_deref().unwrap();
            assert!(v.starts_with(e.township_code.as_deref().unwrap()));
            assert_eq!(
                g.routing_county_of_township(e.township_code.as_deref().unwrap()),
                Some(e.county_code.as_str())
            );
        }
    }

    #[test]
    fn has_duplicates_pointing_backwards() {
        let items: Vec<_> = Synth::builtin(SynthConfig::default()).take(500).collect();
        let dups = items.iter().filter(|i| i.expected.dup_of.is_some()).count();
        assert!((50..=150).contains(&dups), "{dups}");
        for (k, it) in items.iter().enumerate() {
            if let Some(d) = &it.expected.dup_of {
                let j = items.iter().position(|x| &x.input.id == d).unwrap();
                assert!(j < k);
                assert!(items[j].expected.dup_of.is_none(), "points at a primary");
            }
        }
    }
}

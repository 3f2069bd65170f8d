//! Hostile writing for tests (feature `testing`): random identities and the families of writing a
//! careless or malicious writer uses, shared by this crate's property tests and the end-to-end
//! firewall test of the web crate. Not for production code.

#![allow(clippy::unwrap_used)] // test generators: a failure is a bug in the generator

use rand::Rng;
use rand::rngs::StdRng;

use crate::Identity;
use crate::norm::Norm;

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "孙", "马", "朱", "胡", "郭", "冯", "谢",
    "韩", "欧阳", "司马", "诸葛", "上官",
];
const GIVEN: &[char] = &[
    '建', '国', '秀', '英', '伟', '芳', '军', '红', '明', '华', '丽', '强', '志', '刚', '玉', '兰', '海',
    '燕', '春', '梅', '振', '学', '成', '凤', '桂', '金', '保', '德', '俊', '淑',
];
const PLACES: &[&str] = &["柳屯镇东陈庄村", "清丰县马庄桥镇", "南乐县张果屯镇", "范县陈庄镇", "台前县侯庙镇"];
const ENTERPRISES: &[&str] = &["鑫源塑料制品厂", "宏达家具厂", "恒泰化工有限公司", "金旺养殖场", "顺发砖厂"];

#[derive(Debug, Clone)]
pub struct Person {
    pub name: String,
    pub phone: String,
    pub id: String,
    pub email_local: String,
    pub handle: String,
    pub building: u32,
    pub unit: u32,
    pub room: u32,
}

fn id_checksum(first17: &str) -> char {
    const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const C: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];
    let sum: u32 = first17.chars().zip(W).map(|(c, w)| c.to_digit(10).unwrap() * w).sum();
    C[(sum % 11) as usize]
}

pub fn person(rng: &mut StdRng) -> Person {
    let sur = SURNAMES[rng.random_range(0..SURNAMES.len())];
    let n = rng.random_range(1..=2);
    let given: String = (0..n).map(|_| GIVEN[rng.random_range(0..GIVEN.len())]).collect();
    let phone = format!("1{}{:09}", rng.random_range(3..=9), rng.random_range(0..1_000_000_000u64));
    let first17 = format!(
        "4109{:02}{}{:02}{:02}{:03}",
        rng.random_range(1..=30),
        rng.random_range(1950..=2005),
        rng.random_range(1..=12),
        rng.random_range(1..=28),
        rng.random_range(0..1000)
    );
    let id = format!("{first17}{}", id_checksum(&first17));
    let letters = "abcdefghjkmnpqrstuvwxyz";
    let word = |rng: &mut StdRng, k: usize| -> String {
        (0..k).map(|_| letters.as_bytes()[rng.random_range(0..letters.len())] as char).collect()
    };
    let email_local = format!("{}{}", word(rng, 5), rng.random_range(10..99));
    let handle = format!("{}_{}", word(rng, 4), rng.random_range(1000..9999));
    Person {
        name: format!("{sur}{given}"),
        phone,
        id,
        email_local,
        handle,
        building: rng.random_range(1..=19),
        unit: rng.random_range(1..=6),
        room: rng.random_range(101..=1802),
    }
}

pub fn cn_digits(s: &str, rng: &mut StdRng) -> String {
    s.chars()
        .map(|c| match c {
            '0' => ["零", "〇", "洞"][rng.random_range(0..3)].to_string(),
            '1' => ["一", "幺"][rng.random_range(0..2)].to_string(),
            '2' => ["二", "两"][rng.random_range(0..2)].to_string(),
            d if d.is_ascii_digit() => ["", "", "", "三", "四", "五", "六", "七", "八", "九"]
                [d.to_digit(10).unwrap_or(0) as usize]
                .to_string(),
            other => other.to_string(),
        })
        .collect()
}

fn map_digits(s: &str, zero: u32) -> String {
    s.chars()
        .map(|c| match c.to_digit(10) {
            Some(d) => char::from_u32(zero + d).unwrap(),
            None => c,
        })
        .collect()
}

fn circled(s: &str) -> String {
    s.chars()
        .map(|c| match c.to_digit(10) {
            Some(0) => '⓪',
            Some(d) => char::from_u32(0x2460 + d - 1).unwrap(),
            None => c,
        })
        .collect()
}

fn between(s: &str, sep: &str) -> String {
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 {
            out.push_str(sep);
        }
        out.push(c);
    }
    out
}

fn grouped(s: &str, sizes: &[usize], sep: &str) -> String {
    let mut out = Vec::new();
    let mut rest = s;
    for &n in sizes {
        if rest.len() <= n {
            break;
        }
        out.push(&rest[..n]);
        rest = &rest[n..];
    }
    out.push(rest);
    out.join(sep)
}

/// The families of writing: each renders one part of the identity into a phrase.
pub const FAMILIES: usize = 36;

pub fn render(family: usize, p: &Person, rng: &mut StdRng) -> String {
    let ph = &p.phone;
    match family {
        0 => format!("电话{ph}"),
        1 => format!("电话 {}", between(ph, " ")),
        2 => format!("手机{}", grouped(ph, &[3, 4], ".")),
        3 => format!("手机{}", grouped(ph, &[3, 4], "/")),
        4 => format!("电话({})-{}", &ph[..3], grouped(&ph[3..], &[4], "-")),
        5 => format!("联系：{}", map_digits(ph, 0xFF10)),
        6 => format!("电话{}", circled(ph)),
        7 => format!("电话{}", between(ph, "\u{200B}")),
        8 => format!("电话{}", between(ph, "\u{00AD}")),
        9 => format!("电话\u{202E}{}\u{202C}", ph.chars().rev().collect::<String>()),
        10 => format!("电话{}", cn_digits(ph, rng)),
        11 => format!("电话{}{}{}", &ph[..3], cn_digits(&ph[3..7], rng), &ph[7..]),
        12 => format!("手机+86 {}", grouped(ph, &[3, 4], " ")),
        13 => format!("手机{}", between(ph, "\u{2060}")),
        14 => format!("手机{}", map_digits(ph, 0x0660)),
        15 => format!("手机{}", map_digits(ph, 0x1D7CE)),
        16 => format!("电话{}", grouped(ph, &[3, 4], "—")),
        17 => format!("电话{}", between(ph, "\u{FEFF}")),
        18 => format!("身份证号{}", p.id),
        19 => format!("身份证 {}", grouped(&p.id, &[4, 4, 4, 4], " ")),
        20 => format!("身份证{}", map_digits(&p.id, 0xFF10)),
        21 => format!("身份证号码{}", cn_digits(&p.id, rng)),
        22 => format!("身份证{}", p.id.to_lowercase()),
        23 => format!("我叫{}", p.name),
        24 => format!("举报人：{}", between(&p.name, " ")),
        25 => format!("来电人{}", between(&p.name, "·")),
        26 => format!("联系人{}", between(&p.name, "\u{200B}")),
        27 => format!("落款：{}", between(&p.name, "\u{3000}")),
        28 => format!("。{}反映", p.name),
        29 => format!("听说是{}家开的", p.name),
        30 => format!("邮箱{}@163.com", p.email_local),
        31 => format!("邮箱 {} AT 163 dot com", p.email_local),
        32 => format!("加微信：{}", p.handle),
        33 => format!("住幸福小区{}号楼{}单元{}", cn_digits(&p.building.to_string(), rng), p.unit, p.room),
        34 => format!("V信{}", p.handle),
        _ => format!("经与反映人{}（{}）核实", p.name, grouped(ph, &[3, 4], " ")),
    }
}

/// A text of one kind around the phrase, with places and an enterprise that must stay.
pub fn carrier(kind: usize, phrase: &str, rng: &mut StdRng) -> (String, Vec<&'static str>) {
    let place = PLACES[rng.random_range(0..PLACES.len())];
    let ent = ENTERPRISES[rng.random_range(0..ENTERPRISES.len())];
    let text = match kind {
        0 => format!(
            "喂，你好，俺反映个事儿，{place}的{ent}天天晚上冒黑烟，味儿可呛人了，{phrase}，你们给管管。"
        ),
        1 => format!(
            "调查核实情况：经{place}核查，{ent}夜间生产属实，已责令停产整改。已电话联系，{phrase}，告知处理结果。"
        ),
        2 => format!("不满意。{phrase}，{ent}还是在晚上偷偷开，{place}这边味儿没少。"),
        3 => format!("#濮阳督察# {place}的{ent}又开工了！{phrase}，有事私信。"),
        _ => format!(
            "问责情况：{place}对{ent}问题整改不力，群众多次反映（{phrase}），给予分管负责人诫勉谈话。"
        ),
    };
    (text, vec![place, ent])
}

/// The reading with only letters and digits, lower-case: "is it still there in any form".
pub fn squeeze(s: &str) -> String {
    Norm::new(s).text().chars().filter(|c| c.is_alphanumeric()).collect::<String>().to_lowercase()
}

impl Person {
    /// The identity a case would record for this person.
    pub fn identity(&self) -> Identity {
        Identity {
            name: Some(self.name.clone()),
            phone: Some(self.phone.clone()),
            id_number: Some(self.id.clone()),
            address: Some(format!("濮阳县城关镇幸福小区{}号楼{}单元{}", self.building, self.unit, self.room)),
            email: Some(format!("{}@163.com", self.email_local)),
            handle: Some(self.handle.clone()),
        }
    }

    /// What must not be left anywhere, in the squeezed reading ([`squeeze`]).
    pub fn secrets(&self) -> Vec<String> {
        vec![
            squeeze(&self.name),
            self.phone.clone(),
            self.phone[3..].to_string(),
            self.id.to_lowercase(),
            self.id[..17].to_string(),
            self.email_local.clone(),
            self.handle.replace('_', ""),
            format!("{}单元{}", self.unit, self.room),
        ]
    }
}

/// The secrets of `p` left in `text` (after the squeezed reading).
pub fn leaks(text: &str, p: &Person) -> Vec<String> {
    let sq = squeeze(text);
    p.secrets().into_iter().filter(|s| sq.contains(s.as_str())).collect()
}

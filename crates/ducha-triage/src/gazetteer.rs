//! The NBS statistical division gazetteer (provinces, cities, counties, townships, villages) plus the
//! deployment's functional zones, parsed from CSV/TOML text handed in by the caller.
//!
//! NBS writes some towns with their county prefix (`濮阳县柳屯镇`) and villages with `村委会` /
//! `社区居民委员会`; each [`Division`] therefore carries the official `name`, the `common` name people
//! write (`柳屯镇`, `张堆村`, `京东社区`) and, where it is safe, a `short` name (`柳屯`, `张堆`).

use std::collections::{BTreeMap, HashMap};
use std::sync::LazyLock;

use serde::Deserialize;

use crate::TriageError;

/// The text of the gazetteer files, in the NBS CSV layout (`code,name,<parent code columns>`).
#[derive(Debug, Clone, Copy, Default)]
pub struct GazetteerCsv<'a> {
    /// `provinces.csv`: `code,name`.
    pub provinces: &'a str,
    /// `cities.csv`: `code,name,provinceCode`.
    pub cities: &'a str,
    /// `areas.csv` (county level, all China or more): `code,name,cityCode,provinceCode`.
    pub areas: &'a str,
    /// `streets.csv` (township level) of the deployment: `code,name,areaCode,...`.
    pub streets: &'a str,
    /// `villages.csv` of the deployment: `code,name,streetCode,...`.
    pub villages: Option<&'a str>,
    /// `zones.toml`: functional zones (see `data/gazetteer/zones.toml`).
    pub zones: Option<&'a str>,
    /// The deployment city (4 digits, e.g. `"4109"`): its counties are local, every other county is
    /// OUTSIDE. Townships and villages of other cities in `streets`/`villages` are ignored. When
    /// `None`, the cities that have townships in `streets` are local.
    pub city: Option<&'a str>,
}

/// One division (or functional zone) of the gazetteer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Division {
    /// NBS code (2/4/6/9/12 digits) or a zone's local code.
    pub code: String,
    /// The official name as NBS writes it (`濮阳县柳屯镇`, `张堆村委会`).
    pub name: String,
    /// The name people write (`柳屯镇`, `张堆村`, `京东社区`).
    pub common: String,
    /// A shorter form where one exists (`柳屯`, `张堆`, `华龙`), else `None`.
    pub short: Option<String>,
    /// The parent used for routing: for a township taken over by a zone, the zone's code.
    pub parent: String,
}

/// A functional zone (e.g. 濮阳市城乡一体化示范区): a county-level routing unit that is not in NBS data.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Zone {
    /// Local code (not an NBS code).
    pub code: String,
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    /// The NBS county the townships are taken from.
    #[serde(default)]
    pub from_county: Option<String>,
    /// NBS township codes administered by the zone.
    #[serde(default)]
    pub townships: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct ZonesFile {
    #[serde(default)]
    zone: Vec<Zone>,
}

/// Parses a zones TOML text (pure: the caller supplies the text).
pub fn parse_zones(text: &str) -> Result<Vec<Zone>, TriageError> {
    let f: ZonesFile = toml::from_str(text).map_err(|e| {
        let line = e.span().map(|s| text[..s.start.min(text.len())].lines().count().max(1));
        let err = TriageError::new("bad_toml", format!("功能区配置格式错误：{}", e.message()));
        match line {
            Some(l) => err.at("zones.toml", l),
            None => err.in_file("zones.toml"),
        }
    })?;
    for (i, z) in f.zone.iter().enumerate() {
        let bad = |m: String| TriageError::new("bad_toml", m).in_file("zones.toml");
        if z.code.len() != 6 || !z.code.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad(format!("第{}个功能区的代码“{}”应为6位数字", i + 1, z.code)));
        }
        if z.name.trim().is_empty() {
            return Err(bad(format!("功能区{}缺少名称", z.code)));
        }
        if let Some(t) = z.townships.iter().find(|t| t.len() != 9 || !t.bytes().all(|b| b.is_ascii_digit())) {
            return Err(bad(format!("功能区{}的乡镇代码“{t}”应为9位数字", z.code)));
        }
    }
    Ok(f.zone)
}

/// Parsed gazetteer: all-China provinces/cities/counties, the deployment's townships and villages,
/// and its functional zones.
#[derive(Debug, Clone)]
pub struct Gazetteer {
    provinces: Vec<Division>,
    cities: Vec<Division>,
    counties: Vec<Division>,
    townships: Vec<Division>,
    villages: Vec<Division>,
    zones: Vec<Zone>,
    local_cities: Vec<String>,
    by_code: HashMap<String, (Level, usize)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Level {
    Province,
    City,
    County,
    Township,
    Village,
    Zone,
}

static BUILTIN: LazyLock<Gazetteer> = LazyLock::new(|| {
    let g = Gazetteer::from_csv(GazetteerCsv {
        provinces: include_str!("../../../data/gazetteer/provinces.csv"),
        cities: include_str!("../../../data/gazetteer/china-cities.csv"),
        areas: include_str!("../../../data/gazetteer/china-areas.csv"),
        streets: include_str!("../../../data/gazetteer/4109/streets.csv"),
        villages: Some(include_str!("../../../data/gazetteer/4109/villages.csv")),
        zones: Some(include_str!("../../../data/gazetteer/zones.toml")),
        city: Some("4109"),
    });
    // The built-in files are part of the source tree and covered by tests; a failure here is a
    // build defect, not a runtime condition.
    g.unwrap_or_else(|e| panic!("built-in gazetteer is invalid: {e}"))
});

/// All-China townships (`code,name,areaCode`; see `data/gazetteer/README.md`).
const CHINA_STREETS: &str = include_str!("../../../data/gazetteer/china/streets.csv");
/// Villages and communities where the repository carries them, by province code (`code,name,streetCode`).
const CHINA_VILLAGES: &[(&str, &str)] =
    &[("41", include_str!("../../../data/gazetteer/china/villages-41.csv"))];

struct Rows {
    file: &'static str,
    rows: Vec<(usize, String, String, Option<String>)>,
}

fn read_rows(
    file: &'static str,
    text: &str,
    code_len: &[usize],
    parent_col: Option<&str>,
) -> Result<Rows, TriageError> {
    let mut rdr = csv::ReaderBuilder::new().has_headers(true).flexible(true).from_reader(text.as_bytes());
    let headers = rdr
        .headers()
        .map_err(|e| TriageError::new("bad_csv", format!("表头无法读取：{e}")).at(file, 1))?
        .clone();
    let col = |name: &str| headers.iter().position(|h| h.trim().trim_start_matches('\u{feff}') == name);
    let code_i = col("code").ok_or_else(|| TriageError::new("bad_csv", "表头缺少 code 列").at(file, 1))?;
    let name_i = col("name").ok_or_else(|| TriageError::new("bad_csv", "表头缺少 name 列").at(file, 1))?;
    let parent_i = match parent_col {
        Some(p) => {
            Some(col(p).ok_or_else(|| TriageError::new("bad_csv", format!("表头缺少 {p} 列")).at(file, 1))?)
        }
        None => None,
    };
    let mut rows = Vec::new();
    for (i, rec) in rdr.records().enumerate() {
        let line = i + 2;
        let rec = rec.map_err(|e| TriageError::new("bad_csv", format!("无法解析：{e}")).at(file, line))?;
        let code = rec.get(code_i).unwrap_or("").trim().to_owned();
        let name = rec.get(name_i).unwrap_or("").trim().to_owned();
        if code.is_empty() && name.is_empty() {
            continue;
        }
        if !code.bytes().all(|b| b.is_ascii_digit()) || !code_len.contains(&code.len()) {
            return Err(TriageError::new(
                "bad_csv",
                format!("区划代码“{code}”无效：应为{}位数字", join_lens(code_len)),
            )
            .at(file, line));
        }
        if name.is_empty() {
            return Err(TriageError::new("bad_csv", format!("区划代码{code}缺少名称")).at(file, line));
        }
        let parent = match parent_i {
            Some(p) => {
                let pc = rec.get(p).unwrap_or("").trim().to_owned();
                if !code.starts_with(&pc) || pc.is_empty() {
                    return Err(TriageError::new("bad_csv", format!("区划代码{code}与上级代码“{pc}”不一致"))
                        .at(file, line));
                }
                Some(pc)
            }
            None => None,
        };
        rows.push((line, code, name, parent));
    }
    Ok(Rows { file, rows })
}

fn join_lens(l: &[usize]) -> String {
    l.iter().map(|n| n.to_string()).collect::<Vec<_>>().join("或")
}

fn strip_any<'a>(s: &'a str, suffixes: &[&str]) -> Option<&'a str> {
    suffixes.iter().find_map(|suf| s.strip_suffix(suf))
}

fn char_len(s: &str) -> usize {
    s.chars().count()
}

/// Short form of a province name: 山东省 → 山东, 广西壮族自治区 → 广西.
pub(crate) fn province_short(name: &str) -> Option<String> {
    let s =
        strip_any(name, &["壮族自治区", "回族自治区", "维吾尔自治区", "特别行政区", "自治区", "省", "市"])?;
    (char_len(s) >= 2).then(|| s.to_owned())
}

fn city_short(name: &str) -> Option<String> {
    let s = strip_any(name, &["地区", "市", "盟"])?;
    (char_len(s) >= 2).then(|| s.to_owned())
}

fn county_short(name: &str) -> Option<String> {
    let s = strip_any(name, &["自治县", "自治旗", "县", "区", "市", "旗"])?;
    if char_len(s) < 2 || matches!(s, "城" | "郊" | "矿" | "市辖" | "新" | "市中" | "城中" | "城关")
    {
        return None;
    }
    Some(s.to_owned())
}

/// `(common, short)` of a township name whose county prefix has already been removed.
fn township_names(name: &str) -> (String, Option<String>) {
    for suf in ["街道办事处", "街道"] {
        if let Some(s) = name.strip_suffix(suf) {
            return (format!("{s}街道"), (char_len(s) >= 2).then(|| s.to_owned()));
        }
    }
    match strip_any(name, &["镇", "乡"]) {
        Some(s) if char_len(s) >= 2 => (name.to_owned(), Some(s.to_owned())),
        _ => (name.to_owned(), None),
    }
}

/// `(common, short)` of a village/community name as NBS writes it.
fn village_names(name: &str) -> (String, Option<String>) {
    let short_ok = |s: &str| char_len(s) >= 2;
    if let Some(base) = strip_any(name, &["社区居民委员会", "社区居委会"]) {
        return (format!("{base}社区"), short_ok(base).then(|| base.to_owned()));
    }
    if let Some(base) = strip_any(name, &["类似居民委员会", "类似居委会"]) {
        return (format!("{base}居委会"), None);
    }
    if let Some(base) = strip_any(name, &["村民委员会", "村委会"]) {
        // 岳村集村村民委员会 → 岳村集村; 前三里店村民委员会 → 前三里店村; 赵村村委会 → 赵村.
        let base = base.to_owned();
        if let Some(stem) = base.strip_suffix('村')
            && name.contains("村村")
        {
            return (base.clone(), short_ok(stem).then(|| stem.to_owned()));
        }
        return (format!("{base}村"), short_ok(&base).then_some(base));
    }
    if let Some(base) = strip_any(name, &["居民委员会", "居委会"]) {
        // 新民居委会 → 新民社区 (the router decides whether the bare 新民 is safe to match).
        return (format!("{base}社区"), short_ok(base).then(|| base.to_owned()));
    }
    (name.to_owned(), None)
}

impl Gazetteer {
    /// The built-in gazetteer (Puyang townships/villages, all-China counties), parsed once.
    pub fn builtin() -> &'static Gazetteer {
        &BUILTIN
    }

    /// A gazetteer for any city (4-digit NBS code, e.g. `"4105"` for 安阳市) from the embedded data:
    /// all-China provinces, cities and counties, the city's townships, and its villages where the
    /// repository carries them (Henan). For Puyang (`"4109"`) this is [`Gazetteer::builtin`], with its
    /// functional zones; other cities have no zones. Errors (`bad_city`) for a malformed code, a code
    /// that is no NBS city, or a city without townships in the data.
    pub fn for_city(city: &str) -> Result<Gazetteer, TriageError> {
        if city.len() != 4 || !city.bytes().all(|b| b.is_ascii_digit()) {
            return Err(TriageError::new(
                "bad_city",
                format!("城市代码“{city}”应为4位数字，如 4105（安阳市）"),
            ));
        }
        if city == "4109" {
            return Ok(Gazetteer::builtin().clone());
        }
        let villages = CHINA_VILLAGES.iter().find(|(p, _)| city.starts_with(p)).map(|(_, v)| *v);
        let g = Gazetteer::from_csv(GazetteerCsv {
            provinces: include_str!("../../../data/gazetteer/provinces.csv"),
            cities: include_str!("../../../data/gazetteer/china-cities.csv"),
            areas: include_str!("../../../data/gazetteer/china-areas.csv"),
            streets: CHINA_STREETS,
            villages,
            zones: None,
            city: Some(city),
        })?;
        if g.get(city).is_none() {
            return Err(TriageError::new("bad_city", format!("城市代码{city}不是统计用区划代码中的地级市")));
        }
        if g.townships.is_empty() {
            return Err(TriageError::new("bad_city", format!("城市代码{city}在区划数据中没有乡镇（街道）")));
        }
        Ok(g)
    }

    /// Checks a places file against this gazetteer: every county code is one of the deployment's
    /// counties or zones, every township and village code is in the data and lies under the county
    /// (township) given beside it. Errors (`bad_places`) name the place.
    pub fn check_places(&self, places: &crate::Places) -> Result<(), TriageError> {
        for p in places.iter() {
            let bad = |m: String| {
                Err(TriageError::new("bad_places", format!("地点“{}”：{m}", p.name)).in_file("places.csv"))
            };
            if let Some(c) = &p.county_code
                && !self.is_local_county(c)
            {
                return bad(format!("区县代码{c}不是本市的区县或功能区"));
            }
            if let Some(t) = &p.township_code {
                match self.by_code.get(t.as_str()) {
                    Some((Level::Township, i)) => {
                        let routing = &self.townships[*i].parent;
                        if let Some(c) = &p.county_code
                            && c != routing
                            && !t.starts_with(c.as_str())
                        {
                            return bad(format!("乡镇代码{t}不属于区县{c}"));
                        }
                    }
                    _ => return bad(format!("乡镇代码{t}不是本市的乡镇（街道）")),
                }
            }
            if let Some(v) = &p.village_code {
                match self.by_code.get(v.as_str()) {
                    Some((Level::Village, _)) => {}
                    _ => return bad(format!("村代码{v}不是本市的村（社区）")),
                }
            }
        }
        Ok(())
    }

    /// The display name of the city: `安阳市`; for the NBS placeholders of municipalities
    /// (`市辖区`, `县`) the province's name (`北京市`).
    pub fn city_name(&self, city: &str) -> Option<String> {
        let c = self.get(city)?;
        if matches!(c.name.as_str(), "市辖区" | "县" | "省直辖县级行政区划" | "自治区直辖县级行政区划")
        {
            return self.get(&city[..2]).map(|p| p.name);
        }
        Some(c.name)
    }

    /// Parses the gazetteer files. Errors name the file and line of the first bad row.
    pub fn from_csv(csv: GazetteerCsv<'_>) -> Result<Gazetteer, TriageError> {
        let provinces = read_rows("provinces.csv", csv.provinces, &[2], None)?;
        let cities = read_rows("cities.csv", csv.cities, &[4], Some("provinceCode"))?;
        let areas = read_rows("areas.csv", csv.areas, &[6], Some("cityCode"))?;
        let streets = read_rows("streets.csv", csv.streets, &[9], Some("areaCode"))?;
        let villages = match csv.villages {
            Some(v) => Some(read_rows("villages.csv", v, &[12], Some("streetCode"))?),
            None => None,
        };
        let zones = match csv.zones {
            Some(z) => parse_zones(z)?,
            None => Vec::new(),
        };
        if let Some(c) = csv.city
            && (c.len() != 4 || !c.bytes().all(|b| b.is_ascii_digit()))
        {
            return Err(TriageError::new("bad_csv", format!("城市代码“{c}”应为4位数字")));
        }
        let in_city = |code: &str| csv.city.is_none_or(|c| code.starts_with(c));

        let mut g = Gazetteer {
            provinces: Vec::new(),
            cities: Vec::new(),
            counties: Vec::new(),
            townships: Vec::new(),
            villages: Vec::new(),
            zones: Vec::new(),
            local_cities: Vec::new(),
            by_code: HashMap::new(),
        };
        for (_, code, name, _) in provinces.rows {
            let short = province_short(&name);
            g.provinces.push(Division { common: name.clone(), code, name, short, parent: String::new() });
        }
        for (line, code, name, parent) in cities.rows {
            let parent = parent.unwrap_or_default();
            check_parent(&g.provinces, &parent, cities.file, line)?;
            let short = city_short(&name);
            g.cities.push(Division { common: name.clone(), code, name, short, parent });
        }
        let mut county_names: HashMap<String, String> = HashMap::new();
        for (line, code, name, parent) in areas.rows {
            let parent = parent.unwrap_or_default();
            check_parent(&g.cities, &parent, areas.file, line)?;
            let short = county_short(&name);
            county_names.insert(code.clone(), name.clone());
            g.counties.push(Division { common: name.clone(), code, name, short, parent });
        }
        // Zones: townships taken over for routing.
        let mut takeover: HashMap<String, String> = HashMap::new();
        for z in &zones {
            for t in &z.townships {
                takeover.insert(t.clone(), z.code.clone());
            }
        }
        let mut local: BTreeMap<String, ()> = BTreeMap::new();
        for (line, code, name, parent) in streets.rows {
            if !in_city(&code) {
                continue;
            }
            let county = parent.unwrap_or_default();
            let Some(county_name) = county_names.get(&county) else {
                return Err(TriageError::new("bad_csv", format!("上级区县代码{county}不在区县表中"))
                    .at(streets.file, line));
            };
            local.insert(code[..4].to_owned(), ());
            let bare = name.strip_prefix(county_name.as_str()).filter(|s| char_len(s) >= 2).unwrap_or(&name);
            let (common, short) = township_names(bare);
            let parent = takeover.get(&code).cloned().unwrap_or(county);
            g.townships.push(Division { code, name, common, short, parent });
        }
        if let Some(c) = csv.city {
            local.insert(c.to_owned(), ());
        }
        g.local_cities = local.into_keys().collect();
        let township_set: HashMap<&str, ()> = g.townships.iter().map(|t| (t.code.as_str(), ())).collect();
        if let Some(v) = villages {
            for (line, code, name, parent) in v.rows {
                if !in_city(&code) {
                    continue;
                }
                let parent = parent.unwrap_or_default();
                if !township_set.contains_key(parent.as_str()) {
                    return Err(TriageError::new("bad_csv", format!("上级乡镇代码{parent}不在乡镇表中"))
                        .at(v.file, line));
                }
                let (common, short) = village_names(&name);
                g.villages.push(Division { code, name, common, short, parent });
            }
        }
        for z in &zones {
            if let Some(t) = z.townships.iter().find(|t| !township_set.contains_key(t.as_str())) {
                return Err(TriageError::new(
                    "bad_toml",
                    format!("功能区{}的乡镇代码{t}不在乡镇表中", z.code),
                )
                .in_file("zones.toml"));
            }
            if county_names.contains_key(&z.code) {
                return Err(TriageError::new(
                    "bad_toml",
                    format!("功能区代码{}与统计用区划代码重复", z.code),
                )
                .in_file("zones.toml"));
            }
        }
        g.zones = zones;
        g.index();
        Ok(g)
    }

    fn index(&mut self) {
        let mut m = HashMap::new();
        for (lvl, list) in [
            (Level::Province, &self.provinces),
            (Level::City, &self.cities),
            (Level::County, &self.counties),
            (Level::Township, &self.townships),
            (Level::Village, &self.villages),
        ] {
            for (i, d) in list.iter().enumerate() {
                m.insert(d.code.clone(), (lvl, i));
            }
        }
        for (i, z) in self.zones.iter().enumerate() {
            m.insert(z.code.clone(), (Level::Zone, i));
        }
        self.by_code = m;
    }

    /// All provinces.
    pub fn provinces(&self) -> impl Iterator<Item = &Division> {
        self.provinces.iter()
    }

    /// All cities (prefecture level), including NBS placeholders such as `市辖区`.
    pub fn cities(&self) -> impl Iterator<Item = &Division> {
        self.cities.iter()
    }

    /// All county-level divisions in the data (all China for the built-in gazetteer).
    pub fn all_counties(&self) -> impl Iterator<Item = &Division> {
        self.counties.iter()
    }

    /// The deployment's county-level routing units: the local NBS counties and then the functional
    /// zones (as divisions whose parent is the city).
    pub fn counties(&self) -> impl Iterator<Item = Division> + '_ {
        let nbs = self.counties.iter().filter(|c| self.is_local_county(&c.code)).cloned();
        let zones = self.zones.iter().map(|z| Division {
            code: z.code.clone(),
            name: z.name.clone(),
            common: z.name.clone(),
            short: z.aliases.first().cloned(),
            parent: z.code[..4].to_owned(),
        });
        nbs.chain(zones)
    }

    /// The deployment's townships; `parent` is the routing county (a zone's code for taken-over ones).
    pub fn townships(&self) -> impl Iterator<Item = &Division> {
        self.townships.iter()
    }

    /// The deployment's villages and communities; `parent` is the township code.
    pub fn villages(&self) -> impl Iterator<Item = &Division> {
        self.villages.iter()
    }

    /// The functional zones.
    pub fn zones(&self) -> &[Zone] {
        &self.zones
    }

    /// City codes considered local (the deployment city).
    pub fn local_cities(&self) -> &[String] {
        &self.local_cities
    }

    /// Whether a 6-digit county code (or a zone code) belongs to the deployment.
    pub fn is_local_county(&self, code: &str) -> bool {
        self.zones.iter().any(|z| z.code == code)
            || (code.len() == 6 && self.local_cities.iter().any(|c| code.starts_with(c.as_str())))
    }

    /// Looks up any division or zone by code.
    pub fn get(&self, code: &str) -> Option<Division> {
        let (lvl, i) = *self.by_code.get(code)?;
        Some(match lvl {
            Level::Province => self.provinces[i].clone(),
            Level::City => self.cities[i].clone(),
            Level::County => self.counties[i].clone(),
            Level::Township => self.townships[i].clone(),
            Level::Village => self.villages[i].clone(),
            Level::Zone => {
                let z = &self.zones[i];
                Division {
                    code: z.code.clone(),
                    name: z.name.clone(),
                    common: z.name.clone(),
                    short: z.aliases.first().cloned(),
                    parent: z.code[..4].to_owned(),
                }
            }
        })
    }

    /// The routing county of a township code (a zone code when a zone took the township over).
    pub fn routing_county_of_township(&self, township: &str) -> Option<&str> {
        match self.by_code.get(township) {
            Some((Level::Township, i)) => Some(self.townships[*i].parent.as_str()),
            _ => None,
        }
    }

    /// "山东省聊城市阳谷县" for a county code, "山东省聊城市" for a city code, "山东省" for a province.
    pub fn full_name(&self, code: &str) -> Option<String> {
        let mut parts = Vec::new();
        let mut c = code.to_owned();
        loop {
            let d = self.get(&c)?;
            if !matches!(d.name.as_str(), "市辖区" | "县" | "省直辖县级行政区划" | "自治区直辖县级行政区划")
            {
                parts.push(d.name.clone());
            }
            if d.parent.is_empty() {
                break;
            }
            c = d.parent.clone();
        }
        parts.reverse();
        Some(parts.concat())
    }
}

fn check_parent(list: &[Division], parent: &str, file: &str, line: usize) -> Result<(), TriageError> {
    if list.iter().any(|d| d.code == parent) {
        Ok(())
    } else {
        Err(TriageError::new("bad_csv", format!("上级代码{parent}不存在")).at(file, line))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_parses_puyang() {
        let g = Gazetteer::builtin();
        let counties: Vec<_> = g.counties().map(|c| c.code).collect();
        for c in ["410902", "410922", "410923", "410926", "410927", "410928", "410971", "410972", "410990"] {
            assert!(counties.contains(&c.to_owned()), "{c}");
        }
        assert_eq!(counties.len(), 9);
        assert_eq!(g.townships().count(), 89);
        assert!(g.villages().count() > 3000);
        assert!(g.all_counties().count() > 2900);
    }

    #[test]
    fn township_names_drop_county_prefix_and_suffix() {
        let g = Gazetteer::builtin();
        let t = g.get("410928101").unwrap();
        assert_eq!(
            (t.name.as_str(), t.common.as_str(), t.short.as_deref()),
            ("濮阳县柳屯镇", "柳屯镇", Some("柳屯"))
        );
        let t = g.get("410971001").unwrap();
        assert_eq!((t.common.as_str(), t.short.as_deref()), ("昌湖街道", Some("昌湖")));
        let t = g.get("410902001").unwrap();
        assert_eq!((t.common.as_str(), t.short.as_deref()), ("中原路街道", Some("中原路")));
    }

    #[test]
    fn zone_takes_over_townships() {
        let g = Gazetteer::builtin();
        assert_eq!(g.routing_county_of_township("410972100"), Some("410990"));
        assert_eq!(g.routing_county_of_township("410972360"), Some("410990"));
        assert_eq!(g.routing_county_of_township("410972060"), Some("410972"));
        assert!(g.is_local_county("410990"));
        assert!(!g.is_local_county("371521"));
    }

    #[test]
    fn for_city_anyang_has_counties_townships_and_villages() {
        let g = Gazetteer::for_city("4105").unwrap();
        assert_eq!(g.local_cities(), ["4105"]);
        let counties: Vec<_> = g.counties().map(|c| c.code).collect();
        assert_eq!(counties.len(), 10, "{counties:?}");
        assert!(counties.contains(&"410522".to_owned()) && counties.contains(&"410581".to_owned()));
        assert!(g.zones().is_empty());
        assert_eq!(g.townships().count(), 137);
        assert!(g.townships().all(|t| t.code.starts_with("4105")));
        assert!(g.villages().count() > 3000);
        assert!(g.villages().all(|v| v.code.starts_with("4105")));
        assert!(g.is_local_county("410526"));
        assert!(!g.is_local_county("410928"));
        assert_eq!(g.city_name("4105").as_deref(), Some("安阳市"));
        // A city outside Henan: townships, no villages in the repository.
        let g = Gazetteer::for_city("3715").unwrap();
        assert!(g.townships().count() > 100 && g.villages().count() == 0);
        assert_eq!(Gazetteer::for_city("1101").unwrap().city_name("1101").as_deref(), Some("北京市"));
    }

    #[test]
    fn router_for_anyang_routes_counties_and_townships_from_the_gazetteer_alone() {
        let g = Gazetteer::for_city("4105").unwrap();
        let r = crate::Router::new(&g, &crate::Places::empty());
        let at = |text: &str| {
            let x = r.route(text);
            (x.county.code().to_owned(), x.township_code.clone())
        };
        assert_eq!(
            at("滑县留固镇有个塑料厂夜里冒黑烟，气味刺鼻"),
            ("410526".into(), Some("410526103".into()))
        );
        assert_eq!(at("殷都区水冶镇一家铸造厂粉尘很大"), ("410505".into(), Some("410505101".into())));
        assert_eq!(at("文峰区宝莲寺镇有人焚烧垃圾"), ("410502".into(), Some("410502101".into())));
        assert_eq!(at("林州市有个石料厂扬尘严重").0, "410581");
        assert_eq!(at("滑县白道口镇白马坡村有个小作坊排污水").0, "410526");
        // Puyang is another city for an Anyang deployment.
        assert!(matches!(r.route("濮阳县柳屯镇有个化工厂").county, crate::CountyOutcome::Outside { .. }));
    }

    #[test]
    fn places_are_checked_against_the_city() {
        let puyang = Gazetteer::builtin();
        puyang.check_places(crate::Places::builtin()).unwrap();
        let anyang = Gazetteer::for_city("4105").unwrap();
        let e = anyang.check_places(crate::Places::builtin()).unwrap_err();
        assert_eq!((e.code, e.file.as_deref()), ("bad_places", Some("places.csv")));
        let head = "name,kind,county_code,township_code,village_code,aliases\n";
        let ok = crate::Places::from_csv(&format!(
            "{head}红旗渠大道,road,410505,,,\n留固工业园,park,410526,410526103,,\n"
        ))
        .unwrap();
        anyang.check_places(&ok).unwrap();
        for (row, want) in [
            ("x,road,410928,,,", "区县代码410928"),
            ("x,park,410526,410505101,,", "乡镇代码410505101不属于区县410526"),
            ("x,park,410526,410526999,,", "乡镇代码410526999"),
        ] {
            let p = crate::Places::from_csv(&format!("{head}{row}\n")).unwrap();
            let e = anyang.check_places(&p).unwrap_err();
            assert!(e.message.contains(want), "{row}: {e}");
        }
    }

    #[test]
    fn for_city_puyang_is_builtin_and_bad_codes_are_refused() {
        let g = Gazetteer::for_city("4109").unwrap();
        assert_eq!(g.townships().count(), Gazetteer::builtin().townships().count());
        assert_eq!(g.routing_county_of_township("410972100"), Some("410990"));
        for bad in ["41", "41x5", "9999", ""] {
            assert_eq!(Gazetteer::for_city(bad).unwrap_err().code, "bad_city", "{bad}");
        }
    }

    #[test]
    fn village_names_table() {
        for (nbs, common, short) in [
            ("张堆村委会", "张堆村", Some("张堆")),
            ("京东社区居民委员会", "京东社区", Some("京东")),
            ("岳村集村村民委员会", "岳村集村", Some("岳村集")),
            ("前三里店村民委员会", "前三里店村", Some("前三里店")),
            ("赵村村委会", "赵村", None),
            ("新民居委会", "新民社区", Some("新民")),
            ("城关第一类似居委会", "城关第一居委会", None),
        ] {
            assert_eq!(village_names(nbs), (common.to_owned(), short.map(str::to_owned)), "{nbs}");
        }
    }

    #[test]
    fn short_names() {
        assert_eq!(province_short("山东省").as_deref(), Some("山东"));
        assert_eq!(province_short("广西壮族自治区").as_deref(), Some("广西"));
        assert_eq!(county_short("阳谷县").as_deref(), Some("阳谷"));
        assert_eq!(county_short("范县"), None);
        assert_eq!(county_short("城区"), None);
        assert_eq!(city_short("聊城市").as_deref(), Some("聊城"));
    }

    #[test]
    fn full_names() {
        let g = Gazetteer::builtin();
        assert_eq!(g.full_name("371521").as_deref(), Some("山东省聊城市阳谷县"));
        assert_eq!(g.full_name("410928101").as_deref(), Some("河南省濮阳市濮阳县濮阳县柳屯镇"));
    }

    #[test]
    fn bad_rows_name_file_and_line() {
        let ok_p = "code,name\n41,\"河南省\"\n";
        let ok_c = "code,name,provinceCode\n4109,\"濮阳市\",41\n";
        let ok_a = "code,name,cityCode,provinceCode\n410928,\"濮阳县\",4109,41\n";
        let base = GazetteerCsv {
            provinces: ok_p,
            cities: ok_c,
            areas: ok_a,
            streets: "code,name,areaCode\n410928100,\"城关镇\",410928\n",
            villages: None,
            zones: None,
            city: None,
        };
        assert!(Gazetteer::from_csv(base).is_ok());
        let e = Gazetteer::from_csv(GazetteerCsv {
            streets: "code,name,areaCode\n410928100,\"城关镇\",410928\n41092810x,\"坏\",410928\n",
            ..base
        })
        .unwrap_err();
        assert_eq!((e.file.as_deref(), e.line), (Some("streets.csv"), Some(3)));
        let e = Gazetteer::from_csv(GazetteerCsv {
            areas: "code,name,cityCode,provinceCode\n410928,\"濮阳县\",4108,41\n",
            ..base
        })
        .unwrap_err();
        assert_eq!((e.file.as_deref(), e.line), (Some("areas.csv"), Some(2)));
        let e = Gazetteer::from_csv(GazetteerCsv {
            zones: Some("[[zone]]\ncode = \"12\"\nname = \"x\"\n"),
            ..base
        })
        .unwrap_err();
        assert_eq!(e.file.as_deref(), Some("zones.toml"));
        let e = Gazetteer::from_csv(GazetteerCsv { zones: Some("[[zone]\n"), ..base }).unwrap_err();
        assert_eq!((e.file.as_deref(), e.line), (Some("zones.toml"), Some(1)));
    }
}

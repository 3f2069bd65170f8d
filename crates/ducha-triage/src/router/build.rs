//! Building the router: every alias of every division (official, common and short names, zone
//! abbreviations, the places file, other cities/provinces/counties of China) becomes one pattern of a
//! leftmost-longest Aho–Corasick automaton, with the divisions it can mean and their weights; the
//! context words become a second automaton.

use std::collections::HashMap;
use std::sync::Arc;

use aho_corasick::{AhoCorasick, MatchKind};

use super::words::{
    COMMON_WORD_SHORTS, HOME_WORDS, REFERENCE_AFTER, REFERENCE_BEFORE, RELATION_AFTER, RELATION_BEFORE,
    SOURCE_WORDS, VILLAGE_SHORT_ENDINGS,
};
use super::{Class, Ctx, Inner, Pattern, Router, Scope, Target};
use crate::gazetteer::{Gazetteer, province_short};
use crate::places::{PlaceKind, Places};

fn place_weight(kind: PlaceKind) -> f32 {
    match kind {
        PlaceKind::Enterprise => 2.6,
        PlaceKind::Park | PlaceKind::Landmark | PlaceKind::Market | PlaceKind::School => 2.2,
        PlaceKind::Hospital | PlaceKind::Community => 2.2,
        PlaceKind::Road => 1.4,
        PlaceKind::River => 0.8,
    }
}

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
                // Communities that were villages (马头居民委员会) are still called 马头村.
                if v.common.ends_with("社区") && !s.ends_with('村') {
                    b.add(&format!("{s}村"), Class::Admin, scope.clone(), 2.0);
                }
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
        // Short names that are also a province's or city's (河北 = 河北省, not 天津市河北区).
        let upper_shorts: Vec<String> = g
            .provinces()
            .filter_map(|p| province_short(&p.name))
            .chain(g.cities().filter_map(|c| c.short.clone()))
            .collect();
        for c in g.all_counties().filter(|c| !g.is_local_county(&c.code)) {
            if matches!(c.name.as_str(), "城区" | "郊区" | "矿区" | "市辖区") {
                continue;
            }
            let scope = Scope::Outside { code: c.code.as_str().into() };
            b.add(&c.name, Class::Admin, scope.clone(), 3.0);
            if let Some(s) = &c.short
                && short_count.get(s) == Some(&1)
                && !COMMON_WORD_SHORTS.contains(&s.as_str())
                && !upper_shorts.contains(s)
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
        ctx_words.extend(REFERENCE_BEFORE.iter().map(|w| (*w, Ctx::RefBefore)));
        ctx_words.extend(REFERENCE_AFTER.iter().map(|w| (*w, Ctx::RefAfter)));
        let context = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .build(ctx_words.iter().map(|(w, _)| *w))
            .unwrap_or_else(|e| panic!("router context automaton: {e}"));
        let context_kinds = ctx_words.iter().map(|(_, k)| *k).collect();
        let mut per_county: HashMap<String, Vec<String>> = HashMap::new();
        for t in g.townships() {
            per_county.entry(t.parent.clone()).or_default().push(t.code.clone());
        }
        let single_township =
            per_county.into_iter().filter(|(_, v)| v.len() == 1).map(|(c, mut v)| (c, v.remove(0))).collect();
        Router { inner: Arc::new(Inner { ac, patterns, context, context_kinds, single_township }) }
    }
}

//! The decision: county votes (ambiguous names split theirs; OUTSIDE when other places outweigh the
//! local ones; UNKNOWN on nothing or a tie), then township and village among the mentions inside the
//! chosen county, with confidences and the deciding words.

use std::collections::HashMap;

use super::{CountyOutcome, FieldConfidence, Mention, Router, Routing, Scope};

impl Router {
    pub(super) fn decide(&self, mentions: &[Mention]) -> Routing {
        let pats = &self.inner.patterns;
        let mut county_votes: HashMap<&str, f32> = HashMap::new();
        let mut city_local = 0.0f32;
        let mut outside = 0.0f32;
        let mut best_outside: Option<(f32, usize, &str)> = None;
        // A name said twice counts once, with its strongest context.
        let mut strongest: HashMap<usize, (usize, f32)> = HashMap::new();
        for (mi, m) in mentions.iter().enumerate() {
            let f = m.factor * m.relation;
            let e = strongest.entry(m.pat).or_insert((mi, f));
            if f > e.1 {
                *e = (mi, f);
            }
        }
        for (mi, m) in mentions.iter().enumerate() {
            if strongest.get(&m.pat).is_some_and(|(k, _)| *k != mi) {
                continue;
            }
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
                outside_code: (!code.is_empty()).then(|| code.to_owned()),
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
        // A county-level unit with a single township (河南濮阳工业园区 → 昌湖街道) determines it.
        let (township, t_conf) = match township {
            Some(t) => (Some(t), t_conf),
            None => match self.inner.single_township.get(county) {
                Some(t) => (Some(t.as_str()), county_conf),
                None => (None, 0.0),
            },
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
            outside_code: None,
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

pub(super) fn unknown(evidence: Vec<String>, conf: f32) -> Routing {
    Routing {
        county: CountyOutcome::Unknown,
        township_code: None,
        village_code: None,
        confidence: FieldConfidence { county: conf, township: 0.0, village: 0.0 },
        evidence,
        places: Vec::new(),
        outside_code: None,
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

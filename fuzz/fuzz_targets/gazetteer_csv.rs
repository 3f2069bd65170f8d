//! The gazetteer importer on arbitrary files: never panics, and what it accepts is consistent (every
//! listed division can be looked up by its code, every township's routing county is a known county).
#![no_main]

use ducha_triage::{Gazetteer, GazetteerCsv};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else { return };
    // Files separated by U+0000: provinces, cities, areas, streets, villages, zones, city.
    let mut p = s.split('\0');
    let provinces = p.next().unwrap_or_default();
    let cities = p.next().unwrap_or_default();
    let areas = p.next().unwrap_or_default();
    let streets = p.next().unwrap_or_default();
    let villages = p.next();
    let zones = p.next();
    let city = p.next();
    let Ok(g) =
        Gazetteer::from_csv(GazetteerCsv { provinces, cities, areas, streets, villages, zones, city })
    else {
        return;
    };
    let counties: Vec<String> = g.counties().map(|c| c.code).collect();
    for c in &counties {
        assert!(g.get(c).is_some(), "county {c} listed but not found");
        let _ = g.full_name(c);
    }
    for t in g.townships() {
        assert!(g.get(&t.code).is_some(), "township {} listed but not found", t.code);
        if let Some(county) = g.routing_county_of_township(&t.code) {
            assert!(g.get(county).is_some(), "township {} routes to unknown county {county}", t.code);
        }
    }
    for v in g.villages() {
        assert!(g.get(&v.code).is_some(), "village {} listed but not found", v.code);
    }
});

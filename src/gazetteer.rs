//! Reading a gazetteer directory in the NBS CSV layout (provinces, cities, areas, streets, villages,
//! optional zones.toml) for `ducha import gazetteer` and `ducha triage --gazetteer`. The files are
//! read here; parsing is pure, in `ducha_triage::Gazetteer::from_csv`.

use std::path::Path;

use anyhow::{Context, Result, bail};

/// Read an NBS-layout directory into a gazetteer (IO here; parsing is pure in ducha-triage).
pub fn load_gazetteer(dir: &Path, city: &str) -> Result<ducha_triage::Gazetteer> {
    if city.len() != 4 || !city.bytes().all(|b| b.is_ascii_digit()) {
        bail!("--city 应为4位城市代码，如 4109");
    }
    let read = |name: &str| {
        std::fs::read_to_string(dir.join(name))
            .with_context(|| format!("无法读取 {}", dir.join(name).display()))
    };
    let provinces = read("provinces.csv")?;
    let cities = read("cities.csv")?;
    let areas = read("areas.csv")?;
    let streets = read("streets.csv")?;
    let mut villages = None;
    for entry in std::fs::read_dir(dir).with_context(|| format!("无法读取目录 {}", dir.display()))? {
        let p = entry?.path();
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name.starts_with("villages") && name.ends_with(".csv") {
            villages =
                Some(std::fs::read_to_string(&p).with_context(|| format!("无法读取 {}", p.display()))?);
        }
    }
    let zones = std::fs::read_to_string(dir.join("zones.toml")).ok();
    let g = ducha_triage::Gazetteer::from_csv(ducha_triage::GazetteerCsv {
        provinces: &provinces,
        cities: &cities,
        areas: &areas,
        streets: &streets,
        villages: villages.as_deref(),
        zones: zones.as_deref().or(Some(include_str!("../data/gazetteer/zones.toml"))),
        city: Some(city),
    })?;
    Ok(g)
}

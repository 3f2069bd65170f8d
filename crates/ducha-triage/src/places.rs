//! The per-deployment places file: roads, landmarks, parks, enterprises, rivers … with the
//! county/township/village they lie in (`data/places/4109.csv` for Puyang).

use std::sync::LazyLock;

use serde::{Deserialize, Serialize};

use crate::TriageError;

/// What kind of place a row names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlaceKind {
    Road,
    Landmark,
    Park,
    Enterprise,
    River,
    Market,
    School,
    Hospital,
    Community,
}

impl PlaceKind {
    pub fn code(self) -> &'static str {
        match self {
            PlaceKind::Road => "road",
            PlaceKind::Landmark => "landmark",
            PlaceKind::Park => "park",
            PlaceKind::Enterprise => "enterprise",
            PlaceKind::River => "river",
            PlaceKind::Market => "market",
            PlaceKind::School => "school",
            PlaceKind::Hospital => "hospital",
            PlaceKind::Community => "community",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        use PlaceKind::*;
        [Road, Landmark, Park, Enterprise, River, Market, School, Hospital, Community]
            .into_iter()
            .find(|k| k.code() == s.trim())
    }
}

/// One row of the places file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Place {
    pub name: String,
    pub kind: PlaceKind,
    /// County-level code (NBS or zone); `None` when the place spans several counties.
    pub county_code: Option<String>,
    pub township_code: Option<String>,
    pub village_code: Option<String>,
    pub aliases: Vec<String>,
}

/// The parsed places file.
#[derive(Debug, Clone, Default)]
pub struct Places {
    places: Vec<Place>,
}

static BUILTIN: LazyLock<Places> = LazyLock::new(|| {
    Places::from_csv(include_str!("../../../data/places/4109.csv"))
        .unwrap_or_else(|e| panic!("built-in places file is invalid: {e}"))
});

const HEADER: [&str; 6] = ["name", "kind", "county_code", "township_code", "village_code", "aliases"];

fn opt_code(s: Option<&str>, len: usize, what: &str, line: usize) -> Result<Option<String>, TriageError> {
    let s = s.unwrap_or("").trim();
    if s.is_empty() {
        return Ok(None);
    }
    if s.len() != len || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(
            TriageError::new("bad_places", format!("{what}“{s}”应为{len}位数字")).at("places.csv", line)
        );
    }
    Ok(Some(s.to_owned()))
}

impl Places {
    /// The built-in places of the deployment (Puyang), parsed once.
    pub fn builtin() -> &'static Places {
        &BUILTIN
    }

    /// An empty places list.
    pub fn empty() -> Places {
        Places::default()
    }

    /// Parses a places CSV (`name,kind,county_code,township_code,village_code,aliases`).
    pub fn from_csv(text: &str) -> Result<Places, TriageError> {
        let mut rdr = csv::ReaderBuilder::new().has_headers(true).flexible(true).from_reader(text.as_bytes());
        let headers = rdr
            .headers()
            .map_err(|e| TriageError::new("bad_places", format!("表头无法读取：{e}")).at("places.csv", 1))?
            .clone();
        let got: Vec<&str> = headers.iter().map(|h| h.trim().trim_start_matches('\u{feff}')).collect();
        if got != HEADER {
            return Err(
                TriageError::new("bad_places", format!("表头应为 {}", HEADER.join(","))).at("places.csv", 1)
            );
        }
        let mut places = Vec::new();
        for (i, rec) in rdr.records().enumerate() {
            let line = i + 2;
            let rec = rec.map_err(|e| {
                TriageError::new("bad_places", format!("无法解析：{e}")).at("places.csv", line)
            })?;
            let name = rec.get(0).unwrap_or("").trim();
            if name.is_empty() {
                if rec.iter().all(|f| f.trim().is_empty()) {
                    continue;
                }
                return Err(TriageError::new("bad_places", "缺少名称").at("places.csv", line));
            }
            let kind_s = rec.get(1).unwrap_or("");
            let kind = PlaceKind::parse(kind_s).ok_or_else(|| {
                TriageError::new("bad_places", format!("未知的地点类型“{kind_s}”")).at("places.csv", line)
            })?;
            let county_code = match rec.get(2).map(str::trim) {
                Some(s) if !s.is_empty() => opt_code(Some(s), 6, "区县代码", line)?,
                _ => None,
            };
            let township_code = opt_code(rec.get(3), 9, "乡镇代码", line)?;
            let village_code = opt_code(rec.get(4), 12, "村代码", line)?;
            let nested = |inner: &Option<String>, outer: &Option<String>| match (inner, outer) {
                (Some(i), Some(o)) => i.starts_with(o.as_str()),
                _ => true,
            };
            if !nested(&village_code, &township_code) {
                return Err(TriageError::new("bad_places", "村代码不属于所填乡镇").at("places.csv", line));
            }
            let aliases = rec
                .get(5)
                .unwrap_or("")
                .split('|')
                .map(str::trim)
                .filter(|a| !a.is_empty() && *a != name)
                .map(str::to_owned)
                .collect();
            places.push(Place {
                name: name.to_owned(),
                kind,
                county_code,
                township_code,
                village_code,
                aliases,
            });
        }
        Ok(Places { places })
    }

    pub fn iter(&self) -> impl Iterator<Item = &Place> {
        self.places.iter()
    }

    pub fn len(&self) -> usize {
        self.places.len()
    }

    pub fn is_empty(&self) -> bool {
        self.places.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_parses() {
        let p = Places::builtin();
        assert!(!p.is_empty());
        assert!(p.iter().any(|p| p.kind == PlaceKind::Park && p.county_code.as_deref() == Some("410928")));
    }

    #[test]
    fn parses_aliases_and_empty_codes() {
        let p = Places::from_csv(
            "name,kind,county_code,township_code,village_code,aliases\n某化工厂,enterprise,410928,410928101,,某化工|某厂\n黄河,river,,,,\n",
        )
        .unwrap();
        let v: Vec<_> = p.iter().collect();
        assert_eq!(v[0].aliases, vec!["某化工", "某厂"]);
        assert_eq!(v[0].township_code.as_deref(), Some("410928101"));
        assert_eq!(v[1].county_code, None);
    }

    #[test]
    fn bad_rows_name_the_line() {
        for (csv, line) in [
            ("name,kind\n", 1),
            (
                "name,kind,county_code,township_code,village_code,aliases\n甲,road,410902,,,\n乙,castle,410902,,,\n",
                3,
            ),
            ("name,kind,county_code,township_code,village_code,aliases\n甲,road,41090,,,\n", 2),
            (
                "name,kind,county_code,township_code,village_code,aliases\n甲,road,410902,410902001,410928101201,\n",
                2,
            ),
        ] {
            let e = Places::from_csv(csv).unwrap_err();
            assert_eq!(e.line, Some(line), "{csv}");
            assert_eq!(e.file.as_deref(), Some("places.csv"));
        }
    }
}

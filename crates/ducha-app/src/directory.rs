//! The directory of a deployment: regions from the gazetteer, and the chain of units built on them
//! (inspection team → city office → county/zone offices → townships/streets and departments).

use ducha_domain::region::RegionLevel;
use ducha_domain::unit::{DepartmentKind, UnitLevel};
use ducha_store::audit::{self, AuditEntry};
use ducha_store::directory::{self, NewUnit, RegionRow};
use ducha_triage::Gazetteer;

use crate::{App, Result};

/// Departments created under every county-level office by default.
pub const DEFAULT_DEPARTMENTS: [DepartmentKind; 6] = [
    DepartmentKind::Ecology,
    DepartmentKind::Housing,
    DepartmentKind::UrbanManagement,
    DepartmentKind::NaturalResources,
    DepartmentKind::Agriculture,
    DepartmentKind::Transport,
];

pub fn unit_code_city(city: &str) -> String {
    format!("city-{city}")
}
pub fn unit_code_county(code: &str) -> String {
    format!("county-{code}")
}
pub fn unit_code_town(code: &str) -> String {
    format!("town-{code}")
}
pub fn unit_code_dept(kind: DepartmentKind, county: &str) -> String {
    format!("dept-{}-{county}", kind.code())
}

fn region_rows(g: &Gazetteer) -> Vec<RegionRow> {
    let mut rows = Vec::new();
    for city in g.local_cities() {
        if let Some(c) = g.get(city) {
            let prov = city[..2].to_owned();
            if let Some(p) = g.get(&prov) {
                rows.push(RegionRow {
                    code: p.code,
                    name: p.name.clone(),
                    short_name: p.common,
                    level: RegionLevel::Province,
                    parent_code: None,
                });
            }
            rows.push(RegionRow {
                code: c.code,
                name: c.name,
                short_name: c.common,
                level: RegionLevel::City,
                parent_code: Some(prov),
            });
        }
    }
    for c in g.counties() {
        rows.push(RegionRow {
            code: c.code,
            name: c.name,
            short_name: c.common,
            level: RegionLevel::County,
            parent_code: Some(c.parent),
        });
    }
    for t in g.townships() {
        rows.push(RegionRow {
            code: t.code.clone(),
            name: t.name.clone(),
            short_name: t.common.clone(),
            level: RegionLevel::Township,
            parent_code: Some(t.parent.clone()),
        });
    }
    for v in g.villages() {
        rows.push(RegionRow {
            code: v.code.clone(),
            name: v.name.clone(),
            short_name: v.common.clone(),
            level: RegionLevel::Village,
            parent_code: Some(v.parent.clone()),
        });
    }
    rows
}

impl App {
    /// The deployment city the database was set up for (`4105`): the region of its city-level unit
    /// (`city-4105`, made by `ducha init` or the bootstrap). `None` on a database without units.
    pub async fn deployment_city(&self) -> Result<Option<String>> {
        let units = directory::units(&self.store).await?;
        Ok(units
            .iter()
            .filter(|u| u.level == UnitLevel::City)
            .find_map(|u| u.code.strip_prefix("city-").filter(|c| c.len() == 4).map(str::to_owned)))
    }

    /// Load (or refresh) the regions of a gazetteer; idempotent.
    pub async fn import_regions(&self, g: &Gazetteer) -> Result<u64> {
        let rows = region_rows(g);
        let mut tx = self.store.begin().await?;
        let n = directory::upsert_regions(&mut tx, &rows).await?;
        audit::append(
            &mut tx,
            &AuditEntry {
                at_ms: self.now_ms(),
                actor_user_id: None,
                actor_unit_id: None,
                actor_name: "系统".into(),
                action: "directory.import_regions".into(),
                entity_type: "regions".into(),
                entity_id: g.local_cities().join(","),
                detail: serde_json::json!({ "rows": n }),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(n)
    }

    /// On a fresh database: load the gazetteer's regions and build the unit chain on them for its
    /// city (`Gazetteer::builtin()` for Puyang, `Gazetteer::for_city` for any other): the team, the
    /// city office, an office per county or zone with its townships/streets and the
    /// [`DEFAULT_DEPARTMENTS`]. Does nothing when units already exist.
    pub async fn bootstrap_directory(&self, g: &Gazetteer) -> Result<bool> {
        if !directory::units(&self.store).await?.is_empty() {
            return Ok(false);
        }
        if directory::count_regions(&self.store).await? == 0 {
            self.import_regions(g).await?;
        }
        let mut tx = self.store.begin().await?;
        let unit = |code: String,
                    name: String,
                    level: UnitLevel,
                    parent: Option<i64>,
                    region: Option<String>,
                    dept: Option<DepartmentKind>| NewUnit {
            code,
            name,
            level: level.code().into(),
            dept_kind: dept.map(|d| d.code().to_owned()),
            parent_id: parent,
            region_code: region,
            contact_email: None,
            contact_webhook: None,
        };
        let team = directory::insert_unit(
            &mut tx,
            &unit("team".into(), "省“三散”污染治理专项督察组".into(), UnitLevel::Team, None, None, None),
        )
        .await?;
        let mut created = 1;
        for city in g.local_cities() {
            let city_name = g.city_name(city).unwrap_or_else(|| city.clone());
            let city_id = directory::insert_unit(
                &mut tx,
                &unit(
                    unit_code_city(city),
                    format!("{city_name}污染防治攻坚战领导小组办公室"),
                    UnitLevel::City,
                    Some(team),
                    Some(city.clone()),
                    None,
                ),
            )
            .await?;
            created += 1;
            for county in g.counties().filter(|c| c.parent == *city) {
                let county_id = directory::insert_unit(
                    &mut tx,
                    &unit(
                        unit_code_county(&county.code),
                        format!("{}污染防治攻坚办", county.common),
                        UnitLevel::County,
                        Some(city_id),
                        Some(county.code.clone()),
                        None,
                    ),
                )
                .await?;
                created += 1;
                for t in g.townships().filter(|t| t.parent == county.code) {
                    directory::insert_unit(
                        &mut tx,
                        &unit(
                            unit_code_town(&t.code),
                            t.common.clone(),
                            UnitLevel::Township,
                            Some(county_id),
                            Some(t.code.clone()),
                            None,
                        ),
                    )
                    .await?;
                    created += 1;
                }
                for kind in DEFAULT_DEPARTMENTS {
                    directory::insert_unit(
                        &mut tx,
                        &unit(
                            unit_code_dept(kind, &county.code),
                            format!("{}{}", county.common, kind.bureau_name()),
                            UnitLevel::Department,
                            Some(county_id),
                            Some(county.code.clone()),
                            Some(kind),
                        ),
                    )
                    .await?;
                    created += 1;
                }
            }
        }
        audit::append(
            &mut tx,
            &AuditEntry {
                at_ms: self.now_ms(),
                actor_user_id: None,
                actor_unit_id: None,
                actor_name: "系统".into(),
                action: "directory.bootstrap".into(),
                entity_type: "units".into(),
                entity_id: "all".into(),
                detail: serde_json::json!({ "units": created }),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }
}

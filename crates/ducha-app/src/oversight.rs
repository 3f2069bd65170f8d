//! What the offices watch over the units: their active tasks, the R1.2/R1.3 shutdown alerts and
//! their acknowledgement, and the R5 burden figures (quiet hours, refused squeezing, time given vs
//! used). One use case per figure, shared by the API, the pages and the dashboard.

use ducha_domain::role::Role;
use ducha_domain::unit::UnitLevel;
use ducha_domain::workflow::Stage;
use ducha_store::audit;
use ducha_store::handling::{self as hstore, AlertRow};
use ducha_store::{cases, directory, outbox};
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::CurrentUser;
use crate::{App, AppError, Result};

/// One active task of a unit.
#[derive(Debug, Serialize, ToSchema)]
pub struct TaskView {
    pub case_id: i64,
    pub accept_no: String,
    /// Stage code, e.g. `dispatched_handler`.
    #[schema(value_type = String)]
    pub stage: Stage,
    pub stage_label: String,
    pub role: String,
    pub delivered_at: Option<i64>,
    pub due_at: Option<i64>,
    /// 还剩3个工作日 / 已超期1个工作日 …
    pub remaining: Option<String>,
    pub excerpt: String,
}

/// A shutdown alert (R1.2 blanket shutdown, R1.3 long shutdown), through the firewall.
#[derive(Debug, Serialize, ToSchema)]
pub struct AlertView {
    pub id: i64,
    pub kind: String,
    pub level: String,
    pub title: String,
    pub summary: String,
    pub evidence: Vec<String>,
    pub case_ids: Vec<i64>,
    pub escalation: i64,
    pub created_at: i64,
    pub acknowledged_at: Option<i64>,
}

/// The burden figures of one unit (R5.1, R5.2 and time given vs used).
#[derive(Debug, Serialize, ToSchema)]
pub struct BurdenRow {
    pub unit_id: i64,
    pub unit: String,
    pub level: String,
    /// Deliveries held for quiet hours (R5.1).
    pub night_held: i64,
    /// Urgent deliveries during quiet hours (R5.1 overrides).
    pub night_overrides: i64,
    /// Dispatches refused for squeezing the due time (R5.2).
    pub refused_compressions: i64,
    /// Tasks received.
    pub tasks: i64,
    /// Average working hours given (delivery → due) and used (delivery → done or returned).
    pub hours_given: Option<f64>,
    pub hours_used: Option<f64>,
}

/// An alert through the firewall: a shutdown's subject may be a private person (个体户王某某).
fn alert_view(a: AlertRow, shield: &ducha_shield::Shield) -> AlertView {
    let evidence: Vec<String> = serde_json::from_str(&a.evidence).unwrap_or_default();
    AlertView {
        id: a.id,
        kind: a.kind,
        level: a.level,
        title: shield.screen(&a.title).into_string(),
        summary: shield.screen(&a.summary).into_string(),
        evidence: evidence.iter().map(|e| shield.screen(e).into_string()).collect(),
        case_ids: serde_json::from_str(&a.case_ids).unwrap_or_default(),
        escalation: a.escalation,
        created_at: a.created_at,
        acknowledged_at: a.acknowledged_at,
    }
}

/// Team and city see every alert; a county office sees those addressed to its unit.
fn sees_alert(u: &CurrentUser, a: &AlertRow) -> bool {
    matches!(u.level, UnitLevel::Team | UnitLevel::City) || a.unit_id == Some(u.unit.id)
}

impl App {
    /// The active tasks of the user's unit, soonest due first.
    pub async fn task_list(&self, u: &CurrentUser) -> Result<Vec<TaskView>> {
        let mut out = Vec::new();
        for a in cases::active_for_unit(&self.store, u.unit.id).await? {
            let Some(c) = cases::get(&self.store, a.case_id).await? else { continue };
            let stage = c.stage;
            if stage.is_terminal() {
                continue;
            }
            let excerpt =
                self.screen_for_case(c.id, &c.redacted_text).await?.as_str().chars().take(60).collect();
            out.push(TaskView {
                case_id: c.id,
                accept_no: c.accept_no,
                stage,
                stage_label: stage.label().into(),
                role: if a.is_lead != 0 { "主办".into() } else { "协办".into() },
                delivered_at: a.delivered_at,
                due_at: a.due_at,
                remaining: a.due_at.map(|d| self.remaining(d)),
                excerpt,
            });
        }
        Ok(out)
    }

    /// Open shutdown alerts the user may see: all of them for the team and the city office, those
    /// addressed to its unit for a county office; other roles are refused.
    pub async fn visible_alerts(&self, u: &CurrentUser) -> Result<Vec<AlertView>> {
        if !matches!(u.role, Role::Office | Role::Team) {
            return Err(AppError::forbidden("预警供各级攻坚办和督察组查看"));
        }
        let all = hstore::open_alerts(&self.store, None).await?;
        let shield = self.shield_none().await?;
        Ok(all.into_iter().filter(|a| sees_alert(u, a)).map(|a| alert_view(a, &shield)).collect())
    }

    /// Acknowledges an open alert the user may see (`alert_not_found` otherwise — a hidden alert
    /// and a missing one answer the same), with an audit record.
    pub async fn acknowledge_alert(&self, u: &CurrentUser, id: i64) -> Result<()> {
        if !matches!(u.role, Role::Office | Role::Team) {
            return Err(AppError::forbidden("预警供各级攻坚办和督察组查看"));
        }
        let visible =
            hstore::open_alerts(&self.store, None).await?.iter().any(|a| a.id == id && sees_alert(u, a));
        if !visible {
            return Err(AppError::not_found("alert_not_found", "未找到该预警"));
        }
        let now = self.now_ms();
        let mut tx = self.store.begin().await?;
        hstore::acknowledge_alert(&mut tx, id, u.id, now).await?;
        audit::append(&mut tx, &u.audit(now, "alert.acknowledged", "alert", id, serde_json::json!({})))
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Burden figures per unit (R5.1, R5.2 and time given vs used); units with nothing to show are
    /// left out, and the team is never a burdened unit.
    pub async fn burden_rows(&self) -> Result<Vec<BurdenRow>> {
        let counts = outbox::burden_counts(&self.store).await?;
        let asg = cases::all_assignments(&self.store).await?;
        let cal = self.calendar();
        let mut rows = Vec::new();
        for u in directory::units(&self.store).await? {
            if u.level == UnitLevel::Team {
                continue;
            }
            let count = |kind: &str| {
                counts.iter().filter(|c| c.0 == kind && c.1 == Some(u.id)).map(|c| c.2).sum::<i64>()
            };
            let mine: Vec<_> = asg.iter().filter(|a| a.unit_id == u.id).collect();
            let hours = |from: Option<i64>, to: Option<i64>| -> Option<f64> {
                let (f, t) = (from?, to?);
                ducha_domain::deadline::working_days_between(
                    ducha_domain::time::from_millis(f),
                    ducha_domain::time::from_millis(t),
                    &cal,
                )
                .ok()
                .map(|r| r.working_seconds as f64 / 3600.0)
            };
            let given: Vec<f64> = mine.iter().filter_map(|a| hours(a.delivered_at, a.due_at)).collect();
            let used: Vec<f64> =
                mine.iter().filter_map(|a| hours(a.delivered_at, a.completed_at.or(a.returned_at))).collect();
            let avg = |v: &[f64]| {
                (!v.is_empty()).then(|| (v.iter().sum::<f64>() / v.len() as f64 * 10.0).round() / 10.0)
            };
            let row = BurdenRow {
                unit_id: u.id,
                unit: u.name.clone(),
                level: u.level.code().into(),
                night_held: count("night_held"),
                night_overrides: count("night_override"),
                refused_compressions: count("compression_refused"),
                tasks: mine.len() as i64,
                hours_given: avg(&given),
                hours_used: avg(&used),
            };
            if row.tasks > 0 || row.night_held > 0 || row.night_overrides > 0 || row.refused_compressions > 0
            {
                rows.push(row);
            }
        }
        Ok(rows)
    }
}

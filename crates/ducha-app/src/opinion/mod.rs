//! Public-opinion monitoring (R3): sources polled in the background, imports and manual entry,
//! analysis (ducha-opinion), links to open cases, the item workflow with alerts to townships and
//! escalations to the team (copy to the city office), the daily report and the press briefing.
//!
//! Who may do what: the opinion desk (`Role::Opinion`) manages items of its jurisdiction — a county
//! desk its county's, the city desk all. A township/street sees the alerts sent to it (and the items
//! behind them) and acknowledges them; the team sees and acknowledges escalations, the city office its
//! copies.

pub mod demo;
pub mod desk;
pub mod export;
pub mod ingest;
pub mod items;
pub mod poll;
pub mod report;
pub mod sources;
pub mod worker;

use std::sync::{Arc, OnceLock};

use ducha_domain::calendar::WorkCalendar;
use ducha_domain::role::Role;
use ducha_domain::unit::UnitLevel;
use ducha_opinion::Analyzer;
use ducha_store::opinion::ItemScope;

use crate::auth::CurrentUser;
use crate::{App, AppError, Result};

pub use worker::spawn_opinion_worker;

static ANALYZER: OnceLock<Arc<Analyzer>> = OnceLock::new();

impl App {
    /// The opinion analyzer (jieba, lexicon, the triage router), built once per process.
    pub fn opinion_analyzer(&self) -> Arc<Analyzer> {
        ANALYZER.get_or_init(|| Arc::new(Analyzer::new(self.triage.router().clone()))).clone()
    }

    /// The working-time calendar for quiet hours (R5.1): the one in use ([`App::calendar`]).
    pub(crate) fn work_calendar(&self) -> Arc<WorkCalendar> {
        self.calendar()
    }
}

/// The items an opinion desk manages: a county desk its county's, the city desk all.
pub fn desk_scope(user: &CurrentUser) -> Result<ItemScope> {
    if user.role != Role::Opinion {
        return Err(AppError::forbidden("只有舆情专员可以管理舆情"));
    }
    match user.level {
        UnitLevel::City => Ok(ItemScope::All),
        UnitLevel::County => user
            .unit
            .region_code
            .clone()
            .map(ItemScope::County)
            .ok_or_else(|| AppError::internal("county unit without region")),
        _ => Err(AppError::forbidden("舆情专员应设在市或县（区）级单位")),
    }
}

/// The items a user may read: the desk its jurisdiction; a township, the team or the city office the
/// items alerted, escalated or copied to its unit.
pub fn read_scope(user: &CurrentUser) -> Result<ItemScope> {
    match user.role {
        Role::Opinion => desk_scope(user),
        Role::Team | Role::Office | Role::Handler => Ok(ItemScope::Unit(user.unit.id)),
        _ => Err(AppError::forbidden("您的角色无权查看舆情")),
    }
}

/// Whether a user reads the city-wide daily report (the team and the city office do, besides desks).
pub fn report_scope(user: &CurrentUser) -> Result<ItemScope> {
    match (user.role, user.level) {
        (Role::Opinion, _) => desk_scope(user),
        (Role::Team, _) | (Role::Office, UnitLevel::City) => Ok(ItemScope::All),
        _ => Err(AppError::forbidden("舆情日报仅供舆情专员、督察组和市攻坚办查阅")),
    }
}

pub(crate) fn opinion_not_found() -> AppError {
    AppError::not_found("opinion_item_not_found", "未找到该舆情，或该舆情不在您的管辖范围内")
}

/// `2023-12-15` of an instant, Beijing time.
pub(crate) fn day_of(ms: i64) -> String {
    ducha_domain::time::to_cst(ducha_domain::time::from_millis(ms)).format("%Y-%m-%d").to_string()
}

//! Use cases of ducha. Each one loads what it needs, asks the pure domain (and triage) crates what
//! the notice allows, and saves the new state, its audit record and the notifications it causes in one
//! store transaction.
//!
//! Architecture invariant: only this crate reads the clock (through [`Clock`]) and only this crate
//! decides who may see what ([`auth::CurrentUser::scope`]).

pub mod admin_units;
pub mod admin_users;
pub mod attachments;
pub mod auth;
pub mod batches;
pub mod campaigns;
pub mod clock;
pub mod config;
pub mod corrections;
pub mod demo;
pub mod directory;
pub mod disclosure;
pub mod error;
pub mod firewall;
pub mod handling;
pub mod holidays;
pub mod intake;
pub mod lookups;
pub mod opinion;
pub mod oversight;
pub mod queries;
pub mod settings;
pub mod triage;
pub mod workbench;
pub mod worker;
pub mod workflow;

use std::sync::Arc;

use ducha_store::{IdentityCipher, Store};

pub use clock::{Clock, FixedClock, SystemClock};
pub use config::Config;
pub use error::AppError;

pub type Result<T, E = AppError> = std::result::Result<T, E>;

/// Everything a use case needs; cheap to clone.
#[derive(Debug, Clone)]
pub struct App {
    pub store: Store,
    pub cfg: Arc<Config>,
    pub clock: Arc<dyn Clock>,
    pub cipher: Option<IdentityCipher>,
    pub triage: std::sync::Arc<triage::TriageEngine>,
    /// The working-time calendar (holidays and 调休) every due time is counted on: built-in data plus
    /// imported years, kept current ([`holidays`]); read it with [`App::calendar`].
    pub calendar_cell: Arc<holidays::CalendarCell>,
    /// Intakes waiting to share one write transaction (see [`intake::IntakeGroup`]).
    pub intake_group: Arc<intake::IntakeGroup>,
}

impl App {
    pub fn new(store: Store, cfg: Config, clock: Arc<dyn Clock>, cipher: Option<IdentityCipher>) -> Self {
        let calendar = ducha_domain::calendar::WorkCalendar::builtin()
            .and_then(|c| c.with_config(cfg.working_time))
            .unwrap_or_else(|e| panic!("built-in holiday calendar is invalid: {e}"));
        Self {
            store,
            cfg: Arc::new(cfg),
            clock,
            cipher,
            triage: triage::TriageEngine::builtin(),
            calendar_cell: Arc::new(holidays::CalendarCell::new(calendar)),
            intake_group: Arc::new(intake::IntakeGroup::default()),
        }
    }

    pub fn now_ms(&self) -> i64 {
        self.clock.now().timestamp_millis()
    }

    /// Today's Beijing date (`YYYY-MM-DD`), as campaigns' periods are written.
    pub fn today_cst(&self) -> String {
        ducha_domain::time::to_cst(self.clock.now()).format("%Y-%m-%d").to_string()
    }

    /// The banner staff pages show while a year within [`CALENDAR_NOTICE_DAYS`] of today has no holiday
    /// data: estimated on weekends (`2027年节假日安排尚未录入，期限按周末估算`) or, under the default
    /// policy, refused. `None` when the data cover the stretch.
    pub fn calendar_notice(&self) -> Option<String> {
        let today = ducha_domain::time::to_cst(self.clock.now()).date_naive();
        let cal = self.calendar();
        let missing = cal.missing_years(today, today + chrono::Duration::days(CALENDAR_NOTICE_DAYS));
        ducha_domain::calendar::missing_years_notice(&missing, cal.config().missing_year)
    }
}

/// How far ahead of today [`App::calendar_notice`] looks for a year without holiday data: further than
/// any batch or extension due time reaches.
pub const CALENDAR_NOTICE_DAYS: i64 = 60;

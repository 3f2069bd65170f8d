//! Per-campaign settings (the `campaigns.settings` JSON), with the notice's defaults.

use ducha_domain::compression::CompressionConfig;
use ducha_domain::quiet::QuietHoursConfig;
use ducha_domain::shutdown::{BlanketShutdownConfig, EndlessShutdownConfig};
use ducha_store::directory::CampaignRow;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct CampaignSettings {
    /// Working days the city office has for a batch (default 7, the provincial practice).
    pub batch_due_working_days: u32,
    /// R5.2 report buffers by dispatching level (default one working day).
    pub compression: CompressionConfig,
    /// R5.1 quiet hours (default 20:00–08:00 for townships and departments).
    pub quiet: QuietHoursConfig,
    /// Remind a unit this many working hours before its due time (default 8 = one working day).
    pub reminder_working_hours: u32,
    /// Disclosure table layout: "2023" (default) or "legacy".
    pub disclosure_layout: String,
    /// A repeat complaint within this many days after closing reopens the case for review (default 30).
    pub repeat_reopen_window_days: u32,
    /// Share of cases the county re-checks on site at verification (default 0.1).
    pub onsite_sample_rate: f64,
    /// R1.2 detector settings.
    pub blanket_shutdown: BlanketShutdownConfig,
    /// R1.3 escalation settings.
    pub endless_shutdown: EndlessShutdownConfig,
    /// Days a signed callback link stays valid (default 7).
    pub callback_link_days: u32,
    /// R2.6 working days to disclose an assigned case (absent: `public.disclosure_days` of the config).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub disclosure_days: Option<u32>,
    /// R2 publication four-eyes: whoever drafted a disclosure version may not also review or publish
    /// it. Every campaign created through [`crate::App::create_campaign`] records the choice (default
    /// on); a settings object without the key (a campaign stored before the rule existed) keeps
    /// single-person publication.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub publication_four_eyes: Option<bool>,
}

impl Default for CampaignSettings {
    fn default() -> Self {
        Self {
            batch_due_working_days: 7,
            compression: CompressionConfig::default(),
            quiet: QuietHoursConfig::default(),
            reminder_working_hours: 8,
            disclosure_layout: "2023".into(),
            repeat_reopen_window_days: 30,
            onsite_sample_rate: 0.1,
            blanket_shutdown: BlanketShutdownConfig::default(),
            endless_shutdown: EndlessShutdownConfig::default(),
            callback_link_days: 7,
            disclosure_days: None,
            publication_four_eyes: None,
        }
    }
}

impl CampaignSettings {
    /// The settings of a campaign; unknown or malformed keys fall back to the defaults.
    pub fn of(c: &CampaignRow) -> Self {
        serde_json::from_str(&c.settings).unwrap_or_default()
    }

    /// Whether the publication four-eyes rule applies (see [`Self::publication_four_eyes`]).
    pub fn four_eyes(&self) -> bool {
        self.publication_four_eyes.unwrap_or(false)
    }
}

//! Public-opinion monitoring (R3): feed sources and their poll log, items with their analysis,
//! locality-sensitive band keys for near-duplicate lookup, links to cases, notes, and alerts /
//! escalations with acknowledgement tracking. Holds no rules: the app decides, this stores.
//!
//! Submodules, re-exported here so `opinion::fn_name` is the one path: `feeds` (feed sources and polls),
//! `items` (items, band keys, lists, notes), `links` (item–case links and the cases the desk may
//! see), `alerts` (alerts, escalations, acknowledgements).

mod alerts;
mod feeds;
mod items;
mod links;

pub use alerts::{
    AlertRow, NewAlert, acknowledge_alert, alert_for_update, alerts_for_item, alerts_for_unit, escalations,
    insert_alert, override_counts, unacknowledged,
};
pub use feeds::{
    NewSource, PollRow, PollSuccess, SourcePatch, SourceRow, claim_source, due_sources, insert_poll,
    insert_source, next_due_at, recent_polls, record_failure, record_success, source, source_for_update,
    sources, update_source,
};
pub use items::{
    BandCandidate, ITEM_COLS, ItemFilter, ItemRow, ItemScope, NewItem, NoteRow, band_candidates,
    bump_dup_count, count_items, day_volumes, existing_item, insert_bands, insert_item, insert_note, item,
    item_for_update, item_in_scope, items_in_scope, link_context, list_items, notes, status_counts,
    update_item_assessment, update_item_state,
};
pub use links::{
    LinkedCase, OpenCase, case_for_link, delete_link, insert_link, items_for_case, linked_cases,
    linked_cases_of, open_cases,
};

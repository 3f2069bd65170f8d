//! The background loop that polls due feed sources.

use std::time::Duration;

use crate::App;

/// The shortest and longest sleep between rounds.
const MIN_SLEEP: Duration = Duration::from_secs(5);
const MAX_SLEEP: Duration = Duration::from_secs(60);

/// Poll due sources for as long as the process runs: one round, then sleep until the next source is
/// due (between 5 and 60 seconds). A failing round is logged and retried after the longest sleep.
pub fn spawn_opinion_worker(app: App) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            let sleep = match app.poll_due_sources().await {
                Ok(r) => {
                    if r.polled > 0 {
                        tracing::info!(
                            polled = r.polled,
                            new = r.items_new,
                            reposts = r.items_dup,
                            failed = r.failed,
                            now_failing = r.now_failing,
                            "opinion sources polled"
                        );
                    }
                    match ducha_store::opinion::next_due_at(&app.store).await {
                        Ok(Some(next)) => {
                            let wait = (next - app.now_ms()).max(0) as u64;
                            Duration::from_millis(wait).clamp(MIN_SLEEP, MAX_SLEEP)
                        }
                        Ok(None) => MAX_SLEEP,
                        Err(e) => {
                            tracing::warn!(error = %e, "opinion worker: next due time unknown");
                            MAX_SLEEP
                        }
                    }
                }
                Err(e) => {
                    tracing::error!(code = %e.code, detail = e.internal.as_deref().unwrap_or(&e.message), "opinion poll round failed");
                    MAX_SLEEP
                }
            };
            tokio::time::sleep(sleep).await;
        }
    })
}

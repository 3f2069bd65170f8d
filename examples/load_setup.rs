//! Prepares a database for `scripts/load-intake`: migrations, Puyang's unit chain, a campaign and an
//! intake operator `load-op` (password from `DUCHA_NEW_PASSWORD`). Prints the SM4 key it sealed the
//! key check with (hex) on standard output — for a throwaway load database only.
//!
//! Usage: `cargo run --release --example load_setup -- DB_URL`

#![allow(clippy::print_stdout)]

use std::sync::Arc;

use anyhow::{Context, Result};
use ducha_app::auth::NewUserInput;
use ducha_app::{App, Config, SystemClock};
use ducha_store::directory::{self, NewCampaign};
use ducha_store::{IdentityCipher, KeyMaterial, Store, StoreOptions, crypto};

#[tokio::main]
async fn main() -> Result<()> {
    let url = std::env::args().nth(1).context("usage: load_setup DB_URL")?;
    #[allow(clippy::disallowed_methods)] // a secret is better read from the environment than argv
    let password = std::env::var("DUCHA_NEW_PASSWORD").context("DUCHA_NEW_PASSWORD not set")?;
    let store = Store::connect(&url, &StoreOptions::default()).await?;
    store.migrate().await?;
    let key = KeyMaterial::generate();
    let cipher = IdentityCipher::new(&key, &[])?;
    crypto::check_keys(&store, Some(&cipher), 0).await?;
    let app = App::new(store.clone(), Config::default(), Arc::new(SystemClock), Some(cipher));
    app.bootstrap_directory(ducha_triage::Gazetteer::builtin()).await?;
    let team = directory::unit_by_code(&store, "team").await?.context("no team unit")?;
    let city = directory::unit_by_code(&store, "city-4109").await?.context("no city unit")?;
    let mut tx = store.begin().await?;
    directory::insert_campaign(
        &mut tx,
        &NewCampaign {
            name: "三散专项督察（压力测试）".into(),
            team_name: "省第三督察组".into(),
            start_date: "2026-01-01".into(),
            end_date: "2027-12-31".into(),
            hotlines: vec!["0393-12369".into()],
            postal_box: "濮阳市A001号信箱".into(),
            hours_start: "08:00".into(),
            hours_end: "20:00".into(),
            round_no: 3,
            province_letters: "HA".into(),
            regions: vec![],
            team_unit_id: team.id,
            city_unit_id: city.id,
            settings: serde_json::json!({}),
            created_at: 0,
        },
    )
    .await?;
    tx.commit().await?;
    app.create_user(
        None,
        &NewUserInput {
            username: "load-op".into(),
            display_name: "压力测试接线员".into(),
            password,
            unit_code: "team".into(),
            role: "operator".into(),
        },
    )
    .await?;
    store.close().await;
    println!("{}", key.to_hex());
    Ok(())
}

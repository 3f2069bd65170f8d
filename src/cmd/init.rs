//! `ducha init`: day one of a real inspection. On an empty database: the schema, the city's
//! divisions from the embedded NBS data, the unit chain (team, city office, county/zone offices,
//! townships/streets, the default departments of each county) and the first administrator. A
//! database that already holds a city is refused.

use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, Result, bail};
use clap::Args;
use ducha_app::auth::NewUserInput;
use ducha_app::directory::unit_code_city;
use ducha_app::{App, SystemClock};
use ducha_store::redact_url;

use crate::cmd::serve::{check_settings, gazetteer_for};
use crate::setup::{DbArg, connect, key, settings};

#[derive(Debug, Args)]
pub struct Opts {
    #[command(flatten)]
    pub db: DbArg,
    /// The city, 4-digit NBS code, e.g. `4105` (安阳市) or `4109` (濮阳市).
    #[arg(long, value_name = "CODE")]
    pub city: String,
    /// Username of the first administrator (role `admin`, at the city office). The password is read
    /// from `DUCHA_NEW_PASSWORD` or from standard input, as for `ducha user add`.
    #[arg(long, value_name = "USERNAME")]
    pub admin: String,
    /// The administrator's display name (姓名).
    #[arg(long, value_name = "NAME", default_value = "系统管理员")]
    pub admin_name: String,
}

/// The password of a new user: `DUCHA_NEW_PASSWORD`, else one line of standard input.
pub fn new_password() -> Result<String> {
    #[allow(clippy::disallowed_methods)] // a secret is better read from the environment than argv
    let from_env = std::env::var("DUCHA_NEW_PASSWORD");
    match from_env {
        Ok(p) if !p.is_empty() => Ok(p),
        _ => {
            let mut line = String::new();
            std::io::stdin().read_line(&mut line).context("无法读取密码")?;
            Ok(line.trim_end_matches(['\r', '\n']).to_owned())
        }
    }
}

pub async fn run(cfg_path: Option<&Path>, opts: Opts) -> Result<ExitCode> {
    let Opts { db, city, admin, admin_name } = opts;
    let s = settings(cfg_path, &db)?;
    check_settings(&s)?;
    // Everything that can be refused is checked before the database is touched.
    let g = gazetteer_for(city.trim()).context("无法初始化")?;
    let city = city.trim().to_owned();
    let password = new_password()?;
    // The rules of `ducha user add` (`create_user`), checked up front so a refusal leaves no
    // half-initialised database behind.
    ducha_app::auth::hash_password(&s.app, &password).context("管理员密码不符合要求")?;
    let username = admin.trim();
    if username.is_empty()
        || username.len() > 64
        || !username.chars().all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
    {
        bail!("管理员用户名只能由字母、数字和 . _ - 组成，最长64位");
    }
    if admin_name.trim().is_empty() {
        bail!("管理员姓名不能为空");
    }

    let store = connect(&s).await?;
    // Two `ducha init` (or an init and a serve) on one PostgreSQL database take turns.
    let startup = store.startup_lock().await?;
    let now = ducha_app::Clock::now(&SystemClock).timestamp_millis();
    let app0 = App::new(store.clone(), s.app.clone(), Arc::new(SystemClock), None);
    if let Some(existing) = app0.deployment_city().await? {
        let name = gazetteer_for(&existing).ok().and_then(|g| g.city_name(&existing)).unwrap_or_default();
        bail!(
            "数据库 {} 已初始化为{name}（{existing}），不能再次初始化；如需重建，请换一个空数据库",
            redact_url(&s.db)
        );
    }
    if !ducha_store::directory::units(&store).await?.is_empty() {
        bail!("数据库 {} 中已有单位，不是空数据库；请换一个空数据库", redact_url(&s.db));
    }
    let cipher = key(&s, &store, true, now).await?;
    let app = App::new(store.clone(), s.app.clone(), Arc::new(SystemClock), cipher);
    let regions = app.import_regions(&g).await?;
    app.bootstrap_directory(&g).await?;
    let city_unit = unit_code_city(&city);
    app.create_user(
        None,
        &NewUserInput {
            username: username.to_owned(),
            display_name: admin_name.trim().to_owned(),
            password,
            unit_code: city_unit.clone(),
            role: "admin".into(),
        },
    )
    .await?;
    startup.release().await?;

    let units = ducha_store::directory::units(&store).await?;
    let count = |level: ducha_domain::unit::UnitLevel| units.iter().filter(|u| u.level == level).count();
    use ducha_domain::unit::UnitLevel as L;
    let city_name = g.city_name(&city).unwrap_or_else(|| city.clone());
    println!("已初始化：{city_name}（{city}），数据库 {}", redact_url(&s.db));
    println!(
        "  区划 {regions} 条（区县 {}、乡镇（街道） {}、村（社区） {}）",
        g.counties().count(),
        g.townships().count(),
        g.villages().count()
    );
    println!(
        "  单位 {} 个：督察组 {}、市攻坚办 {}、区县攻坚办 {}、乡镇（街道） {}、部门 {}",
        units.len(),
        count(L::Team),
        count(L::City),
        count(L::County),
        count(L::Township),
        count(L::Department)
    );
    println!("  管理员 {username}（系统管理员，单位 {city_unit}）");
    println!("下一步：ducha campaign create --file campaign.toml 建立督察批次，然后 ducha serve");
    Ok(ExitCode::SUCCESS)
}

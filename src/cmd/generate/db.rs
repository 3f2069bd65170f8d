//! `ducha gen --db URL`: N synthetic cases into a database. Reads the directory and the stored
//! cases' duplicate documents, runs the producer on its own thread and writes what it sends,
//! `--tx-size` cases per transaction, then prints a summary by stage.

use std::collections::HashMap;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use chrono::Duration;
use ducha_app::App;
use ducha_app::campaigns::CampaignInput;
use ducha_app::settings::CampaignSettings;
use ducha_domain::unit::{DepartmentKind, UnitLevel};
use ducha_domain::workflow::Stage;
use ducha_store::directory::{self, CampaignRow};
use ducha_triage::{Gazetteer, Triage};

use super::produce::{GenCase, ProducerCtx, produce};
use super::timeline::Timeline;
use super::write::{WriterCtx, WriterState, write_case};
use super::{Opts, synth_config};

/// The campaign to generate into: the current one, or a new one spanning the generated days.
async fn ensure_campaign(app: &App, g: &Gazetteer, timeline: &Timeline) -> Result<CampaignRow> {
    if let Some(c) = directory::current_campaign(&app.store, &app.today_cst()).await? {
        return Ok(c);
    }
    // Through the administrator's use case, acting as the system (the CLI), audited there.
    let input = CampaignInput {
        name: "河南省“三散”污染治理专项督察（濮阳市，合成数据）".into(),
        team_name: "省“三散”污染治理专项督察第三组".into(),
        city_code: "4109".into(),
        province_letters: "HA".into(),
        round: 3,
        start_date: timeline.first_day.format("%Y-%m-%d").to_string(),
        end_date: (timeline.last_day() + Duration::days(30)).format("%Y-%m-%d").to_string(),
        hotlines: vec!["0393-8991369".into()],
        postal_box: "濮阳市A001号邮政信箱".into(),
        hours_start: "08:00".into(),
        hours_end: "20:00".into(),
        regions: g.counties().map(|c| c.code).filter(|c| c.starts_with("4109")).collect(),
        disclosure_layout: "2023".into(),
        disclosure_days: None,
        quiet_start: "20:00".into(),
        quiet_end: "08:00".into(),
        report_buffer_days: 1,
        livelihood_trades: ducha_domain::shutdown::BlanketShutdownConfig::default()
            .livelihood_trades
            .into_iter()
            .collect(),
        publication_four_eyes: true,
    };
    let id = app.create_campaign(None, &input).await.map_err(|e| anyhow::anyhow!("创建督察轮次失败：{e}"))?;
    directory::campaign(&app.store, id).await?.context("新建的督察批次未找到")
}

/// `ducha gen --db URL`: N synthetic cases into the database.
pub async fn into_db(app: &App, args: &Opts) -> Result<ExitCode> {
    let cfg = synth_config(args)?;
    if args.tx_size == 0 || args.per_day == 0 || args.per_day > 9999 {
        bail!("--tx-size 应大于0，--per-day 应在 1 到 9999 之间");
    }
    let started = Instant::now();
    let g = Gazetteer::builtin();
    app.bootstrap_directory(g).await?;
    let now = ducha_app::Clock::now(&*app.clock);
    let now_ms = now.timestamp_millis();
    let timeline = Timeline::new(args.count, args.per_day, now);
    let campaign = ensure_campaign(app, g, &timeline).await?;

    let mut county_units = HashMap::new();
    let mut township_units = HashMap::new();
    let mut ecology_units = HashMap::new();
    for u in directory::units(&app.store).await? {
        let Some(region) = u.region_code.clone() else { continue };
        match u.level {
            UnitLevel::County => {
                county_units.insert(region, u.id);
            }
            UnitLevel::Township => {
                township_units.insert(region, u.id);
            }
            UnitLevel::Department if u.dept_kind.as_deref() == Some(DepartmentKind::Ecology.code()) => {
                ecology_units.insert(region, u.id);
            }
            _ => {}
        }
    }
    // Every stored case joins the duplicate index, as intake's index does.
    let mut existing = Vec::new();
    let mut after = 0i64;
    loop {
        // Through the app: documents stored by an older hash are rebuilt from their texts.
        let rows = app.dup_docs_after(after, 5000).await?;
        let Some(last) = rows.last() else { break };
        after = last.0;
        existing.extend(rows.into_iter().filter_map(|(id, dup_of, doc)| doc.map(|d| (id, dup_of, d))));
    }
    let before = existing.len();

    let jobs = args
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1))
        .clamp(1, 64);
    let pctx = ProducerCtx {
        cfg,
        count: args.count,
        chunk: args.tx_size.min(4096),
        jobs,
        timeline,
        hours: ducha_app::batches::answering_hours(&campaign),
        now,
        counties: county_units.keys().cloned().collect(),
        townships: township_units.keys().cloned().collect(),
        existing,
    };
    let wctx = WriterCtx {
        settings: CampaignSettings::of(&campaign),
        campaign,
        county_units,
        township_units,
        ecology_units,
        now_ms,
    };
    let triage = Triage::builtin();
    let (sender, mut receiver) = tokio::sync::mpsc::channel::<Vec<GenCase>>(4);
    let producer = std::thread::spawn(move || produce(pctx, triage, sender));

    let mut st = WriterState::default();
    let mut pending: Vec<GenCase> = Vec::new();
    let mut last_report = Instant::now();
    let mut result: Result<()> = Ok(());
    loop {
        let more = receiver.recv().await;
        let done = more.is_none();
        pending.extend(more.unwrap_or_default());
        while pending.len() >= args.tx_size || (done && !pending.is_empty()) {
            let take = pending.len().min(args.tx_size);
            let batch: Vec<GenCase> = pending.drain(..take).collect();
            let written = async {
                let mut tx = app.store.begin().await?;
                for c in batch {
                    write_case(&mut tx, app, &wctx, &mut st, c).await?;
                }
                tx.commit().await?;
                Ok::<_, anyhow::Error>(())
            }
            .await;
            if let Err(e) = written {
                result = Err(e);
                break;
            }
            if last_report.elapsed().as_secs() >= 10 {
                last_report = Instant::now();
                let n = st.new_ids.len();
                eprintln!(
                    "已写入 {n} 件（{:.0} 件/秒）",
                    n as f64 / started.elapsed().as_secs_f64().max(1e-9)
                );
            }
        }
        if done || result.is_err() {
            break;
        }
    }
    drop(receiver);
    let produced = producer.join().map_err(|_| anyhow::anyhow!("生成线程异常退出"))?;
    result?;
    produced?;

    let secs = started.elapsed().as_secs_f64();
    let n = st.new_ids.len();
    println!(
        "已写入 {n} 件合成案件（原有 {before} 件），用时 {secs:.1} 秒（{:.0} 件/秒）；受理日期 {} 至 {}，批次 {} 个",
        n as f64 / secs.max(1e-9),
        timeline.first_day,
        timeline.last_day(),
        st.batches.len()
    );
    let mut by_stage: Vec<(&str, usize)> = st.stages.into_iter().collect();
    by_stage.sort_by_key(|(s, _)| Stage::ALL.iter().position(|x| x.code() == *s));
    let summary: Vec<String> = by_stage
        .iter()
        .map(|(s, k)| format!("{} {k}", Stage::parse(s).map(|x| x.label()).unwrap_or(s)))
        .collect();
    println!("各状态：{}", summary.join("；"));
    Ok(ExitCode::SUCCESS)
}

//! HTTP for ducha: the JSON API (`/api/v1`, described at `/api/openapi.json`), the staff workbench
//! (server-rendered Chinese pages), `/healthz` and `/metrics`.
//!
//! Architecture invariant: handlers are thin. They parse the request into app-layer input, call one
//! use case, and render its answer; no rule of the notice is decided here.

pub mod api;
pub mod api_work;
pub mod attachments;
pub mod charts;
pub mod dashboard;
pub mod disclosure_pages;
pub mod error;
pub mod extract;
pub mod map;
pub mod open311;
pub mod opinion_api;
pub mod pages;
pub mod pages_home;
pub mod pages_intake;
pub mod pages_public;
pub mod pages_work;
pub mod public;
pub mod report_form;
pub mod xlsx;
pub mod yuqing;

use std::sync::OnceLock;
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use base64::Engine as _;
use ducha_app::{App, AppError};
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;

use crate::error::{ApiError, PageError, wants_json};

/// Shared by every handler.
#[derive(Debug, Clone)]
pub struct AppState {
    pub app: App,
    pub metrics: PrometheusHandle,
    /// Cached public answers (`/gongkai`, Open311 reads), emptied on publish.
    pub public: std::sync::Arc<public::PublicCache>,
    /// Open311 POST rate limits.
    pub open311: std::sync::Arc<open311::Limiter>,
}

static METRICS: OnceLock<PrometheusHandle> = OnceLock::new();

/// The process-wide Prometheus recorder (installed once).
pub fn metrics_handle() -> PrometheusHandle {
    METRICS
        .get_or_init(|| {
            let recorder = PrometheusBuilder::new().build_recorder();
            let handle = recorder.handle();
            // If another recorder is already installed (a test harness), keep ours unattached.
            let _ = metrics::set_global_recorder(recorder);
            handle
        })
        .clone()
}

pub fn random_token() -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(rand::random::<[u8; 24]>())
}

const CSS: &str = include_str!("../static/app.css");
const INTAKE_JS: &str = include_str!("../static/intake.js");

async fn css() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=3600")],
        CSS,
    )
}

async fn intake_js() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        INTAKE_JS,
    )
}

async fn healthz(State(st): State<AppState>) -> Response {
    match st.app.store.ping().await {
        Ok(()) => (
            StatusCode::OK,
            axum::Json(serde_json::json!({ "status": "ok", "db": st.app.store.backend().name() })),
        )
            .into_response(),
        Err(e) => {
            tracing::error!(error = %e, "health check failed");
            (StatusCode::SERVICE_UNAVAILABLE, axum::Json(serde_json::json!({ "status": "unavailable" })))
                .into_response()
        }
    }
}

async fn prometheus(State(st): State<AppState>) -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], st.metrics.render())
}

async fn not_found(req: Request) -> Response {
    let e = AppError::not_found("route_not_found", "您访问的页面或接口不存在");
    if wants_json(req.uri().path(), req.headers()) {
        ApiError(e).into_response()
    } else {
        PageError(e).into_response()
    }
}

/// Method-not-allowed and other framework-level answers get our error shape too.
async fn shape_errors(req: Request, next: Next) -> Response {
    let json = wants_json(req.uri().path(), req.headers());
    let resp = next.run(req).await;
    if resp.status() == StatusCode::METHOD_NOT_ALLOWED && resp.headers().get(header::CONTENT_TYPE).is_none() {
        let e = AppError::new(
            ducha_app::error::ErrorKind::BadRequest,
            "method_not_allowed",
            "该地址不支持此请求方法",
        );
        let mut r = if json { ApiError(e).into_response() } else { PageError(e).into_response() };
        *r.status_mut() = StatusCode::METHOD_NOT_ALLOWED;
        return r;
    }
    resp
}

async fn track(req: Request, next: Next) -> Response {
    let start = Instant::now();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|| "unmatched".into());
    let method = req.method().to_string();
    let resp = next.run(req).await;
    let status = resp.status().as_u16().to_string();
    metrics::counter!("ducha_http_requests_total", "method" => method.clone(), "route" => route.clone(), "status" => status).increment(1);
    metrics::histogram!("ducha_http_request_seconds", "method" => method, "route" => route)
        .record(start.elapsed().as_secs_f64());
    resp
}

async fn security_headers(req: Request, next: Next) -> Response {
    let mut resp = next.run(req).await;
    let h = resp.headers_mut();
    h.insert("x-content-type-options", HeaderValue::from_static("nosniff"));
    h.insert("referrer-policy", HeaderValue::from_static("same-origin"));
    h.insert("x-frame-options", HeaderValue::from_static("DENY"));
    h.insert(
        "content-security-policy",
        HeaderValue::from_static("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"),
    );
    resp
}

fn panic_response(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    tracing::error!("handler panicked");
    ApiError(AppError::internal("panic")).into_response()
}

/// The whole HTTP surface.
pub fn router(app: App) -> Router {
    let recheck = Duration::from_secs(app.cfg.public.cache_recheck_seconds);
    let state = AppState {
        app,
        metrics: metrics_handle(),
        public: std::sync::Arc::new(public::PublicCache::new(recheck)),
        open311: std::sync::Arc::new(open311::Limiter::default()),
    };
    let api = Router::new()
        .route("/session", post(api::login).delete(api::logout))
        .route("/me", get(api::me))
        .route("/campaign", get(api::campaign))
        .route("/cases", get(api::list_cases).post(api::create_case))
        .route("/cases/{id}", get(api::get_case))
        .route("/cases/{id}/actions", post(api::act))
        .route("/cases/{id}/triage-corrections", get(api::triage_corrections).post(api::correct_triage))
        .route("/triage/corrections.jsonl", get(api::corrections_jsonl))
        .route(
            "/cases/{id}/attachments",
            get(attachments::list)
                .post(attachments::upload)
                .layer(axum::extract::DefaultBodyLimit::max(attachments::UPLOAD_LIMIT)),
        )
        .route("/attachments/{id}", get(attachments::download))
        .route("/cases/{id}/history", get(api::history))
        .route("/cases/{id}/identity", get(api::identity))
        .route("/units", get(api::units))
        .route("/regions", get(api::regions))
        .route("/batches", get(api_work::batches).post(api_work::send_batch))
        .route("/tasks", get(api_work::tasks))
        .route("/cases/{id}/report", get(api_work::get_report).put(api_work::save_report))
        .route("/cases/{id}/callbacks", post(api_work::callback))
        .route("/cases/{id}/callback-link", post(api_work::callback_link))
        .route("/accountability", get(api_work::accountability_list).post(api_work::add_accountability))
        .route("/fault-tolerance", post(api_work::add_fault_tolerance))
        .route("/alerts", get(api_work::alerts))
        .route("/alerts/{id}/ack", post(api_work::ack_alert))
        .route("/metrics/outcomes", get(api_work::outcome_metrics))
        .route("/burden", get(api_work::burden))
        .route("/discipline", get(api_work::list_discipline).post(api_work::submit_discipline))
        .route("/opinion/items", get(opinion_api::list_items).post(opinion_api::create_item))
        .route("/opinion/items/{id}", get(opinion_api::get_item))
        .route("/opinion/items/{id}/actions", post(opinion_api::act))
        .route("/opinion/items/{id}/links", post(opinion_api::link))
        .route("/opinion/items/{id}/links/{case_id}", axum::routing::delete(opinion_api::unlink))
        .route("/opinion/import", post(opinion_api::import))
        .route("/opinion/sources", get(opinion_api::list_sources).post(opinion_api::create_source))
        .route("/opinion/sources/{id}", axum::routing::patch(opinion_api::update_source))
        .route("/opinion/sources/{id}/poll", post(opinion_api::poll_source))
        .route("/opinion/alerts", get(opinion_api::my_alerts))
        .route("/opinion/alerts/{id}/ack", post(opinion_api::ack_alert))
        .route("/opinion/report", get(opinion_api::report))
        .route("/opinion/report.xlsx", get(opinion_api::report_xlsx))
        .route("/opinion/briefing", get(opinion_api::briefing))
        .route("/opinion/briefing.txt", get(opinion_api::briefing_txt))
        .route("/triage/suggest", post(pages_intake::suggest));
    Router::new()
        .nest("/api/v1", api)
        .route("/api/openapi.json", get(api::openapi_json))
        .route("/healthz", get(healthz))
        .route("/metrics", get(prometheus))
        .route("/static/app.css", get(css))
        .route("/static/intake.js", get(intake_js))
        .route("/login", get(pages::login_form).post(pages::login_submit))
        .route("/logout", post(pages::logout))
        .route("/", get(pages_home::home))
        .route("/cases", get(pages::cases))
        .route("/cases/{id}", get(pages::case))
        .route("/cases/{id}/act", post(pages::case_act))
        .route("/cases/{id}/identity", post(pages::case_identity))
        .route("/cases/{id}/triage", post(pages::case_triage))
        .route(
            "/cases/{id}/attachments",
            post(attachments::page_upload)
                .layer(axum::extract::DefaultBodyLimit::max(attachments::UPLOAD_LIMIT)),
        )
        .route("/attachments/{id}", get(attachments::page_download))
        .route("/intake", get(pages_intake::form).post(pages_intake::submit))
        .route("/extensions", get(pages_home::extensions))
        .route("/dashboard", get(dashboard::page))
        .route("/dashboard/{file}", get(dashboard::xlsx))
        .route("/map", get(map::page))
        .route("/cases/{id}/report", get(report_form::show_saved).post(report_form::save))
        .route("/tasks", get(pages_work::tasks))
        .route("/cases/{id}/callback", post(pages_public::case_callback))
        .route("/cases/{id}/callback-link", post(pages_public::case_callback_link))
        .route("/accountability", get(pages_public::accountability).post(pages_public::add_accountability))
        .route("/fault-tolerance", post(pages_public::add_fault_tolerance))
        .route("/huifang/{token}", get(pages_public::callback_form).post(pages_public::callback_submit))
        .route("/jiandu", get(pages_public::discipline_form).post(pages_public::discipline_submit))
        .route("/batches", get(pages_work::batches).post(pages_work::send_batch))
        .route("/alerts", get(pages_work::alerts))
        .route("/alerts/{id}/ack", post(pages_work::ack_alert))
        .route("/burden", get(pages_work::burden))
        .route("/tongji", get(pages_work::metrics))
        .route("/discipline", get(pages_work::discipline))
        .route("/static/yuqing.css", get(yuqing::css))
        .route("/yuqing/", get(yuqing::home))
        .route("/yuqing", get(|| async { axum::response::Redirect::permanent("/yuqing/") }))
        .route("/yuqing/items", get(yuqing::items))
        .route("/yuqing/items/new", get(yuqing::new_form).post(yuqing::new_submit))
        .route("/yuqing/items/{id}", get(yuqing::item))
        .route("/yuqing/items/{id}/act", post(yuqing::item_act))
        .route("/yuqing/items/{id}/link", post(yuqing::item_link))
        .route("/yuqing/items/{id}/unlink", post(yuqing::item_unlink))
        .route("/yuqing/alerts", get(yuqing::alerts))
        .route("/yuqing/alerts/{id}/ack", post(yuqing::ack))
        .route("/yuqing/sources", get(yuqing::sources).post(yuqing::source_create))
        .route("/yuqing/sources/{id}", post(yuqing::source_op))
        .route("/yuqing/report", get(yuqing::report))
        .route("/yuqing/report.xlsx", get(yuqing::report_xlsx))
        .route("/yuqing/briefing", get(yuqing::briefing))
        .route("/yuqing/briefing.txt", get(yuqing::briefing_txt))
        .route("/gongkai", get(public::gongkai))
        .route("/gongkai/", get(public::gongkai))
        .route("/gongkai/{*rest}", get(public::gongkai))
        .route("/static/gongkai.css", get(public::css))
        .route("/open311/v2/{*rest}", get(open311::open311).post(open311::open311))
        .route("/disclosure/", get(disclosure_pages::staff))
        .route("/disclosure/gaps", get(disclosure_pages::gaps))
        .route("/disclosure/{id}", get(disclosure_pages::preview))
        .route("/disclosure/{id}/review", post(disclosure_pages::review))
        .route("/disclosure/{id}/publish", post(disclosure_pages::publish))
        .route("/disclosure/{id}/discard", post(disclosure_pages::discard))
        .route("/disclosure/batch/{id}/draft", post(disclosure_pages::draft))
        .route("/disclosure/batch/{id}/correct", post(disclosure_pages::correct))
        .fallback(not_found)
        .layer(middleware::from_fn(track))
        .layer(middleware::from_fn(shape_errors))
        .layer(middleware::from_fn(security_headers))
        .layer(CompressionLayer::new())
        .layer(axum::extract::DefaultBodyLimit::max(1024 * 1024))
        .layer(CatchPanicLayer::custom(panic_response))
        .layer(TraceLayer::new_for_http())
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(30),
        ))
        .with_state(state)
}

/// Serve until ctrl-c / SIGTERM.
pub async fn serve(app: App, listener: tokio::net::TcpListener) -> std::io::Result<()> {
    let router = router(app);
    axum::serve(listener, router.into_make_service_with_connect_info::<std::net::SocketAddr>())
        .with_graceful_shutdown(shutdown_signal())
        .await
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}

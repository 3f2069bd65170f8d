//! HTTP for ducha: the JSON API (`/api/v1`, described at `/api/openapi.json`), the staff workbench
//! (server-rendered Chinese pages), `/healthz` and `/metrics`.
//!
//! Architecture invariant: handlers are thin. They parse the request into app-layer input, call one
//! use case, and render its answer; no rule of the notice is decided here.

pub mod admin;
pub mod api;
pub mod api_work;
pub mod attachments;
pub mod charts;
pub mod dashboard;
pub mod disclosure_pages;
pub mod error;
pub mod extract;
pub mod filters;
pub mod kit;
pub mod map;
pub mod open311;
pub mod opinion_api;
pub mod pages;
pub mod pages_home;
pub mod pages_intake;
pub mod pages_public;
pub mod pages_work;
pub mod public;
pub mod ratelimit;
pub mod report_form;
pub mod routes;
pub mod xlsx;
pub mod yuqing;

use std::sync::OnceLock;
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use ducha_app::{App, AppError};
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;

use crate::error::{ApiError, PageError, wants_json};
pub use crate::routes::{RouteSpec, Routes};

/// Shared by every handler.
#[derive(Debug, Clone)]
pub struct AppState {
    pub app: App,
    pub metrics: PrometheusHandle,
    /// Cached public answers (`/gongkai`, Open311 reads), emptied on publish.
    pub public: std::sync::Arc<public::PublicCache>,
    /// Rate limits of anonymous POSTs (login, public forms, Open311).
    pub limiter: std::sync::Arc<ratelimit::Limiter>,
}

static METRICS: OnceLock<PrometheusHandle> = OnceLock::new();

/// The span of one request in the logs: method, the route as registered (`/huifang/{token}`, not
/// the token) and the request id. Never the URI: a path can hold a complainant's callback token and
/// a query string an Open311 `api_key`, and neither may reach a log file.
fn request_span(req: &Request) -> tracing::Span {
    let route = req.extensions().get::<MatchedPath>().map_or("(未匹配的路径)", MatchedPath::as_str);
    let request_id = req.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or_default();
    tracing::debug_span!("request", method = %req.method(), route, request_id)
}

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
    match st.app.db_health().await {
        Ok(db) => {
            (StatusCode::OK, axum::Json(serde_json::json!({ "status": "ok", "db": db }))).into_response()
        }
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

/// Every route of the HTTP surface, recorded as it is added (see [`routes`]).
fn surface() -> Routes {
    let api = Routes::new()
        .route("/session", |m| m.post(api::login).delete(api::logout))
        .route("/me", |m| m.get(api::me))
        .route("/campaign", |m| m.get(api::campaign))
        .route("/cases", |m| m.get(api::list_cases).post(api::create_case))
        .route("/cases/{id}", |m| m.get(api::get_case))
        .route("/cases/{id}/actions", |m| m.post(api::act))
        .route("/cases/{id}/triage-corrections", |m| m.get(api::triage_corrections).post(api::correct_triage))
        .route("/triage/corrections.jsonl", |m| m.get(api::corrections_jsonl))
        .route("/cases/{id}/attachments", |m| {
            m.get(attachments::list)
                .post(attachments::upload)
                .layer(axum::extract::DefaultBodyLimit::max(attachments::UPLOAD_LIMIT))
        })
        .route("/attachments/{id}", |m| m.get(attachments::download))
        .route("/cases/{id}/history", |m| m.get(api::history))
        .route("/cases/{id}/identity", |m| m.get(api::identity))
        .route("/units", |m| m.get(api::units))
        .route("/regions", |m| m.get(api::regions))
        .route("/batches", |m| m.get(api_work::batches).post(api_work::send_batch))
        .route("/tasks", |m| m.get(api_work::tasks))
        .route("/cases/{id}/report", |m| m.get(api_work::get_report).put(api_work::save_report))
        .route("/cases/{id}/report/redact", |m| m.post(api_work::redact_report))
        .route("/cases/{id}/callbacks", |m| m.post(api_work::callback))
        .route("/cases/{id}/callback-link", |m| m.post(api_work::callback_link))
        .route("/accountability", |m| m.get(api_work::accountability_list).post(api_work::add_accountability))
        .route("/fault-tolerance", |m| m.post(api_work::add_fault_tolerance))
        .route("/alerts", |m| m.get(api_work::alerts))
        .route("/alerts/{id}/ack", |m| m.post(api_work::ack_alert))
        .route("/metrics/outcomes", |m| m.get(api_work::outcome_metrics))
        .route("/burden", |m| m.get(api_work::burden))
        .route("/discipline", |m| m.get(api_work::list_discipline).post(api_work::submit_discipline))
        .route("/opinion/items", |m| m.get(opinion_api::list_items).post(opinion_api::create_item))
        .route("/opinion/items/{id}", |m| m.get(opinion_api::get_item))
        .route("/opinion/items/{id}/actions", |m| m.post(opinion_api::act))
        .route("/opinion/items/{id}/links", |m| m.post(opinion_api::link))
        .route("/opinion/items/{id}/links/{case_id}", |m| m.delete(opinion_api::unlink))
        .route("/opinion/import", |m| m.post(opinion_api::import))
        .route("/opinion/sources", |m| m.get(opinion_api::list_sources).post(opinion_api::create_source))
        .route("/opinion/sources/{id}", |m| m.patch(opinion_api::update_source))
        .route("/opinion/sources/{id}/poll", |m| m.post(opinion_api::poll_source))
        .route("/opinion/alerts", |m| m.get(opinion_api::my_alerts))
        .route("/opinion/alerts/{id}/ack", |m| m.post(opinion_api::ack_alert))
        .route("/opinion/report", |m| m.get(opinion_api::report))
        .route("/opinion/report.xlsx", |m| m.get(opinion_api::report_xlsx))
        .route("/opinion/briefing", |m| m.get(opinion_api::briefing))
        .route("/opinion/briefing.txt", |m| m.get(opinion_api::briefing_txt))
        .route("/triage/suggest", |m| m.post(pages_intake::suggest))
        .route("/admin/units", |m| m.get(admin::units::api_list).post(admin::units::api_create))
        .route("/admin/units/{id}", |m| m.get(admin::units::api_get).patch(admin::units::api_patch))
        .route("/admin/units/{id}/retire", |m| m.post(admin::units::api_retire))
        .route("/admin/units/{id}/contacts", |m| m.put(admin::units::api_contacts))
        .route("/admin/users", |m| m.get(admin::users::api_list).post(admin::users::api_create))
        .route("/admin/users/{id}", |m| m.get(admin::users::api_get).patch(admin::users::api_patch))
        .route("/admin/users/{id}/disable", |m| m.post(admin::users::api_disable))
        .route("/admin/users/{id}/enable", |m| m.post(admin::users::api_enable))
        .route("/admin/users/{id}/password", |m| m.post(admin::users::api_reset))
        .route("/admin/campaigns", |m| {
            m.get(admin::api_campaigns::list_campaigns).post(admin::api_campaigns::create_campaign)
        })
        .route("/admin/campaigns/{id}", |m| {
            m.get(admin::api_campaigns::get_campaign).put(admin::api_campaigns::update_campaign)
        })
        .route("/admin/holidays", |m| m.get(admin::holidays::api_list).post(admin::holidays::api_import));
    Routes::new()
        .nest("/api/v1", api)
        .route("/api/openapi.json", |m| m.get(api::openapi_json))
        .route("/healthz", |m| m.get(healthz))
        .route("/metrics", |m| m.get(prometheus))
        .route("/static/app.css", |m| m.get(css))
        .route("/static/intake.js", |m| m.get(intake_js))
        .route("/login", |m| m.get(pages::login_form).post(pages::login_submit))
        .route("/logout", |m| m.post(pages::logout))
        .route("/password", |m| m.get(pages::password_form).post(pages::password_submit))
        .route("/admin/units", |m| m.get(admin::units::list_page).post(admin::units::create_page))
        .route("/admin/units/{id}", |m| m.get(admin::units::show_page).post(admin::units::op_page))
        .route("/admin/users", |m| m.get(admin::users::list_page).post(admin::users::create_page))
        .route("/admin/users/{id}", |m| m.get(admin::users::show_page).post(admin::users::op_page))
        .route("/admin", |m| m.get(admin::home_redirect))
        .route("/admin/", |m| m.get(admin::home))
        .route("/admin/campaigns", |m| m.get(admin::campaigns::list).post(admin::campaigns::create))
        .route("/admin/campaigns/new", |m| m.get(admin::campaigns::new_form))
        .route("/admin/campaigns/{id}", |m| m.get(admin::campaigns::edit_form).post(admin::campaigns::update))
        .route("/admin/holidays", |m| m.get(admin::holidays::page).post(admin::holidays::page_import))
        .route("/", |m| m.get(pages_home::home))
        .route("/cases", |m| m.get(pages::cases))
        .route("/cases/{id}", |m| m.get(pages::case))
        .route("/cases/{id}/act", |m| m.post(pages::case_act))
        .route("/cases/{id}/identity", |m| m.post(pages::case_identity))
        .route("/cases/{id}/triage", |m| m.post(pages::case_triage))
        .route("/cases/{id}/attachments", |m| {
            m.post(attachments::page_upload)
                .layer(axum::extract::DefaultBodyLimit::max(attachments::UPLOAD_LIMIT))
        })
        .route("/attachments/{id}", |m| m.get(attachments::page_download))
        .route("/intake", |m| m.get(pages_intake::form).post(pages_intake::submit))
        .route("/extensions", |m| m.get(pages_home::extensions))
        .route("/dashboard", |m| m.get(dashboard::page))
        .route("/dashboard/{file}", |m| m.get(dashboard::xlsx))
        .route("/map", |m| m.get(map::page))
        .route("/cases/{id}/report", |m| m.get(report_form::show_saved).post(report_form::save))
        .route("/cases/{id}/report/redact", |m| m.post(disclosure_pages::redact_report))
        .route("/tasks", |m| m.get(pages_work::tasks))
        .route("/cases/{id}/callback", |m| m.post(pages_public::case_callback))
        .route("/cases/{id}/callback-link", |m| m.post(pages_public::case_callback_link))
        .route("/accountability", |m| {
            m.get(pages_public::accountability).post(pages_public::add_accountability)
        })
        .route("/fault-tolerance", |m| m.post(pages_public::add_fault_tolerance))
        .route("/huifang/{token}", |m| m.get(pages_public::callback_form).post(pages_public::callback_submit))
        .route("/jiandu", |m| m.get(pages_public::discipline_form).post(pages_public::discipline_submit))
        .route("/batches", |m| m.get(pages_work::batches).post(pages_work::send_batch))
        .route("/alerts", |m| m.get(pages_work::alerts))
        .route("/alerts/{id}/ack", |m| m.post(pages_work::ack_alert))
        .route("/burden", |m| m.get(pages_work::burden))
        .route("/tongji", |m| m.get(pages_work::metrics))
        .route("/discipline", |m| m.get(pages_work::discipline))
        .route("/static/yuqing.css", |m| m.get(yuqing::css))
        .route("/yuqing/", |m| m.get(yuqing::home))
        .route("/yuqing", |m| m.get(|| async { axum::response::Redirect::permanent("/yuqing/") }))
        .route("/yuqing/items", |m| m.get(yuqing::items))
        .route("/yuqing/items/new", |m| m.get(yuqing::new_form).post(yuqing::new_submit))
        .route("/yuqing/items/{id}", |m| m.get(yuqing::item))
        .route("/yuqing/items/{id}/act", |m| m.post(yuqing::item_act))
        .route("/yuqing/items/{id}/link", |m| m.post(yuqing::item_link))
        .route("/yuqing/items/{id}/unlink", |m| m.post(yuqing::item_unlink))
        .route("/yuqing/alerts", |m| m.get(yuqing::alerts))
        .route("/yuqing/alerts/{id}/ack", |m| m.post(yuqing::ack))
        .route("/yuqing/sources", |m| m.get(yuqing::sources).post(yuqing::source_create))
        .route("/yuqing/sources/{id}", |m| m.post(yuqing::source_op))
        .route("/yuqing/report", |m| m.get(yuqing::report))
        .route("/yuqing/report.xlsx", |m| m.get(yuqing::report_xlsx))
        .route("/yuqing/briefing", |m| m.get(yuqing::briefing))
        .route("/yuqing/briefing.txt", |m| m.get(yuqing::briefing_txt))
        .route("/gongkai", |m| m.get(public::gongkai))
        .route("/gongkai/", |m| m.get(public::gongkai))
        .route("/gongkai/{*rest}", |m| m.get(public::gongkai))
        .route("/static/gongkai.css", |m| m.get(public::css))
        .route("/open311/v2/{*rest}", |m| m.get(open311::open311).post(open311::open311))
        .route("/disclosure/", |m| m.get(disclosure_pages::staff))
        .route("/disclosure/gaps", |m| m.get(disclosure_pages::gaps))
        .route("/disclosure/{id}", |m| m.get(disclosure_pages::preview))
        .route("/disclosure/{id}/review", |m| m.post(disclosure_pages::review))
        .route("/disclosure/{id}/publish", |m| m.post(disclosure_pages::publish))
        .route("/disclosure/{id}/discard", |m| m.post(disclosure_pages::discard))
        .route("/disclosure/batch/{id}/draft", |m| m.post(disclosure_pages::draft))
        .route("/disclosure/batch/{id}/correct", |m| m.post(disclosure_pages::correct))
}

/// Every (method, path) the router answers, with paths as registered (`/api/v1/cases/{id}`). `HEAD`
/// is answered wherever `GET` is and is not listed separately.
pub fn route_table() -> Vec<RouteSpec> {
    surface().into_parts().1
}

/// The whole HTTP surface.
pub fn router(app: App) -> Router {
    let recheck = Duration::from_secs(app.cfg.public.cache_recheck_seconds);
    let limiter = std::sync::Arc::new(ratelimit::Limiter::for_config(&app.cfg));
    let state = AppState {
        app,
        metrics: metrics_handle(),
        public: std::sync::Arc::new(public::PublicCache::new(recheck)),
        limiter,
    };
    let (routes, _) = surface().into_parts();
    routes
        .fallback(not_found)
        .layer(middleware::from_fn(track))
        .layer(middleware::from_fn(shape_errors))
        .layer(middleware::from_fn(security_headers))
        .layer(CompressionLayer::new())
        .layer(axum::extract::DefaultBodyLimit::max(1024 * 1024))
        .layer(CatchPanicLayer::custom(panic_response))
        .layer(TraceLayer::new_for_http().make_span_with(request_span))
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

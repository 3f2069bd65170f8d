//! Open311 GeoReport v2 under `/open311/v2/` (JSON and XML; `.json`/`.xml` suffix, or `?format=`):
//! discovery, services (the pollution types), service definitions, requests GET (filters per spec) and
//! POST (a web complaint through the same intake path as every channel, rate-limited, API key or
//! anonymous by configuration), request by id, and tokens. Errors use the spec's format
//! (`[{"code":…,"description":…}]`, `<errors><error>…`) and status codes.
//!
//! Output is public: requests are built only from [`PublicCase`] (published disclosures); a case not yet
//! disclosed answers with its receipt only (id, status, type, time). The submitter's name and phone go
//! into the sealed identity record and are never output.

use std::collections::HashMap;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Duration, Utc};
use ducha_app::AppError;
use ducha_app::error::ErrorKind;
use ducha_app::lookups::ComplainantIdentity;
use ducha_domain::closure::ClosureState;
use ducha_domain::disclosure::PublicCase;
use ducha_domain::time::iso_cst;
use serde_json::{Value, json};

use crate::AppState;
use crate::public::Rendered;

/// The services: one per pollution type (code, name, description, keywords).
pub const SERVICES: [(&str, &str, &str, &str); 8] = [
    (
        "air",
        "大气",
        "大气污染：废气、烟尘、粉尘、异味、露天焚烧、散煤燃烧、扬尘等",
        "废气,烟尘,黑烟,异味,臭味,粉尘,扬尘,焚烧,散煤,锅炉,喷漆",
    ),
    (
        "water",
        "水",
        "水污染：废水直排、偷排、黑臭水体、河道污染等",
        "废水,污水,排污,偷排,直排,黑臭,河道,养殖废水",
    ),
    ("soil", "土壤", "土壤污染：废渣倾倒、污染土地、非法填埋等", "土壤,填埋,废渣,污染土地"),
    ("noise", "噪声", "噪声污染：工业、施工、社会生活噪声等", "噪声,噪音,夜间施工,轰鸣"),
    ("solid_waste", "固废", "固体废物：危险废物、工业固废、建筑垃圾乱倒等", "固废,危废,垃圾,废料,倾倒,堆放"),
    ("ecology", "生态", "生态破坏：非法采砂、毁林、破坏湿地、违规占用河道等", "采砂,毁林,湿地,河道,生态"),
    ("radiation", "辐射", "辐射：电磁辐射、放射源等", "辐射,基站,放射源"),
    ("other", "其他", "其他生态环境问题", "其他"),
];

fn service_by_code(code: &str) -> Option<&'static (&'static str, &'static str, &'static str, &'static str)> {
    SERVICES.iter().find(|s| s.0 == code)
}

fn service_of_type(label: &str) -> &'static (&'static str, &'static str, &'static str, &'static str) {
    SERVICES.iter().find(|s| s.1 == label).unwrap_or(&SERVICES[7])
}

/// Response format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Xml,
}

impl Format {
    fn content_type(self) -> &'static str {
        match self {
            Format::Json => "application/json; charset=utf-8",
            Format::Xml => "text/xml; charset=utf-8",
        }
    }
}

/// What an `/open311/v2/…` path asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resource {
    Discovery,
    Services,
    Service(String),
    Requests,
    Request(String),
    Token(String),
}

/// Split the path after `/open311/v2/` into the resource and the format named by its suffix.
pub fn parse_path(rest: &str) -> Option<(Resource, Option<Format>)> {
    let rest = rest.trim_end_matches('/');
    let (stem, fmt) = match rest.rsplit_once('.') {
        Some((s, "json")) => (s, Some(Format::Json)),
        Some((s, "xml")) => (s, Some(Format::Xml)),
        Some(_) => return None,
        None => (rest, None),
    };
    let ok_id = |s: &str| {
        !s.is_empty()
            && s.len() <= 64
            && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    };
    let r = match stem.split('/').collect::<Vec<_>>().as_slice() {
        ["discovery"] => Resource::Discovery,
        ["services"] => Resource::Services,
        ["services", code] if ok_id(code) => Resource::Service((*code).to_owned()),
        ["requests"] => Resource::Requests,
        ["requests", id] | ["request", id] if ok_id(id) => Resource::Request((*id).to_owned()),
        ["tokens", t] if ok_id(t) => Resource::Token((*t).to_owned()),
        _ => return None,
    };
    Some((r, fmt))
}

// ---------------------------------------------------------------------------------------------
// Output

fn err(status: StatusCode, description: impl Into<String>) -> (StatusCode, String) {
    (status, description.into())
}

fn error_response(fmt: Format, status: StatusCode, description: &str) -> Response {
    let body = match fmt {
        Format::Json => json!([{ "code": status.as_u16(), "description": description }]).to_string(),
        Format::Xml => {
            let mut x = Xml::new();
            x.open("errors");
            x.open("error");
            x.leaf("code", &status.as_u16().to_string());
            x.leaf("description", description);
            x.close("error");
            x.close("errors");
            x.finish()
        }
    };
    (status, [(header::CONTENT_TYPE, fmt.content_type())], body).into_response()
}

fn from_app(e: &AppError) -> (StatusCode, String) {
    let status = match e.kind {
        ErrorKind::BadRequest | ErrorKind::Rule | ErrorKind::Conflict => StatusCode::BAD_REQUEST,
        ErrorKind::Unauthenticated | ErrorKind::Forbidden => StatusCode::FORBIDDEN,
        ErrorKind::NotFound => StatusCode::NOT_FOUND,
        ErrorKind::TooMany => StatusCode::TOO_MANY_REQUESTS,
        ErrorKind::Internal => StatusCode::INTERNAL_SERVER_ERROR,
    };
    if e.kind == ErrorKind::Internal {
        tracing::error!(code = %e.code, detail = e.internal.as_deref().unwrap_or(""), "open311 internal error");
    }
    (status, e.message.clone())
}

/// A tiny XML writer (elements and escaped text only).
#[derive(Debug)]
pub struct Xml(String);

impl Xml {
    fn new() -> Self {
        Xml("<?xml version=\"1.0\" encoding=\"utf-8\"?>".to_owned())
    }
    fn open(&mut self, tag: &str) {
        self.0.push('<');
        self.0.push_str(tag);
        self.0.push('>');
    }
    fn close(&mut self, tag: &str) {
        self.0.push_str("</");
        self.0.push_str(tag);
        self.0.push('>');
    }
    fn leaf(&mut self, tag: &str, text: &str) {
        if text.is_empty() {
            self.0.push_str(&format!("<{tag}/>"));
        } else {
            self.open(tag);
            // No character XML 1.0 forbids: the document stays well-formed for every consumer.
            self.0.push_str(&quick_xml::escape::escape(ducha_shield::inert::xml_text(text)));
            self.close(tag);
        }
    }
    fn finish(self) -> String {
        self.0
    }
}

/// The element name of one item of a list element.
pub fn singular(list: &str) -> &'static str {
    match list {
        "services" => "service",
        "service_requests" => "request",
        "attributes" => "attribute",
        "values" => "value",
        "endpoints" => "endpoint",
        "formats" => "format",
        "errors" => "error",
        _ => "item",
    }
}

fn write_value(x: &mut Xml, tag: &str, v: &Value) {
    match v {
        Value::Null => x.leaf(tag, ""),
        Value::Bool(b) => x.leaf(tag, if *b { "true" } else { "false" }),
        Value::Number(n) => x.leaf(tag, &n.to_string()),
        Value::String(s) => x.leaf(tag, s),
        Value::Array(items) => {
            x.open(tag);
            for i in items {
                write_value(x, singular(tag), i);
            }
            x.close(tag);
        }
        Value::Object(o) => {
            x.open(tag);
            for (k, v) in o {
                write_value(x, k, v);
            }
            x.close(tag);
        }
    }
}

/// Render a JSON value (an array under `list_root`, or one object under `object_root`) in `fmt`.
fn render(fmt: Format, root: &str, v: &Value) -> Rendered {
    let body = match fmt {
        Format::Json => v.to_string(),
        Format::Xml => {
            let mut x = Xml::new();
            write_value(&mut x, root, v);
            x.finish()
        }
    };
    Rendered { body: body.into_bytes(), content_type: fmt.content_type(), filename: None }
}

fn service_json((code, name, desc, keywords): &(&str, &str, &str, &str)) -> Value {
    json!({
        "service_code": code,
        "service_name": format!("{name}污染问题举报").replace("其他污染问题举报", "其他生态环境问题举报"),
        "description": desc,
        "metadata": true,
        "type": "realtime",
        "keywords": keywords,
        "group": "生态环境",
    })
}

async fn service_definition(st: &AppState, code: &str) -> Result<Value, (StatusCode, String)> {
    let s = service_by_code(code)
        .ok_or_else(|| err(StatusCode::NOT_FOUND, format!("service_code “{code}” 不存在")))?;
    let counties = st.app.county_columns().await.map_err(|e| from_app(&e))?;
    let values: Vec<Value> = counties
        .iter()
        .filter_map(|c| c.county_code.as_ref().map(|code| json!({ "key": code, "name": c.name })))
        .collect();
    Ok(json!({
        "service_code": s.0,
        "attributes": [
            {
                "variable": true,
                "code": "county_code",
                "datatype": "singlevaluelist",
                "required": false,
                "datatype_description": "问题所在的县（区），不清楚可不选，系统将根据描述自动判断",
                "order": 1,
                "description": "问题所在县（区）",
                "values": values,
            },
        ],
    }))
}

fn discovery(st: &AppState) -> Value {
    let base = st.app.cfg.public_base_url.trim_end_matches('/');
    json!({
        "changeset": "2026-01-01T00:00:00+08:00",
        "contact": "督察期间举报电话见公开专栏：".to_owned() + base + "/gongkai/",
        "key_service": "API 密钥由市攻坚办发放；未启用密钥时可匿名提交（有频率限制）",
        "endpoints": [{
            "specification": "http://wiki.open311.org/GeoReport_v2",
            "url": format!("{base}/open311/v2"),
            "changeset": "2026-01-01T00:00:00+08:00",
            "type": "production",
            "formats": ["application/json", "text/xml"],
        }],
    })
}

fn truncate(s: &str, n: usize) -> String {
    s.chars().take(n).collect()
}

fn status_of(c: &PublicCase) -> &'static str {
    if c.closure == ClosureState::Open { "open" } else { "closed" }
}

/// One disclosed case as an Open311 request (public fields only).
pub fn request_json(c: &PublicCase) -> Value {
    let s = service_of_type(c.pollution_types.first().map(String::as_str).unwrap_or("其他"));
    json!({
        "service_request_id": c.accept_no,
        "status": status_of(c),
        "status_notes": format!("{}；是否属实：{}", c.closure.label(), c.finding),
        "service_name": service_json(s)["service_name"],
        "service_code": s.0,
        "description": truncate(c.summary.as_str(), 4000),
        "agency_responsible": if c.agency.is_empty() { Value::Null } else { json!(c.agency) },
        "service_notice": c.handling,
        "requested_datetime": iso_cst(c.received_at),
        "updated_datetime": iso_cst(c.updated_at),
        "expected_datetime": Value::Null,
        "address": c.region,
        "address_id": Value::Null,
        "zipcode": Value::Null,
        "lat": Value::Null,
        "long": Value::Null,
        "media_url": Value::Null,
    })
}

fn receipt_json(accept_no: &str, received: DateTime<Utc>, types: &[String], terminal: bool) -> Value {
    let s = service_of_type(types.first().map(String::as_str).unwrap_or("其他"));
    json!({
        "service_request_id": accept_no,
        "status": if terminal { "closed" } else { "open" },
        "status_notes": "已受理。办理情况经审核后在边督边改信息公开专栏发布。",
        "service_name": service_json(s)["service_name"],
        "service_code": s.0,
        "description": Value::Null,
        "agency_responsible": Value::Null,
        "service_notice": Value::Null,
        "requested_datetime": iso_cst(received),
        "updated_datetime": Value::Null,
        "expected_datetime": Value::Null,
        "address": Value::Null,
        "address_id": Value::Null,
        "zipcode": Value::Null,
        "lat": Value::Null,
        "long": Value::Null,
        "media_url": Value::Null,
    })
}

fn parse_time(field: &str, v: &str) -> Result<DateTime<Utc>, (StatusCode, String)> {
    DateTime::parse_from_rfc3339(v.trim()).map(|t| t.with_timezone(&Utc)).map_err(|_| {
        err(StatusCode::BAD_REQUEST, format!("{field} 应为 ISO 8601 时间，如 2023-12-15T08:00:00+08:00"))
    })
}

async fn list_requests(st: &AppState, q: &HashMap<String, String>) -> Result<Value, (StatusCode, String)> {
    let all = st.app.public_cases().await.map_err(|e| from_app(&e))?;
    if let Some(ids) = q.get("service_request_id").filter(|v| !v.trim().is_empty()) {
        let ids: Vec<&str> = ids.split(',').map(str::trim).collect();
        return Ok(Value::Array(
            all.iter().filter(|c| ids.contains(&c.accept_no.as_str())).map(request_json).collect(),
        ));
    }
    let code = q.get("service_code").map(|s| s.trim()).filter(|s| !s.is_empty());
    if let Some(c) = code
        && service_by_code(c).is_none()
    {
        return Err(err(StatusCode::BAD_REQUEST, format!("service_code “{c}” 不存在")));
    }
    let statuses: Vec<String> = match q.get("status").map(|s| s.trim()).filter(|s| !s.is_empty()) {
        Some(s) => {
            let v: Vec<String> = s.split(',').map(|x| x.trim().to_owned()).collect();
            if v.iter().any(|x| x != "open" && x != "closed") {
                return Err(err(StatusCode::BAD_REQUEST, "status 只能为 open 或 closed"));
            }
            v
        }
        None => Vec::new(),
    };
    let now = st.app.clock.now();
    let end = match q.get("end_date").filter(|v| !v.trim().is_empty()) {
        Some(v) => parse_time("end_date", v)?,
        None => now + Duration::days(1),
    };
    let start = match q.get("start_date").filter(|v| !v.trim().is_empty()) {
        Some(v) => parse_time("start_date", v)?,
        None => end - Duration::days(90),
    };
    if end < start {
        return Err(err(StatusCode::BAD_REQUEST, "end_date 不能早于 start_date"));
    }
    if end - start > Duration::days(90) {
        return Err(err(StatusCode::BAD_REQUEST, "查询时间范围不能超过90天"));
    }
    let items: Vec<Value> = all
        .iter()
        .filter(|c| c.received_at >= start && c.received_at <= end)
        .filter(|c| {
            code.is_none_or(|code| {
                service_of_type(c.pollution_types.first().map(String::as_str).unwrap_or("其他")).0 == code
                    || c.pollution_types.iter().any(|t| service_of_type(t).0 == code)
            })
        })
        .filter(|c| statuses.is_empty() || statuses.iter().any(|s| s == status_of(c)))
        .rev()
        .take(1000)
        .map(request_json)
        .collect();
    Ok(Value::Array(items))
}

async fn one_request(st: &AppState, id: &str) -> Result<Value, (StatusCode, String)> {
    let all = st.app.public_cases().await.map_err(|e| from_app(&e))?;
    if let Some(c) = all.iter().find(|c| c.accept_no == id) {
        return Ok(json!([request_json(c)]));
    }
    match st.app.received_case_status(id).await.map_err(|e| from_app(&e))? {
        Some((no, received, types, terminal)) => Ok(json!([receipt_json(&no, received, &types, terminal)])),
        None => Err(err(StatusCode::NOT_FOUND, format!("service_request_id “{id}” 不存在"))),
    }
}

fn form_params(query: Option<&str>, body: &[u8]) -> HashMap<String, String> {
    let mut m: HashMap<String, String> = HashMap::new();
    for src in [query.unwrap_or("").as_bytes(), body] {
        if let Ok(pairs) = serde_urlencoded::from_bytes::<Vec<(String, String)>>(src) {
            for (k, v) in pairs {
                m.insert(k, v);
            }
        }
    }
    m
}

/// A new service request. When the client is over its rate, `retry_after` gets the seconds to wait.
async fn post_request(
    st: &AppState,
    p: &HashMap<String, String>,
    client: &str,
    retry_after: &mut Option<u64>,
) -> Result<Value, (StatusCode, String)> {
    let cfg = &st.app.cfg.public;
    let key = p.get("api_key").map(|s| s.trim()).filter(|s| !s.is_empty());
    if let Some(k) = key
        && !cfg.open311_api_keys.iter().any(|x| crate::extract::constant_eq(x, k))
    {
        return Err(err(StatusCode::FORBIDDEN, "api_key 无效"));
    }
    if cfg.open311_require_api_key && key.is_none() {
        return Err(err(StatusCode::FORBIDDEN, "提交举报需要 api_key"));
    }
    let bucket = match key {
        Some(k) => format!("key:{k}"),
        None => format!("anon:{client}"),
    };
    if let Err(wait) =
        st.limiter.take(&format!("open311:{bucket}"), cfg.open311_rate_per_minute, st.app.now_ms())
    {
        metrics::counter!("ducha_rate_limited_total", "kind" => "open311").increment(1);
        *retry_after = Some(wait);
        return Err(err(
            StatusCode::TOO_MANY_REQUESTS,
            format!("提交过于频繁，请{wait}秒后再试；紧急情况请拨打举报电话"),
        ));
    }
    let get = |k: &str| p.get(k).map(|s| s.trim()).filter(|s| !s.is_empty());
    let code = get("service_code").ok_or_else(|| err(StatusCode::BAD_REQUEST, "缺少 service_code"))?;
    let service = service_by_code(code)
        .ok_or_else(|| err(StatusCode::BAD_REQUEST, format!("service_code “{code}” 不存在")))?;
    let description = get("description")
        .ok_or_else(|| err(StatusCode::BAD_REQUEST, "缺少 description（请描述污染问题的地点和情况）"))?;
    if description.chars().count() < 5 {
        return Err(err(StatusCode::BAD_REQUEST, "description 过短，请写明污染问题的地点和情况"));
    }
    let address = get("address_string");
    let has_point = get("lat").is_some() && get("long").is_some();
    if address.is_none() && !has_point && get("address_id").is_none() {
        return Err(err(StatusCode::BAD_REQUEST, "须提供问题位置：address_string，或 lat 与 long"));
    }
    for f in ["lat", "long"] {
        if let Some(v) = get(f)
            && v.parse::<f64>().map(|x| !x.is_finite() || x.abs() > 180.0).unwrap_or(true)
        {
            return Err(err(StatusCode::BAD_REQUEST, format!("{f} 应为 WGS-84 经纬度数值")));
        }
    }
    let text = match address {
        Some(a) if !description.contains(a) => format!("{description}（问题地点：{a}）"),
        _ => description.to_owned(),
    };
    let name = [get("last_name"), get("first_name")].into_iter().flatten().collect::<Vec<_>>().join("");
    let who = ComplainantIdentity {
        name: Some(name).filter(|n| !n.is_empty()),
        phone: get("phone").map(str::to_owned),
        address: None,
        id_number: None,
        email: get("email").map(str::to_owned).filter(|e| !e.trim().is_empty()),
        handle: None,
    };
    let county = get("attribute[county_code]");
    let service_type = (service.1 != "其他").then_some(service.1);
    let (accept_no, token) =
        st.app.public_intake(&text, service_type, county, who).await.map_err(|e| from_app(&e))?;
    Ok(json!([{
        "service_request_id": accept_no,
        "token": token,
        "service_notice": "已受理。督察组将按规定交办，办理情况在边督边改信息公开专栏公开；举报人信息依法保密。",
    }]))
}

/// `/open311/v2/{*rest}`, GET and POST.
pub async fn open311(State(st): State<AppState>, req: Request) -> Response {
    let client = st.limiter.client_of(req.extensions(), req.headers());
    let method = req.method().clone();
    let uri = req.uri().clone();
    let headers: HeaderMap = req.headers().clone();
    let path = uri.path();
    let rest = path.strip_prefix("/open311/v2/").unwrap_or("");
    let query: HashMap<String, String> =
        serde_urlencoded::from_str::<Vec<(String, String)>>(uri.query().unwrap_or(""))
            .unwrap_or_default()
            .into_iter()
            .collect();
    let param_fmt = match query.get("format").map(String::as_str) {
        Some("xml") => Some(Format::Xml),
        Some("json") => Some(Format::Json),
        _ => None,
    };
    let Some((resource, suffix)) = parse_path(rest) else {
        return error_response(
            param_fmt.unwrap_or(Format::Json),
            StatusCode::NOT_FOUND,
            "Open311 资源不存在",
        );
    };
    let fmt = suffix.or(param_fmt).unwrap_or(Format::Json);
    if let Some(j) = query.get("jurisdiction_id").map(|s| s.trim()).filter(|s| !s.is_empty())
        && j != st.app.cfg.public.open311_jurisdiction
    {
        return error_response(fmt, StatusCode::NOT_FOUND, &format!("jurisdiction_id “{j}” 不存在"));
    }
    let root = |r: &Resource| match r {
        Resource::Discovery => "discovery",
        Resource::Services => "services",
        Resource::Service(_) => "service_definition",
        _ => "service_requests",
    };
    match (&method, &resource) {
        (&Method::POST, Resource::Requests) => {
            let body = match axum::body::to_bytes(req.into_body(), 64 * 1024).await {
                Ok(b) => b,
                Err(_) => return error_response(fmt, StatusCode::BAD_REQUEST, "请求体无法读取或过大"),
            };
            let params = form_params(uri.query(), &body);
            let mut retry_after = None;
            match post_request(&st, &params, &client, &mut retry_after).await {
                Ok(v) => into_response(render(fmt, "service_requests", &v)),
                Err((s, d)) => {
                    let mut r = error_response(fmt, s, &d);
                    if let Some(wait) = retry_after {
                        r.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(wait));
                    }
                    r
                }
            }
        }
        (&Method::GET | &Method::HEAD, _) => {
            // Only the parameterless, public, cacheable answers are cached.
            let cacheable = match &resource {
                Resource::Requests => query.keys().all(|k| k == "format" || k == "jurisdiction_id"),
                Resource::Token(_) | Resource::Request(_) => false,
                _ => true,
            };
            if cacheable {
                let key = format!("{path}?{fmt:?}");
                let render_it = || async {
                    let v = match &resource {
                        Resource::Discovery => Ok(discovery(&st)),
                        Resource::Services => Ok(Value::Array(SERVICES.iter().map(service_json).collect())),
                        Resource::Service(code) => service_definition(&st, code).await,
                        _ => list_requests(&st, &query).await,
                    };
                    v.map(|v| render(fmt, root(&resource), &v))
                        .map_err(|(s, d)| AppError::new(kind_of(s), "open311", d))
                };
                return crate::public::cached_with(&st, key, &headers, render_it, move |e| {
                    let (s, d) = from_app(&e);
                    error_response(fmt, s, &d)
                })
                .await;
            }
            let result: Result<Value, (StatusCode, String)> = {
                match &resource {
                    Resource::Requests => list_requests(&st, &query).await,
                    Resource::Request(id) => one_request(&st, id).await,
                    Resource::Token(t) => match st.app.open311_token(t).await {
                        Ok(Some(no)) => Ok(json!([{ "service_request_id": no, "token": t }])),
                        Ok(None) => Err(err(StatusCode::NOT_FOUND, "token 不存在")),
                        Err(e) => Err(from_app(&e)),
                    },
                    _ => Err(err(StatusCode::NOT_FOUND, "Open311 资源不存在")),
                }
            };
            match result {
                Ok(v) => into_response(render(fmt, root(&resource), &v)),
                Err((s, d)) => error_response(fmt, s, &d),
            }
        }
        _ => error_response(fmt, StatusCode::METHOD_NOT_ALLOWED, "该地址不支持此请求方法"),
    }
}

fn kind_of(s: StatusCode) -> ErrorKind {
    match s.as_u16() {
        400 => ErrorKind::BadRequest,
        403 => ErrorKind::Forbidden,
        404 => ErrorKind::NotFound,
        429 => ErrorKind::TooMany,
        _ => ErrorKind::Internal,
    }
}

fn into_response(r: Rendered) -> Response {
    (StatusCode::OK, [(header::CONTENT_TYPE, r.content_type)], Body::from(r.body)).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open311_paths() {
        let table: &[(&str, Option<(Resource, Option<Format>)>)] = &[
            ("discovery.json", Some((Resource::Discovery, Some(Format::Json)))),
            ("discovery.xml", Some((Resource::Discovery, Some(Format::Xml)))),
            ("services", Some((Resource::Services, None))),
            ("services/air.xml", Some((Resource::Service("air".into()), Some(Format::Xml)))),
            ("requests.json", Some((Resource::Requests, Some(Format::Json)))),
            (
                "requests/D3HA202312140001.json",
                Some((Resource::Request("D3HA202312140001".into()), Some(Format::Json))),
            ),
            (
                "request/D3HA202312140001.xml",
                Some((Resource::Request("D3HA202312140001".into()), Some(Format::Xml))),
            ),
            ("tokens/abc123.json", Some((Resource::Token("abc123".into()), Some(Format::Json)))),
            ("requests.csv", None),
            ("services/../x.json", None),
            ("nothing.json", None),
        ];
        for (p, expect) in table {
            assert_eq!(parse_path(p), *expect, "{p}");
        }
    }

    #[test]
    fn xml_escapes_and_lists() {
        let v = json!([{ "service_code": "air", "service_name": "<大气> & 粉尘", "metadata": true, "keywords": Value::Null }]);
        let r = render(Format::Xml, "services", &v);
        let s = String::from_utf8(r.body).unwrap();
        assert_eq!(
            s,
            "<?xml version=\"1.0\" encoding=\"utf-8\"?><services><service><keywords/><metadata>true</metadata><service_code>air</service_code><service_name>&lt;大气&gt; &amp; 粉尘</service_name></service></services>"
        );
    }
}

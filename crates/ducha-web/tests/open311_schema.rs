//! Open311 GeoReport v2: every endpoint in JSON and XML validates against the official JSON Schemas
//! (XML parsed back into the same structure), filters work per spec, errors use the spec's format and
//! status codes, POST goes through the same intake path, API keys and the rate limit hold.

#![allow(clippy::unwrap_used)]

mod common;
mod gongkai;

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use ducha_app::App;
use ducha_store::{Backend, testing};
use gongkai::*;
use http_body_util::BodyExt;
use serde_json::{Map, Value, json};
use tower::ServiceExt;

fn schema_file(name: &str) -> Value {
    let path = format!("{}/tests/open311-schemas/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

/// Resolves the schemas' relative `$ref`s (`request.json`, `service.json`) to the copied files.
struct Files;

impl jsonschema::Retrieve for Files {
    fn retrieve(
        &self,
        uri: &jsonschema::Uri<String>,
    ) -> Result<Value, Box<dyn std::error::Error + Send + Sync>> {
        let name = uri.as_str().rsplit('/').next().unwrap_or_default().to_owned();
        Ok(schema_file(&name))
    }
}

fn validator(schema: &Value) -> jsonschema::Validator {
    jsonschema::options().with_retriever(Files).should_validate_formats(true).build(schema).unwrap()
}

fn swagger_definition(name: &str) -> Value {
    schema_file("swagger.json")["definitions"][name].clone()
}

fn check(schema: &Value, v: &Value, what: &str) {
    let val = validator(schema);
    let errors: Vec<String> = val.iter_errors(v).map(|e| format!("{e} at {}", e.instance_path())).collect();
    assert!(errors.is_empty(), "{what} does not validate:\n{}\n{v:#}", errors.join("\n"));
}

/// Each item of an array against a swagger definition (the POST and token answers have no schema file).
fn check_items(def: &str, v: &Value, what: &str) {
    let arr = v.as_array().unwrap_or_else(|| panic!("{what}: not an array: {v}"));
    assert!(!arr.is_empty(), "{what}: empty");
    for item in arr {
        check(&swagger_definition(def), item, what);
    }
}

// ---- XML back into JSON -------------------------------------------------------------------------

#[derive(Debug)]
struct El {
    name: String,
    children: Vec<El>,
    text: String,
}

fn parse_xml(s: &str) -> El {
    use quick_xml::events::Event;
    let mut r = quick_xml::Reader::from_str(s);
    let mut stack: Vec<El> = vec![El { name: String::new(), children: vec![], text: String::new() }];
    loop {
        match r.read_event().unwrap() {
            Event::Start(e) => {
                stack.push(El { name: e.name().as_ref().to_owned(), children: vec![], text: String::new() })
            }
            Event::Empty(e) => {
                let el = El { name: e.name().as_ref().to_owned(), children: vec![], text: String::new() };
                stack.last_mut().unwrap().children.push(el);
            }
            Event::End(_) => {
                let el = stack.pop().unwrap();
                stack.last_mut().unwrap().children.push(el);
            }
            Event::Text(t) => stack.last_mut().unwrap().text.push_str(&t),
            Event::GeneralRef(g) => {
                let name = (*g).to_owned();
                let c = match name.as_str() {
                    "amp" => '&',
                    "lt" => '<',
                    "gt" => '>',
                    "quot" => '"',
                    "apos" => '\'',
                    _ => g.resolve_char_ref().unwrap().unwrap(),
                };
                stack.last_mut().unwrap().text.push(c);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(stack.len(), 1, "balanced XML");
    let mut root = stack.pop().unwrap();
    assert_eq!(root.children.len(), 1, "one root element");
    root.children.pop().unwrap()
}

const LISTS: [&str; 7] =
    ["services", "service_requests", "attributes", "values", "endpoints", "formats", "errors"];

fn to_json(e: &El) -> Value {
    if LISTS.contains(&e.name.as_str()) {
        return Value::Array(e.children.iter().map(to_json).collect());
    }
    if e.children.is_empty() {
        let t = e.text.trim();
        if t.is_empty() {
            return Value::Null;
        }
        // Scalars typed as the schemas type them.
        return match e.name.as_str() {
            "metadata" | "variable" | "required" => json!(t == "true"),
            "order" | "code" => t.parse::<i64>().map(Value::from).unwrap_or_else(|_| json!(t)),
            "lat" | "long" => json!(t.parse::<f64>().unwrap()),
            _ => json!(t),
        };
    }
    let mut o = Map::new();
    for c in &e.children {
        o.insert(c.name.clone(), to_json(c));
    }
    Value::Object(o)
}

// ---- the tests --------------------------------------------------------------------------------

struct Got {
    status: StatusCode,
    content_type: String,
    json: Value,
    root: String,
}

async fn call(router: &axum::Router, method: &str, uri: &str, form: Option<&str>) -> Got {
    let mut b = Request::builder().method(method).uri(uri);
    if form.is_some() {
        b = b.header("content-type", "application/x-www-form-urlencoded");
    }
    let resp =
        router.clone().oneshot(b.body(Body::from(form.unwrap_or("").to_owned())).unwrap()).await.unwrap();
    let status = resp.status();
    let content_type = resp.headers().get("content-type").unwrap().to_str().unwrap().to_owned();
    let text = String::from_utf8(resp.into_body().collect().await.unwrap().to_bytes().to_vec()).unwrap();
    if content_type.starts_with("text/xml") {
        let el = parse_xml(&text);
        Got { status, content_type, root: el.name.clone(), json: to_json(&el) }
    } else {
        assert!(content_type.starts_with("application/json"), "{uri}: {content_type}");
        Got {
            status,
            content_type,
            root: String::new(),
            json: serde_json::from_str(&text).unwrap_or(Value::Null),
        }
    }
}

fn check_error(g: &Got, status: StatusCode, what: &str) {
    assert_eq!(g.status, status, "{what}: {:?}", g.json);
    let arr = g.json.as_array().unwrap_or_else(|| panic!("{what}: {:?}", g.json));
    assert_eq!(arr[0]["code"].as_i64(), Some(i64::from(status.as_u16())), "{what}");
    assert!(!arr[0]["description"].as_str().unwrap().is_empty());
    if g.content_type.starts_with("text/xml") {
        assert_eq!(g.root, "errors");
    }
}

async fn schemas(backend: Backend) {
    let fx = common::setup(backend).await;
    let ids = fixed_campaign(&fx).await;
    publish_all(&fx, batch_of(&fx, ids[0]).await, &["county_py", "county_hl", "city"]).await;
    let mut cfg = (*fx.app.cfg).clone();
    cfg.public.open311_rate_per_minute = 1000;
    let router = ducha_web::router(App { cfg: Arc::new(cfg), ..fx.app.clone() });
    let r = &router;
    let services_schema = schema_file("services.json");
    let def_schema = schema_file("service-definition.json");
    let requests_schema = schema_file("requests.json");

    for fmt in ["json", "xml"] {
        // Discovery (no official schema): the endpoint list names GeoReport v2 and both formats.
        let g = call(r, "GET", &format!("/open311/v2/discovery.{fmt}"), None).await;
        assert_eq!(g.status, StatusCode::OK);
        let ep = &g.json["endpoints"][0];
        assert_eq!(ep["specification"], "http://wiki.open311.org/GeoReport_v2");
        assert!(ep["url"].as_str().unwrap().ends_with("/open311/v2"));
        assert_eq!(ep["formats"], json!(["application/json", "text/xml"]));

        let g = call(r, "GET", &format!("/open311/v2/services.{fmt}"), None).await;
        assert_eq!(g.status, StatusCode::OK);
        check(&services_schema, &g.json, &format!("services.{fmt}"));
        assert_eq!(g.json.as_array().unwrap().len(), 8, "one service per pollution type");
        for s in g.json.as_array().unwrap() {
            let code = s["service_code"].as_str().unwrap();
            let d = call(r, "GET", &format!("/open311/v2/services/{code}.{fmt}"), None).await;
            assert_eq!(d.status, StatusCode::OK);
            check(&def_schema, &d.json, &format!("services/{code}.{fmt}"));
            let values = d.json["attributes"][0]["values"].as_array().unwrap();
            assert!(values.iter().any(|v| v["key"] == "410928" && v["name"] == "濮阳县"));
        }

        let all = call(r, "GET", &format!("/open311/v2/requests.{fmt}"), None).await;
        assert_eq!(all.status, StatusCode::OK);
        check(&requests_schema, &all.json, &format!("requests.{fmt}"));
        let items = all.json.as_array().unwrap();
        assert_eq!(items.len(), 4, "every disclosed case, once");
        let closed: Vec<&Value> = items.iter().filter(|i| i["status"] == "closed").collect();
        assert_eq!(closed.len(), 3, "已办结 and 阶段性办结 are closed");
        for (query, expect) in [
            ("status=closed", 3),
            ("status=open", 1),
            ("status=open,closed", 4),
            ("service_code=air", 4),
            ("service_code=noise", 1),
            ("service_code=water", 0),
            ("start_date=2023-12-14T00:00:00%2B08:00&end_date=2023-12-15T00:00:00%2B08:00", 4),
            ("start_date=2023-12-15T00:00:00%2B08:00&end_date=2023-12-16T00:00:00%2B08:00", 0),
        ] {
            let g = call(r, "GET", &format!("/open311/v2/requests.{fmt}?{query}"), None).await;
            assert_eq!(g.status, StatusCode::OK, "{query}");
            assert_eq!(g.json.as_array().map(Vec::len).unwrap_or(0), expect, "{query}: {:?}", g.json);
            if expect > 0 {
                check(&requests_schema, &g.json, query);
            }
        }
        let id0 = items[0]["service_request_id"].as_str().unwrap().to_owned();
        let id1 = items[1]["service_request_id"].as_str().unwrap().to_owned();
        let g = call(
            r,
            "GET",
            &format!("/open311/v2/requests.{fmt}?service_request_id={id0},{id1}&status=open"),
            None,
        )
        .await;
        assert_eq!(g.json.as_array().unwrap().len(), 2, "service_request_id overrides the other filters");
        let g = call(r, "GET", &format!("/open311/v2/requests/{id0}.{fmt}"), None).await;
        assert_eq!(g.status, StatusCode::OK);
        check(&requests_schema, &g.json, "request by id");
        assert_eq!(g.json[0]["service_request_id"], id0.as_str());
        let g = call(r, "GET", &format!("/open311/v2/request/{id0}.{fmt}"), None).await;
        assert_eq!(g.status, StatusCode::OK, "the swagger spelling /request/{{id}} too");

        // Errors, in the spec's shape.
        for (uri, status) in [
            (format!("/open311/v2/requests.{fmt}?status=pending"), StatusCode::BAD_REQUEST),
            (format!("/open311/v2/requests.{fmt}?start_date=yesterday"), StatusCode::BAD_REQUEST),
            (
                format!(
                    "/open311/v2/requests.{fmt}?start_date=2023-01-01T00:00:00Z&end_date=2023-12-01T00:00:00Z"
                ),
                StatusCode::BAD_REQUEST,
            ),
            (format!("/open311/v2/requests.{fmt}?service_code=music"), StatusCode::BAD_REQUEST),
            (format!("/open311/v2/requests/D9XX000000000000.{fmt}"), StatusCode::NOT_FOUND),
            (format!("/open311/v2/services/music.{fmt}"), StatusCode::NOT_FOUND),
            (format!("/open311/v2/tokens/abcdef.{fmt}"), StatusCode::NOT_FOUND),
            (format!("/open311/v2/services.{fmt}?jurisdiction_id=elsewhere.gov"), StatusCode::NOT_FOUND),
            (format!("/open311/v2/nothing.{fmt}"), StatusCode::NOT_FOUND),
        ] {
            check_error(&call(r, "GET", &uri, None).await, status, &uri);
        }
        let g = call(r, "GET", "/open311/v2/services.json?jurisdiction_id=puyang.gov.cn", None).await;
        assert_eq!(g.status, StatusCode::OK, "the configured jurisdiction_id is accepted");

        // POST: a web complaint through the intake path, anonymous by default.
        let form = "service_code=noise&description=%E6%9F%B3%E5%B1%AF%E9%95%87%E5%BC%A0%E5%BA%84%E6%9D%91%E4%B8%80%E5%AE%B6%E6%9C%A8%E6%9D%90%E5%8E%82%E5%A4%9C%E9%97%B4%E6%96%BD%E5%B7%A5%E5%99%AA%E5%A3%B0%E5%A4%A7&address_string=%E6%BF%AE%E9%98%B3%E5%8E%BF%E6%9F%B3%E5%B1%AF%E9%95%87&first_name=%E5%BB%BA%E5%86%9B&last_name=%E5%90%B4&phone=13612345678";
        let g = call(r, "POST", &format!("/open311/v2/requests.{fmt}"), Some(form)).await;
        assert_eq!(g.status, StatusCode::OK, "{:?}", g.json);
        check_items("RequestResponse", &g.json, "POST requests");
        let no = g.json[0]["service_request_id"].as_str().unwrap().to_owned();
        let token = g.json[0]["token"].as_str().unwrap().to_owned();
        assert!(no.starts_with("W3HA"), "web channel letter W: {no}");
        let case = ducha_store::cases::get_by_accept_no(&fx.app.store, &no).await.unwrap().unwrap();
        assert_eq!(
            (case.channel.as_str(), case.has_identity, case.pollution_types.as_str()),
            ("web", 1, "噪声")
        );
        assert!(case.original_text.contains("柳屯镇"), "the location joins the text for routing");
        let intake =
            ducha_store::audit::for_entity(&fx.app.store, "case", &case.id.to_string()).await.unwrap();
        assert_eq!(intake[0].action, "case.intake");
        assert_eq!(intake[0].actor_name, "网络渠道（公众）");
        let g = call(r, "GET", &format!("/open311/v2/tokens/{token}.{fmt}"), None).await;
        assert_eq!(g.status, StatusCode::OK);
        check_items("TokenResponse", &g.json, "tokens");
        assert_eq!(g.json[0]["service_request_id"], no.as_str());
        // Not yet disclosed: the receipt only, still valid per schema, without the text or the person.
        let g = call(r, "GET", &format!("/open311/v2/requests/{no}.{fmt}"), None).await;
        check(&requests_schema, &g.json, "undisclosed request by id");
        assert!(g.json[0]["description"].is_null());
        let s = g.json.to_string();
        assert!(!s.contains("吴建军") && !s.contains("13612345678"));

        for (form, status) in [
            (
                "description=%E5%86%92%E9%BB%91%E7%83%9F%E5%BE%88%E4%B8%A5%E9%87%8D&address_string=x",
                StatusCode::BAD_REQUEST,
            ),
            (
                "service_code=music&description=%E5%86%92%E9%BB%91%E7%83%9F%E5%BE%88%E4%B8%A5%E9%87%8D&address_string=x",
                StatusCode::BAD_REQUEST,
            ),
            ("service_code=air&address_string=x", StatusCode::BAD_REQUEST),
            (
                "service_code=air&description=%E5%86%92%E9%BB%91%E7%83%9F%E5%BE%88%E4%B8%A5%E9%87%8D",
                StatusCode::BAD_REQUEST,
            ),
            (
                "service_code=air&description=%E5%86%92%E9%BB%91%E7%83%9F%E5%BE%88%E4%B8%A5%E9%87%8D&lat=abc&long=1",
                StatusCode::BAD_REQUEST,
            ),
            ("service_code=air&description=%E7%9F%AD&address_string=x", StatusCode::BAD_REQUEST),
            (
                "service_code=air&api_key=wrong&description=%E5%86%92%E9%BB%91%E7%83%9F%E5%BE%88%E4%B8%A5%E9%87%8D&address_string=x",
                StatusCode::FORBIDDEN,
            ),
        ] {
            let g = call(r, "POST", &format!("/open311/v2/requests.{fmt}"), Some(form)).await;
            check_error(&g, status, form);
        }
    }
    // `format` as a parameter, for paths without a suffix.
    let g = call(r, "GET", "/open311/v2/services?format=xml", None).await;
    assert_eq!(g.root, "services");
    check(&services_schema, &g.json, "services?format=xml");
    let g = call(r, "GET", "/open311/v2/requests?format=json", None).await;
    check(&requests_schema, &g.json, "requests?format=json");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn open311_schemas_all_backends() {
    for b in testing::backends() {
        schemas(b).await;
    }
}

#[tokio::test]
async fn open311_api_key_and_rate_limit() {
    let fx = common::setup(Backend::Sqlite).await;
    let mut cfg = (*fx.app.cfg).clone();
    cfg.public.open311_require_api_key = true;
    cfg.public.open311_api_keys = vec!["k-puyang-1".into()];
    cfg.public.open311_rate_per_minute = 2;
    let app = App { cfg: Arc::new(cfg), ..fx.app.clone() };
    let router = ducha_web::router(app);
    let body = |key: &str| {
        format!(
            "service_code=air&description=%E6%9F%B3%E5%B1%AF%E9%95%87%E6%9C%89%E5%B7%A5%E5%8E%82%E5%86%92%E9%BB%91%E7%83%9F&address_string=%E6%9F%B3%E5%B1%AF%E9%95%87{key}"
        )
    };
    let g = call(&router, "POST", "/open311/v2/requests.json", Some(&body(""))).await;
    check_error(&g, StatusCode::FORBIDDEN, "a key is required");
    let before = ducha_store::cases::count_cases(&fx.app.store).await.unwrap();
    for _ in 0..2 {
        let g = call(&router, "POST", "/open311/v2/requests.json", Some(&body("&api_key=k-puyang-1"))).await;
        assert_eq!(g.status, StatusCode::OK, "{:?}", g.json);
    }
    let g = call(&router, "POST", "/open311/v2/requests.xml", Some(&body("&api_key=k-puyang-1"))).await;
    check_error(&g, StatusCode::TOO_MANY_REQUESTS, "the third post within a minute");
    assert_eq!(
        ducha_store::cases::count_cases(&fx.app.store).await.unwrap(),
        before + 2,
        "refused posts store nothing"
    );
}

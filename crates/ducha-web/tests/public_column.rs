//! Issue 6: the publication workflow, the public column and its exports, caching, and R2.6 — on SQLite
//! and PostgreSQL; snapshots of a batch page, its XLSX (read back with calamine), CSV and JSON.

#![allow(clippy::unwrap_used)]

mod common;
mod gongkai;

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use calamine::{Reader, Xlsx, open_workbook_from_rs};
use ducha_app::{App, Config};
use ducha_domain::disclosure::PubStatus;
use ducha_store::{Backend, Q, audit, testing};
use gongkai::*;
use http_body_util::BodyExt;
use tower::ServiceExt;

/// A router over the same database whose cache re-checks publications on every request (as a second
/// instance would after `cache_recheck_seconds`).
fn router_with(fx: &common::Fx, f: impl FnOnce(&mut Config)) -> (App, axum::Router) {
    let mut cfg = (*fx.app.cfg).clone();
    cfg.public.cache_recheck_seconds = 0;
    f(&mut cfg);
    let app = App { cfg: Arc::new(cfg), ..fx.app.clone() };
    (app.clone(), ducha_web::router(app))
}

async fn workflow(backend: Backend) {
    let fx = common::setup(backend).await;
    let ids = fixed_campaign(&fx).await;
    let batch = batch_of(&fx, ids[0]).await;
    let py = user(&fx, "county_py").await;
    let hl = user(&fx, "county_hl").await;
    let handler = user(&fx, "liutun").await;
    let team = user(&fx, "team").await;

    // Only offices publish; a handler or the team may not.
    for u in [&handler, &team] {
        let e = fx.app.draft_disclosure(u, batch).await.unwrap_err();
        assert_eq!(e.code, "forbidden", "{}", u.username);
    }
    let d = fx.app.draft_disclosure(&py, batch).await.unwrap();
    assert_eq!((d.version, d.status), (1, PubStatus::Draft));
    assert_eq!(d.doc.rows.len(), 3, "濮阳县's column holds its three cases of the batch");
    assert!(d.doc.rows.iter().all(|r| r.county_code.as_deref() == Some("410928")));
    // Publishing needs a review first; another county cannot touch the draft.
    let e = fx.app.publish_disclosure(&py, d.id).await.unwrap_err();
    assert_eq!(e.code, "disclosure_step_refused");
    let e = fx.app.review_disclosure(&hl, d.id).await.unwrap_err();
    assert_eq!(e.code, "disclosure_not_found");
    // Nothing is public before publication.
    let r = fx.json("GET", "/gongkai/410928/batch/1/", None, None).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    fx.app.review_disclosure(&py, d.id).await.unwrap();
    // A refresh after review sends it back to draft.
    let again = fx.app.draft_disclosure(&py, batch).await.unwrap();
    assert_eq!((again.id, again.status), (d.id, PubStatus::Draft));
    fx.app.review_disclosure(&py, d.id).await.unwrap();
    let p = fx.app.publish_disclosure(&py, d.id).await.unwrap();
    assert_eq!(p.status, PubStatus::Published);

    // The content hash (SM3 of the stored content) is in the audit trail, and the chain verifies.
    let row = ducha_store::disclosure::get(&fx.app.store, d.id).await.unwrap().unwrap();
    assert_eq!(row.content_hash, ducha_domain::disclosure::content_hash(&row.content));
    let recs = audit::for_entity(&fx.app.store, "disclosure", &d.id.to_string()).await.unwrap();
    let publish = recs.iter().find(|r| r.action == "disclosure.publish").unwrap();
    assert!(publish.detail.contains(&row.content_hash), "{}", publish.detail);
    assert_eq!(Some(publish.seq), row.audit_seq);
    assert!(audit::verify(&fx.app.store).await.unwrap().broken.is_none());

    // A published version is immutable: no use case changes it, and the database refuses too.
    let e = fx.app.draft_disclosure(&py, batch).await.unwrap_err();
    assert_eq!(e.code, "disclosure_already_published");
    let e = fx.app.review_disclosure(&py, d.id).await.unwrap_err();
    assert_eq!(e.code, "disclosure_step_refused");
    let e = fx.app.discard_disclosure(&py, d.id).await.unwrap_err();
    assert_eq!(e.code, "disclosure_step_refused");
    let mut tx = fx.app.store.begin().await.unwrap();
    let mut q = Q::new("UPDATE disclosures SET content = 'forged' WHERE id = ");
    q.bind(d.id);
    assert!(
        q.query().unwrap().execute(tx.conn()).await.is_err(),
        "trigger refuses an update of a published row"
    );
    tx.rollback().await.unwrap();
    let mut tx = fx.app.store.begin().await.unwrap();
    let mut q = Q::new("DELETE FROM disclosures WHERE id = ");
    q.bind(d.id);
    assert!(
        q.query().unwrap().execute(tx.conn()).await.is_err(),
        "trigger refuses a delete of a published row"
    );
    tx.rollback().await.unwrap();

    // A correction is a new version with a visible note; the first stays readable.
    let e = fx.app.correct_disclosure(&py, batch, "改").await.unwrap_err();
    assert_eq!(e.field.as_deref(), Some("note"));
    let c = fx.app.correct_disclosure(&py, batch, "更新第2件的办理进展").await.unwrap();
    assert_eq!((c.version, c.status), (2, PubStatus::Draft));
    fx.app.review_disclosure(&py, c.id).await.unwrap();
    fx.app.publish_disclosure(&py, c.id).await.unwrap();
    let page = fx.json("GET", "/gongkai/410928/batch/1/", None, None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text.contains("更正说明") && page.text.contains("更新第2件的办理进展"), "{}", page.text);
    assert!(page.text.contains("第1版"), "earlier version listed");
    let v1 = fx.json("GET", "/gongkai/410928/batch/1/?version=1", None, None).await;
    assert_eq!(v1.status, StatusCode::OK);
    assert!(!v1.text.contains("更正说明："));
    let json = fx.json("GET", "/gongkai/410928/batch/1.json", None, None).await;
    assert_eq!(
        (json.json["version"].as_i64(), json.json["correction_note"].as_str()),
        (Some(2), Some("更新第2件的办理进展"))
    );

    // The city column is the city office's; the column list and the other county are independent.
    let city = user(&fx, "city").await;
    publish_all(&fx, batch, &["city"]).await;
    let cj = fx.json("GET", "/gongkai/batch/1.json", None, None).await;
    assert_eq!(cj.json["rows"].as_array().unwrap().len(), 4, "the city column holds every county's cases");
    let e = fx.app.correct_disclosure(&city, batch, "仅用于测试的更正说明").await.unwrap();
    assert_eq!(e.doc.column.county_code, None);
    let hl_page = fx.json("GET", "/gongkai/410902/batch/1/", None, None).await;
    assert_eq!(hl_page.status, StatusCode::NOT_FOUND, "华龙区 has not published");
    let r = fx.json("GET", "/gongkai/999999/", None, None).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn publication_workflow_all_backends() {
    for b in testing::backends() {
        workflow(b).await;
    }
}

async fn gaps(backend: Backend) {
    let fx = common::setup(backend).await;
    let ids = fixed_campaign(&fx).await;
    let batch = batch_of(&fx, ids[0]).await;
    // Assigned on Thursday 2023-12-14: due by the end of Friday 12-15. On Saturday nothing is disclosed.
    fx.clock.set(chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2023, 12, 16, 2, 0, 0).unwrap());
    let r = fx.app.disclosure_check().await.unwrap();
    assert_eq!(r.open().count(), 4, "{r:?}");
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
    // 濮阳县 publishes (late): its three cases leave the open gaps and are listed as late.
    publish_all(&fx, batch, &["county_py"]).await;
    let r = fx.app.disclosure_check().await.unwrap();
    let open: Vec<&str> = r.open().map(|g| g.column.as_str()).collect();
    assert_eq!(open, vec!["410902"]);
    assert_eq!(r.gaps.iter().filter(|g| !g.is_open()).count(), 3);
    // The city column does not count for a county's completeness.
    publish_all(&fx, batch, &["city"]).await;
    assert_eq!(fx.app.disclosure_check().await.unwrap().open().count(), 1);
    publish_all(&fx, batch, &["county_hl"]).await;
    assert_eq!(fx.app.disclosure_check().await.unwrap().open().count(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn r2_6_disclosure_gaps_all_backends() {
    for b in testing::backends() {
        gaps(b).await;
    }
}

/// The fixed campaign, published on time by every column.
async fn published_fixture() -> (common::Fx, Vec<i64>) {
    let fx = common::setup(Backend::Sqlite).await;
    let ids = fixed_campaign(&fx).await;
    let batch = batch_of(&fx, ids[0]).await;
    fx.clock.set(publish_time());
    publish_all(&fx, batch, &["county_py", "county_hl", "city"]).await;
    (fx, ids)
}

#[tokio::test]
async fn r2_2_batch_snapshots() {
    let (fx, _) = published_fixture().await;
    let page = fx.json("GET", "/gongkai/410928/batch/1/", None, None).await;
    assert_eq!(page.status, StatusCode::OK);
    insta::assert_snapshot!("batch_page_html", page.text);

    let csv = fx.raw("GET", "/gongkai/410928/batch/1.csv", None, None, "").await;
    assert_eq!(csv.headers.get(header::CONTENT_TYPE).unwrap(), "text/csv; charset=utf-8");
    assert!(csv.text.starts_with('\u{feff}'), "UTF-8 BOM for Excel/WPS");
    assert!(
        csv.headers.get(header::CONTENT_DISPOSITION).unwrap().to_str().unwrap().contains("filename*=UTF-8''")
    );
    insta::assert_snapshot!("batch_csv", csv.text);

    let json = fx.json("GET", "/gongkai/410928/batch/1.json", None, None).await;
    insta::assert_json_snapshot!("batch_json", json.json);

    let resp = fx
        .router
        .clone()
        .oneshot(Request::get("/gongkai/410928/batch/1.xlsx").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(
        resp.headers().get(header::CONTENT_TYPE).unwrap(),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    let bytes = resp.into_body().collect().await.unwrap().to_bytes().to_vec();
    let mut wb: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(bytes.clone())).unwrap();
    assert_eq!(wb.sheet_names(), vec!["第1批".to_owned(), "情况说明".to_owned()]);
    let grid: Vec<Vec<String>> = wb
        .worksheet_range("第1批")
        .unwrap()
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    insta::assert_json_snapshot!("batch_xlsx_cells", grid);
    // Styled as promised: frozen header row, column widths, a bold filled header, landscape printing.
    let xml = xlsx_text(&bytes);
    assert!(xml.contains("state=\"frozen\"") && xml.contains("ySplit=\"1\""), "frozen header");
    assert!(xml.contains("<col min=\"3\" max=\"3\" width=\"48"), "column widths");
    assert!(xml.contains("orientation=\"landscape\""));
    assert!(xml.contains("<b/>") && xml.contains("FFF3E5E4"), "bold, filled header");
}

#[tokio::test]
async fn r2_2_legacy_layout_per_campaign() {
    let fx = common::setup(Backend::Sqlite).await;
    let mut tx = fx.app.store.begin().await.unwrap();
    Q::new("UPDATE campaigns SET settings = '{\"disclosure_layout\":\"legacy\"}'")
        .query()
        .unwrap()
        .execute(tx.conn())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let ids = fixed_campaign(&fx).await;
    publish_all(&fx, batch_of(&fx, ids[0]).await, &["county_py"]).await;
    let page = fx.json("GET", "/gongkai/410928/batch/1/", None, None).await;
    assert!(page.text.contains("<th scope=\"col\">污染类型</th>"), "{}", page.text);
    assert!(!page.text.contains("办结目标"));
    let csv = fx.raw("GET", "/gongkai/410928/batch/1.csv", None, None, "").await;
    assert!(csv.text.starts_with("\u{feff}序号,受理编号,交办问题基本情况,行政区域,污染类型,调查核实情况,是否属实,处理和整改情况,是否办结,责任人被处理情况\r\n"), "{}", csv.text);
}

#[tokio::test]
async fn public_pages_render_everything() {
    let (fx, _) = published_fixture().await;
    let checks: &[(&str, &str, &[&str])] = &[
        (
            "/gongkai/",
            "text/html",
            &[
                "进驻濮阳市公告",
                "0393-12369",
                "每日8时至20时",
                "濮阳市A001号信箱",
                "第1批交办件办理情况",
                "/gongkai/410928/",
            ],
        ),
        ("/gongkai/410928/", "text/html", &["进驻濮阳县公告", "第1批交办件办理情况"]),
        ("/gongkai/410928/typical/", "text/html", &["东关砖厂", "关停取缔"]),
        ("/gongkai/410928/accountability/", "text/html", &["问责2人", "刘明远", "通报批评"]),
        ("/gongkai/410928/tv/", "text/html", &["【典型案例】", "【群众反映】"]),
        ("/gongkai/410928/tv.txt", "text/plain", &["【导语】", "交办1批群众信访举报件3件"]),
        ("/gongkai/410928/batch/1/tv/", "text/html", &["第1批"]),
        ("/gongkai/410928/batch/1/tv.txt", "text/plain", &["交办第1批群众信访举报件3件"]),
        (
            "/gongkai/410928/batch/1/share.txt",
            "text/plain",
            &["【边督边改】濮阳县第1批", "http://127.0.0.1:8080/gongkai/410928/batch/1/"],
        ),
        ("/gongkai/announcement.txt", "text/plain", &["【督察公告】", "0393-12369"]),
        (
            "/gongkai/feed.rss",
            "application/rss+xml",
            &["<rss version=\"2.0\"", "濮阳市第1批交办件边督边改情况"],
        ),
        (
            "/gongkai/410928/feed.atom",
            "application/atom+xml",
            &["<feed xmlns=\"http://www.w3.org/2005/Atom\"", "濮阳县第1批"],
        ),
        (
            "/gongkai/410902/feed.json",
            "application/feed+json",
            &["https://jsonfeed.org/version/1.1", "华龙区第1批"],
        ),
    ];
    for (url, ct, words) in checks {
        let r = fx.raw("GET", url, None, None, "").await;
        assert_eq!(r.status, StatusCode::OK, "{url}: {}", r.text);
        assert!(r.headers.get(header::CONTENT_TYPE).unwrap().to_str().unwrap().starts_with(ct), "{url}");
        for w in *words {
            assert!(r.text.contains(w), "{url} lacks {w}:\n{}", r.text);
        }
    }
    // Accountability: counts always, names only for typical records.
    let acc = fx.raw("GET", "/gongkai/410928/accountability/", None, None, "").await;
    assert!(!acc.text.contains("孙立新"), "a non-typical record's name is never public");
    // Feeds parse as feeds.
    for url in ["/gongkai/feed.rss", "/gongkai/410928/feed.atom", "/gongkai/410902/feed.json"] {
        let r = fx.raw("GET", url, None, None, "").await;
        let f = feed_rs::parser::parse(r.text.as_bytes()).unwrap_or_else(|e| panic!("{url}: {e}"));
        assert_eq!(f.entries.len(), 1, "{url}");
        assert!(f.entries[0].links[0].href.ends_with("/batch/1/"), "{url}: {:?}", f.entries[0].links);
    }
    // Real table headers, a caption, row headers, labels for phones.
    let page = fx.raw("GET", "/gongkai/batch/1/", None, None, "").await;
    assert_eq!(page.text.matches("<th scope=\"col\">").count(), 11);
    assert_eq!(page.text.matches("<th scope=\"row\"").count(), 4);
    assert!(page.text.contains("<caption") && page.text.contains("data-label=\"处理和整改情况\""));
    let css = fx.raw("GET", "/static/gongkai.css", None, None, "").await;
    assert!(css.text.contains("@media print") && css.text.contains("@media (max-width"));
    // Unknown paths are Chinese 404 pages; a path missing its slash is redirected.
    assert_eq!(fx.raw("GET", "/gongkai/batch/9/", None, None, "").await.status, StatusCode::NOT_FOUND);
    assert_eq!(fx.raw("GET", "/gongkai/nothing", None, None, "").await.status, StatusCode::NOT_FOUND);
    let r = fx.raw("GET", "/gongkai/410928", None, None, "").await;
    assert_eq!(
        (r.status, r.headers.get(header::LOCATION).unwrap().to_str().unwrap()),
        (StatusCode::PERMANENT_REDIRECT, "/gongkai/410928/")
    );
}

#[tokio::test]
async fn cache_etag_304_gzip_and_invalidation() {
    let (fx, ids) = published_fixture().await;
    let (_, router) = router_with(&fx, |_| {});
    let send = |uri: &str, h: &[(&str, &str)]| {
        let mut b = Request::get(uri);
        for (k, v) in h {
            b = b.header(*k, *v);
        }
        router.clone().oneshot(b.body(Body::empty()).unwrap())
    };
    let r = send("/gongkai/410928/batch/1/", &[]).await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let etag = r.headers().get(header::ETAG).unwrap().to_str().unwrap().to_owned();
    let lm = r.headers().get(header::LAST_MODIFIED).unwrap().to_str().unwrap().to_owned();
    assert_eq!(lm, "Thu, 14 Dec 2023 08:00:00 GMT", "Last-Modified is the publication time");
    let r = send("/gongkai/410928/batch/1/", &[("if-none-match", &etag)]).await.unwrap();
    assert_eq!(r.status(), StatusCode::NOT_MODIFIED);
    let r = send("/gongkai/410928/batch/1/", &[("if-modified-since", &lm)]).await.unwrap();
    assert_eq!(r.status(), StatusCode::NOT_MODIFIED);
    let r = send("/gongkai/410928/batch/1/", &[("accept-encoding", "gzip")]).await.unwrap();
    assert_eq!(r.headers().get(header::CONTENT_ENCODING).unwrap(), "gzip");
    // A correction published elsewhere (not through this router) shows up and changes the ETag.
    fx.clock.set(publish_time() + chrono::Duration::hours(2));
    let py = user(&fx, "county_py").await;
    let c = fx.app.correct_disclosure(&py, batch_of(&fx, ids[0]).await, "更正第1件的整改时限").await.unwrap();
    fx.app.review_disclosure(&py, c.id).await.unwrap();
    fx.app.publish_disclosure(&py, c.id).await.unwrap();
    let r = send("/gongkai/410928/batch/1/", &[("if-none-match", &etag)]).await.unwrap();
    assert_eq!(r.status(), StatusCode::OK, "the cache was invalidated by the publication");
    assert_ne!(r.headers().get(header::ETAG).unwrap().to_str().unwrap(), etag);
    let body = r.into_body().collect().await.unwrap().to_bytes();
    assert!(String::from_utf8_lossy(&body).contains("更正第1件的整改时限"));
}

#[tokio::test]
async fn staff_pages_publish_over_http() {
    let fx = common::setup(Backend::Sqlite).await;
    let ids = fixed_campaign(&fx).await;
    let batch = batch_of(&fx, ids[0]).await;
    let login = fx
        .json(
            "POST",
            "/api/v1/session",
            None,
            Some(serde_json::json!({ "username": "county_py", "password": common::PASSWORD })),
        )
        .await;
    let token = login.json["token"].as_str().unwrap().to_owned();
    let csrf = login.json["csrf_token"].as_str().unwrap().to_owned();
    let cookie = format!("ducha_session={token}");
    let post = |path: String, form: String| {
        let req = Request::post(path)
            .header("cookie", cookie.clone())
            .header("content-type", "application/x-www-form-urlencoded")
            .body(Body::from(form))
            .unwrap();
        fx.router.clone().oneshot(req)
    };
    let page = |path: &str| {
        let req = Request::get(path).header("cookie", cookie.clone()).body(Body::empty()).unwrap();
        fx.router.clone().oneshot(req)
    };
    let r = page("/disclosure/").await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let text = String::from_utf8(r.into_body().collect().await.unwrap().to_bytes().to_vec()).unwrap();
    assert!(text.contains("濮阳县专栏") && text.contains("生成草稿"), "{text}");
    // A missing CSRF token is refused.
    let r = post(format!("/disclosure/batch/{batch}/draft"), String::new()).await.unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = post(format!("/disclosure/batch/{batch}/draft"), format!("_csrf={csrf}")).await.unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let id = ducha_store::disclosure::versions(&fx.app.store, batch, "410928").await.unwrap()[0].id;
    let r = post(format!("/disclosure/{id}/publish"), format!("_csrf={csrf}")).await.unwrap();
    assert_eq!(
        r.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "publishing an unreviewed draft is refused on the page"
    );
    let r = page(&format!("/disclosure/{id}")).await.unwrap();
    let text = String::from_utf8(r.into_body().collect().await.unwrap().to_bytes().to_vec()).unwrap();
    assert!(text.contains("预览：该版本尚未发布"), "{text}");
    for step in ["review", "publish"] {
        let r = post(format!("/disclosure/{id}/{step}"), format!("_csrf={csrf}")).await.unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{step}");
    }
    assert_eq!(fx.raw("GET", "/gongkai/410928/batch/1/", None, None, "").await.status, StatusCode::OK);
    let r = post(format!("/disclosure/batch/{batch}/correct"), format!("_csrf={csrf}&note=%E6%94%B9"))
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "a correction without a real note is refused");
    // The gap dashboard.
    let r = page("/disclosure/gaps").await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let text = String::from_utf8(r.into_body().collect().await.unwrap().to_bytes().to_vec()).unwrap();
    assert!(text.contains("公开时限检查"), "{text}");
}

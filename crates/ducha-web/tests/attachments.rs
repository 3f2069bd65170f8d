//! Evidence attachments over HTTP (R5.4): upload by API and by the case page, judged by content,
//! size-limited, confined to the case's jurisdiction, downloaded as an attachment; the public copy of
//! an image has lost its EXIF location. Both backends.

#![allow(clippy::unwrap_used)]

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::*;
use ducha_app::Config;
use ducha_store::{Backend, followup, testing};

const BOUNDARY: &str = "ducha-test-boundary";

fn jpeg_with_exif() -> Vec<u8> {
    let mut v = vec![0xFF, 0xD8];
    let exif = b"Exif\0\0GPSLatitude=35.76N";
    v.extend_from_slice(&[0xFF, 0xE1]);
    v.extend_from_slice(&((exif.len() + 2) as u16).to_be_bytes());
    v.extend_from_slice(exif);
    v.extend_from_slice(&[0xFF, 0xDA, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3F, 0x00, 0x12, 0x34]);
    v.extend_from_slice(&[0xFF, 0xD9]);
    v
}

fn multipart(fields: &[(&str, &str)], file: Option<(&str, &[u8])>) -> Vec<u8> {
    let mut b = Vec::new();
    for (k, v) in fields {
        b.extend_from_slice(
            format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n").as_bytes(),
        );
    }
    if let Some((name, bytes)) = file {
        b.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        b.extend_from_slice(bytes);
        b.extend_from_slice(b"\r\n");
    }
    b.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    b
}

async fn upload(fx: &Fx, token: &str, case_id: i64, body: Vec<u8>) -> Resp {
    fx.send(
        Request::post(format!("/api/v1/cases/{case_id}/attachments"))
            .header("authorization", format!("Bearer {token}"))
            .header("content-type", format!("multipart/form-data; boundary={BOUNDARY}"))
            .body(Body::from(body))
            .unwrap(),
    )
    .await
}

async fn attachments(b: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let mut cfg = Config::for_tests();
    cfg.attachments_dir = dir.path().display().to_string();
    let fx = setup_cfg(b, cfg).await;
    let op = fx.token("op").await;
    let id = fx.intake(&op, "濮阳县柳屯镇东陈庄村塑料颗粒加工点晚上冒黑烟，气味刺鼻。").await;
    fx.route_down(id, "county-410928", "town-410928101").await;
    let liutun = fx.token("liutun").await;

    // R5.4: no metric counts attachments — the outcome figures before and after the uploads are equal.
    let city = fx.token("city").await;
    let metrics = |by: &'static str| {
        let fx = &fx;
        let city = city.clone();
        async move { fx.json("GET", &format!("/api/v1/metrics/outcomes{by}"), Some(&city), None).await.json }
    };
    let before = (metrics("").await, metrics("?by=unit").await);
    assert!(before.0.is_array() || before.0.is_object(), "{:?}", before.0);

    // A JPEG with a GPS position in its EXIF.
    let img = jpeg_with_exif();
    let r = upload(&fx, &liutun, id, multipart(&[], Some(("现场照片.jpg", &img)))).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let att = r.json["id"].as_i64().unwrap();
    assert_eq!(r.json["content_type"].as_str(), Some("image/jpeg"));
    assert!(r.json.get("stored_path").is_none(), "no storage path leaves the server");
    let row = followup::attachment(&fx.app.store, att).await.unwrap().unwrap();
    let public = std::fs::read(row.public_path.as_deref().unwrap()).unwrap();
    assert!(!String::from_utf8_lossy(&public).contains("GPSLatitude"), "public copy without EXIF");
    assert!(row.stored_path.starts_with(&dir.path().display().to_string()), "stored outside the database");

    // Judged by content, limited in size, and a form without a file is named.
    let r = upload(&fx, &liutun, id, multipart(&[], Some(("照片.jpg", b"<html>not an image</html>")))).await;
    assert_eq!(
        (r.status, r.json["error"]["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("file")),
        "{}",
        r.text
    );
    let big = vec![0xFFu8; 11 * 1024 * 1024];
    let r = upload(&fx, &liutun, id, multipart(&[], Some(("big.jpg", &big)))).await;
    assert!(
        matches!(r.status, StatusCode::BAD_REQUEST | StatusCode::PAYLOAD_TOO_LARGE),
        "{}: {}",
        r.status,
        r.text
    );
    assert!(r.json["error"]["code"].is_string(), "a stable code: {}", r.text);
    let r = upload(&fx, &liutun, id, multipart(&[("note", "x")], None)).await;
    assert_eq!(
        (r.status, r.json["error"]["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("file")),
        "{}",
        r.text
    );
    let r = fx
        .raw(
            "POST",
            &format!("/api/v1/cases/{id}/attachments"),
            Some(&liutun),
            Some("application/json"),
            "{}",
        )
        .await;
    assert_eq!(
        (r.status, r.json["error"]["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid_multipart")),
        "{}",
        r.text
    );

    assert_eq!((metrics("").await, metrics("?by=unit").await), before, "R5.4: attachments change no metric");

    // Listing and download within the jurisdiction only.
    let list = fx.json("GET", &format!("/api/v1/cases/{id}/attachments"), Some(&liutun), None).await;
    assert_eq!(list.json.as_array().unwrap().len(), 1, "refused uploads stored nothing: {}", list.text);
    let d = fx.raw("GET", &format!("/api/v1/attachments/{att}"), Some(&liutun), None, "").await;
    assert_eq!(d.status, StatusCode::OK);
    assert_eq!(d.headers["content-type"], "image/jpeg");
    assert!(d.headers["content-disposition"].to_str().unwrap().starts_with("attachment;"));
    assert_eq!(d.headers["x-content-type-options"], "nosniff");
    let wenliu = fx.token("wenliu").await;
    let county_hl = fx.token("county_hl").await;
    for t in [&wenliu, &county_hl] {
        assert_eq!(
            fx.raw("GET", &format!("/api/v1/attachments/{att}"), Some(t), None, "").await.status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            upload(&fx, t, id, multipart(&[], Some(("a.jpg", &img)))).await.status,
            StatusCode::NOT_FOUND
        );
    }

    // The case page: the list, the note that attachments are never required, and the form (CSRF).
    let s = login(&fx, "liutun").await;
    let page = s.get(&fx, &format!("/cases/{id}")).await.text;
    assert!(page.contains("现场照片.jpg") && page.contains("附件非必需，不作为考核依据"), "{page}");
    let send = |csrf: &str| {
        Request::post(format!("/cases/{id}/attachments"))
            .header("cookie", &s.cookie)
            .header("content-type", format!("multipart/form-data; boundary={BOUNDARY}"))
            .body(Body::from(multipart(&[("_csrf", csrf)], Some(("整改后.pdf", b"%PDF-1.4 test")))))
            .unwrap()
    };
    assert_eq!(fx.send(send("wrong")).await.status, StatusCode::FORBIDDEN);
    let r = fx.send(send(&s.csrf)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let page = s.get(&fx, &format!("/cases/{id}?done=attachment")).await.text;
    assert!(page.contains("整改后.pdf") && page.contains("附件已上传"), "{page}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn attachments_all_backends() {
    for b in testing::backends() {
        attachments(b).await;
    }
}

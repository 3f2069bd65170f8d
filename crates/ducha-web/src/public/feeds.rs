//! The public column's feeds (R2.5): RSS and Atom of published batches; and the column's stylesheet.

use super::*;

pub(super) struct FeedItem {
    pub(super) title: String,
    pub(super) link: String,
    pub(super) id: String,
    pub(super) text: String,
    pub(super) rfc2822: String,
    pub(super) rfc3339: String,
}

#[derive(Template)]
#[template(path = "gongkai/feed_rss.xml")]
pub(super) struct RssFeed {
    pub(super) title: String,
    pub(super) link: String,
    pub(super) self_link: String,
    pub(super) description: String,
    pub(super) updated_rfc2822: Option<String>,
    pub(super) items: Vec<FeedItem>,
}

#[derive(Template)]
#[template(path = "gongkai/feed_atom.xml")]
pub(super) struct AtomFeed {
    pub(super) title: String,
    pub(super) link: String,
    pub(super) self_link: String,
    pub(super) description: String,
    pub(super) author: String,
    pub(super) updated_rfc3339: String,
    pub(super) items: Vec<FeedItem>,
}

pub(super) fn feed(idx: &ColumnIndex, kind: FeedKind, base: &str) -> Result<Rendered, AppError> {
    let title = format!("{}边督边改信息公开", idx.column.name);
    let link = format!("{base}{}", home(&idx.column));
    let description = format!("{}交办群众信访举报件办理情况（文字+附表）", idx.column.name);
    let mut items: Vec<FeedItem> = idx
        .batches
        .iter()
        .map(|b| {
            let t = b.published_at.unwrap_or(b.doc.as_of);
            let link = format!("{base}{}", batch_link(&idx.column, b.doc.batch.number));
            let mut text = b.doc.summary.clone();
            if !b.note.is_empty() {
                text = format!("【更正说明】{} {text}", b.note);
            }
            // Every feed reader's parser must accept the document: no character XML forbids.
            let text = ducha_shield::inert::xml_text(&text).into_owned();
            FeedItem {
                title: if b.version > 1 {
                    format!(
                        "{}第{}批交办件边督边改情况（第{}版，已更正）",
                        idx.column.name, b.doc.batch.number, b.version
                    )
                } else {
                    format!("{}第{}批交办件边督边改情况", idx.column.name, b.doc.batch.number)
                },
                id: format!("{link}#v{}", b.version),
                link,
                text,
                rfc2822: t.to_rfc2822(),
                rfc3339: iso_cst(t),
            }
        })
        .collect();
    items.reverse();
    let updated = idx.last_published;
    match kind {
        FeedKind::Rss => RssFeed {
            self_link: format!("{link}feed.rss"),
            title,
            link,
            description,
            updated_rfc2822: updated.map(|t| t.to_rfc2822()),
            items,
        }
        .render()
        .map(|s| Rendered {
            body: s.into_bytes(),
            content_type: "application/rss+xml; charset=utf-8",
            filename: None,
        })
        .map_err(tpl),
        FeedKind::Atom => AtomFeed {
            self_link: format!("{link}feed.atom"),
            title,
            link,
            description,
            author: idx.column.name.clone(),
            updated_rfc3339: iso_cst(updated.unwrap_or(DateTime::<Utc>::UNIX_EPOCH)),
            items,
        }
        .render()
        .map(|s| Rendered {
            body: s.into_bytes(),
            content_type: "application/atom+xml; charset=utf-8",
            filename: None,
        })
        .map_err(tpl),
        FeedKind::Json => {
            let doc = serde_json::json!({
                "version": "https://jsonfeed.org/version/1.1",
                "title": title,
                "home_page_url": link,
                "feed_url": format!("{link}feed.json"),
                "description": description,
                "language": "zh-CN",
                "authors": [{ "name": idx.column.name }],
                "items": items.iter().map(|i| serde_json::json!({
                    "id": i.id,
                    "url": i.link,
                    "title": i.title,
                    "content_text": i.text,
                    "date_published": i.rfc3339,
                })).collect::<Vec<_>>(),
            });
            Ok(Rendered {
                body: serde_json::to_vec_pretty(&doc).map_err(|e| AppError::internal(e.to_string()))?,
                content_type: "application/feed+json; charset=utf-8",
                filename: None,
            })
        }
    }
}

/// `GET /static/gongkai.css`.
pub async fn css() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static("text/css; charset=utf-8")),
            (header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=3600")),
        ],
        include_str!("../../static/gongkai.css"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_paths() {
        use PublicPath::*;
        let c = |s: &str| Some("410928".to_owned()).filter(|_| s == "c");
        let table: &[(&str, Option<(&str, PublicPath)>)] = &[
            ("", Some(("", Index))),
            ("410928/", Some(("c", Index))),
            ("410928", Some(("c", AddSlash))),
            ("typical/", Some(("", Typical))),
            ("410928/accountability/", Some(("c", Accountability))),
            ("tv/", Some(("", TvDay))),
            ("tv", Some(("", AddSlash))),
            ("410928/tv.txt", Some(("c", TvDayTxt))),
            ("announcement.txt", Some(("", AnnouncementTxt))),
            ("feed.rss", Some(("", Feed(FeedKind::Rss)))),
            ("410928/feed.atom", Some(("c", Feed(FeedKind::Atom)))),
            ("feed.json", Some(("", Feed(FeedKind::Json)))),
            ("batch/3/", Some(("", Batch(3)))),
            ("batch/3", Some(("", AddSlash))),
            ("410928/batch/12.xlsx", Some(("c", BatchExport(12, Export::Xlsx)))),
            ("batch/12.csv", Some(("", BatchExport(12, Export::Csv)))),
            ("batch/12.json", Some(("", BatchExport(12, Export::Json)))),
            ("batch/2/tv/", Some(("", BatchTv(2)))),
            ("batch/2/tv.txt", Some(("", BatchTvTxt(2)))),
            ("410928/batch/2/share.txt", Some(("c", BatchShareTxt(2)))),
            ("batch/0/", None),
            ("batch/x/", None),
            ("batch/3.pdf", None),
            ("410928/nothing", None),
            ("../etc/passwd", None),
        ];
        for (path, expect) in table {
            let got = parse_path(path);
            let want = expect.clone().map(|(col, p)| (c(col), p));
            assert_eq!(got, want, "{path}");
        }
    }

    #[test]
    fn conditional_requests() {
        let c = Cached::new(
            vec![b'x'; 1000],
            "text/plain",
            Some(UNIX_EPOCH + Duration::from_secs(1_700_000_000)),
            None,
        );
        let h = |k: header::HeaderName, v: &str| {
            let mut m = HeaderMap::new();
            m.insert(k, HeaderValue::from_str(v).unwrap());
            m
        };
        assert_eq!(respond(&c, &HeaderMap::new()).status(), StatusCode::OK);
        assert_eq!(respond(&c, &h(header::IF_NONE_MATCH, &c.etag)).status(), StatusCode::NOT_MODIFIED);
        assert_eq!(respond(&c, &h(header::IF_NONE_MATCH, "\"other\"")).status(), StatusCode::OK);
        let lm = http_date(UNIX_EPOCH + Duration::from_secs(1_700_000_000));
        assert_eq!(respond(&c, &h(header::IF_MODIFIED_SINCE, &lm)).status(), StatusCode::NOT_MODIFIED);
        let earlier = http_date(UNIX_EPOCH + Duration::from_secs(1_600_000_000));
        assert_eq!(respond(&c, &h(header::IF_MODIFIED_SINCE, &earlier)).status(), StatusCode::OK);
        let gz = respond(&c, &h(header::ACCEPT_ENCODING, "gzip, br"));
        assert_eq!(gz.headers().get(header::CONTENT_ENCODING).unwrap(), "gzip");
        assert!(content_disposition("濮阳县第1批.xlsx").contains("filename*=UTF-8''%E6%BF%AE"));
    }
}

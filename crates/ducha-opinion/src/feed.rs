//! RSS 2.0 / RSS 1.0 / Atom / JSON Feed documents (parsed by `feed-rs`) into [`RawItem`]s.

use serde::Serialize;

use crate::OpinionError;
use crate::record::RawItem;

/// A parsed feed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ParsedFeed {
    /// `rss2`, `rss1`, `rss0`, `atom` or `json`.
    pub kind: &'static str,
    pub title: Option<String>,
    pub items: Vec<RawItem>,
    /// Entries left out (no title and no text), for the poll log.
    pub skipped: usize,
}

/// Parses a feed document. Anything that is not a well-formed feed is [`OpinionError::Feed`].
pub fn parse_feed(body: &[u8]) -> Result<ParsedFeed, OpinionError> {
    let feed = feed_rs::parser::Builder::new()
        .sanitize_content(false)
        .build()
        .parse(body)
        .map_err(|e| OpinionError::Feed(e.to_string()))?;
    let kind = match feed.feed_type {
        feed_rs::model::FeedType::Atom => "atom",
        feed_rs::model::FeedType::JSON => "json",
        feed_rs::model::FeedType::RSS0 => "rss0",
        feed_rs::model::FeedType::RSS1 => "rss1",
        feed_rs::model::FeedType::RSS2 => "rss2",
    };
    let title = feed.title.map(|t| crate::normalise::clean_text(&t.content)).filter(|t| !t.is_empty());
    let mut items = Vec::new();
    let mut skipped = 0;
    for e in feed.entries {
        let link = e
            .links
            .iter()
            .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
            .or(e.links.first())
            .map(|l| l.href.clone());
        let body = e
            .content
            .and_then(|c| c.body)
            .filter(|b| !b.trim().is_empty())
            .or_else(|| e.summary.map(|s| s.content));
        let raw = RawItem {
            external_id: Some(e.id).filter(|i| !i.is_empty()),
            url: link,
            title: e.title.map(|t| t.content),
            text: body.unwrap_or_default(),
            author: e.authors.into_iter().find_map(|p| p.name),
            outlet: title.clone(),
            platform: Some("feed".into()),
            published_at: e.published.or(e.updated),
            ..RawItem::default()
        };
        match raw.validated() {
            Ok(item) => items.push(item),
            Err(_) => skipped += 1,
        }
    }
    Ok(ParsedFeed { kind, title, items, skipped })
}

#[cfg(test)]
mod tests {
    use super::*;

    const RSS: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>濮阳身边事</title><link>https://example.cn/</link>
<item><title>柳屯镇塑料颗粒厂夜间偷排</title><link>https://example.cn/a/1?utm_source=rss</link>
<guid>a-1</guid><pubDate>Fri, 15 Dec 2023 06:05:00 GMT</pubDate>
<description><![CDATA[<p>濮阳县柳屯镇一家塑料颗粒厂晚上偷偷生产，<b>气味刺鼻</b>。</p>]]></description></item>
<item><title></title><description></description></item>
</channel></rss>"#;

    const ATOM: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>大河报·濮阳</title><id>urn:x</id><updated>2023-12-15T08:00:00+08:00</updated>
<entry><title>南乐县养猪场粪污直排</title><id>urn:e1</id><updated>2023-12-15T09:00:00+08:00</updated>
<link rel="alternate" href="https://news.example.cn/e1"/><author><name>记者 王某</name></author>
<content type="html">&lt;p&gt;河水发黑发臭，死鱼漂了一片。&lt;/p&gt;</content></entry></feed>"#;

    const JSON: &str = r#"{"version": "https://jsonfeed.org/version/1.1", "title": "濮阳网", "items": [
      {"id": "j1", "url": "https://pyw.example.cn/j1", "title": "范县工地扬尘", "content_text": "渣土车不苫盖，路上全是灰。", "date_published": "2023-12-15T10:00:00+08:00"}]}"#;

    #[test]
    fn r3_parses_rss_atom_and_json_feed() {
        let rss = parse_feed(RSS.as_bytes()).unwrap();
        assert_eq!(
            (rss.kind, rss.title.as_deref(), rss.items.len(), rss.skipped),
            ("rss2", Some("濮阳身边事"), 1, 1)
        );
        let it = &rss.items[0];
        assert_eq!(it.text, "濮阳县柳屯镇一家塑料颗粒厂晚上偷偷生产，气味刺鼻。");
        assert_eq!(it.external_id.as_deref(), Some("a-1"));
        assert_eq!(it.url.as_deref(), Some("https://example.cn/a/1?utm_source=rss"));
        assert_eq!(
            it.published_at.map(ducha_domain::time::iso_cst).as_deref(),
            Some("2023-12-15T14:05:00+08:00")
        );
        assert_eq!(it.outlet.as_deref(), Some("濮阳身边事"));

        let atom = parse_feed(ATOM.as_bytes()).unwrap();
        assert_eq!(atom.kind, "atom");
        assert_eq!(atom.items[0].text, "河水发黑发臭，死鱼漂了一片。");
        assert_eq!(atom.items[0].author.as_deref(), Some("记者 王某"));
        assert_eq!(atom.items[0].url.as_deref(), Some("https://news.example.cn/e1"));

        let json = parse_feed(JSON.as_bytes()).unwrap();
        assert_eq!(json.kind, "json");
        assert_eq!(json.items[0].title.as_deref(), Some("范县工地扬尘"));
    }

    #[test]
    fn r3_malformed_feeds_are_refused() {
        for bad in [
            "<rss><channel><item><title>断了",
            "<html><body>不是订阅源</body></html>",
            "{\"items\": 5}",
            "",
            "\u{0}\u{1}",
        ] {
            let e = parse_feed(bad.as_bytes()).unwrap_err();
            assert_eq!(e.code(), "feed_unparseable", "{bad}");
        }
    }
}

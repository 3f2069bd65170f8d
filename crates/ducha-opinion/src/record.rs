//! One opinion item as it arrives, and the JSONL / CSV exports it arrives in (Weibo posts, WeChat
//! articles, forum threads, news). Field names follow the common export tools, in English or Chinese.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::OpinionError;
use crate::normalise::clean_text;

/// The longest text kept for one item (characters).
pub const MAX_TEXT_CHARS: usize = 20_000;

/// An item as it arrived, before analysis.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RawItem {
    /// The publisher's id (feed guid, Weibo mid …).
    pub external_id: Option<String>,
    pub url: Option<String>,
    pub title: Option<String>,
    pub text: String,
    pub author: Option<String>,
    /// The outlet or account (人民日报, 濮阳发布, a blogger's name).
    pub outlet: Option<String>,
    /// weibo, wechat, douyin, forum, news, feed, manual …
    pub platform: Option<String>,
    pub published_at: Option<DateTime<Utc>>,
    pub reposts: i64,
    pub comments: i64,
    pub likes: i64,
    pub views: i64,
    /// Followers of the account, where known (reach).
    pub followers: i64,
}

impl RawItem {
    /// Title and text together, for analysis.
    pub fn full_text(&self) -> String {
        match self.title.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            Some(t) if !self.text.starts_with(t) => format!("{t}。{}", self.text),
            _ => self.text.clone(),
        }
    }

    /// Cleans every field and checks there is something to read.
    pub fn validated(mut self) -> Result<RawItem, String> {
        let clean_opt = |v: Option<String>| v.map(|s| clean_text(&s)).filter(|s| !s.is_empty());
        self.title = clean_opt(self.title);
        self.text = clean_text(&self.text);
        self.author = clean_opt(self.author);
        self.outlet = clean_opt(self.outlet);
        self.platform = clean_opt(self.platform).map(|p| p.to_lowercase());
        self.external_id = clean_opt(self.external_id);
        self.url = clean_opt(self.url);
        if self.text.is_empty() {
            match &self.title {
                Some(t) => self.text = t.clone(),
                None => return Err("没有正文或标题".into()),
            }
        }
        if self.text.chars().count() > MAX_TEXT_CHARS {
            return Err(format!("正文过长（超过{MAX_TEXT_CHARS}字）"));
        }
        for n in
            [&mut self.reposts, &mut self.comments, &mut self.likes, &mut self.views, &mut self.followers]
        {
            *n = (*n).max(0);
        }
        Ok(self)
    }
}

/// `1.2万`, `10万+`, `3,456`, `987` → a count.
pub fn parse_count(s: &str) -> Option<i64> {
    let t: String = s.trim().trim_end_matches('+').chars().filter(|c| *c != ',' && *c != '，').collect();
    if t.is_empty() {
        return Some(0);
    }
    let (num, mul) = if let Some(n) = t.strip_suffix('亿') {
        (n, 100_000_000.0)
    } else if let Some(n) =
        t.strip_suffix('万').or_else(|| t.strip_suffix('w').or_else(|| t.strip_suffix('W')))
    {
        (n, 10_000.0)
    } else if let Some(n) =
        t.strip_suffix('千').or_else(|| t.strip_suffix('k').or_else(|| t.strip_suffix('K')))
    {
        (n, 1_000.0)
    } else {
        (t.as_str(), 1.0)
    };
    let v: f64 = num.trim().parse().ok()?;
    (v.is_finite() && v >= 0.0).then(|| (v * mul).round() as i64)
}

/// An instant in the forms exports use: RFC 3339, `2023-12-15 14:05[:30]`, `2023/12/15 14:05`,
/// `2023年12月15日 14:05`, a bare date (Beijing time when no offset is given), or Unix seconds or
/// milliseconds.
pub fn parse_time(s: &str) -> Option<DateTime<Utc>> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&Utc));
    }
    if let Ok(t) = DateTime::parse_from_rfc2822(s) {
        return Some(t.with_timezone(&Utc));
    }
    if s.bytes().all(|b| b.is_ascii_digit()) {
        let n: i64 = s.parse().ok()?;
        return if n > 100_000_000_000 {
            DateTime::from_timestamp_millis(n)
        } else {
            DateTime::from_timestamp(n, 0)
        };
    }
    let norm = s.replace(['年', '月', '/'], "-").replace(['日', 'T'], " ");
    let norm = norm.split_whitespace().collect::<Vec<_>>().join(" ");
    for f in ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"] {
        if let Ok(t) = NaiveDateTime::parse_from_str(&norm, f) {
            return Some(ducha_domain::time::from_cst(t));
        }
    }
    NaiveDate::parse_from_str(&norm, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(ducha_domain::time::from_cst)
}

const TEXT: &[&str] = &["text", "content", "body", "正文", "内容", "微博正文", "文章内容"];
const TITLE: &[&str] = &["title", "标题", "文章标题"];
const URL: &[&str] = &["url", "link", "链接", "网址", "原文链接", "微博链接"];
const AUTHOR: &[&str] = &["author", "user", "screen_name", "nickname", "作者", "用户", "用户昵称", "发布者"];
const OUTLET: &[&str] = &["outlet", "source", "media", "account", "来源", "媒体", "公众号", "账号"];
const PLATFORM: &[&str] = &["platform", "平台", "渠道"];
const TIME: &[&str] = &["published_at", "created_at", "time", "date", "pubdate", "发布时间", "时间", "日期"];
const ID: &[&str] = &["id", "mid", "guid", "external_id", "编号"];
const REPOSTS: &[&str] = &["reposts", "reposts_count", "shares", "转发", "转发数"];
const COMMENTS: &[&str] = &["comments", "comments_count", "评论", "评论数"];
const LIKES: &[&str] = &["likes", "attitudes_count", "likes_count", "点赞", "点赞数"];
const VIEWS: &[&str] = &["views", "reads", "read_count", "阅读", "阅读数", "播放量"];
const FOLLOWERS: &[&str] = &["followers", "followers_count", "粉丝", "粉丝数"];

fn json_str(v: &serde_json::Value) -> Option<String> {
    match v {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn pick<'a>(get: &impl Fn(&str) -> Option<&'a str>, names: &[&str]) -> Option<String> {
    names.iter().find_map(|n| get(n)).map(str::to_owned).filter(|s| !s.trim().is_empty())
}

fn from_fields<'a>(get: impl Fn(&str) -> Option<&'a str>, line: usize) -> Result<RawItem, OpinionError> {
    let bad = |message: String| OpinionError::Record { line, message };
    let count = |names: &[&str]| -> Result<i64, OpinionError> {
        match pick(&get, names) {
            None => Ok(0),
            Some(s) => parse_count(&s).ok_or_else(|| bad(format!("“{}”不是有效的数字：{s}", names[0]))),
        }
    };
    let published_at = match pick(&get, TIME) {
        None => None,
        Some(s) => Some(parse_time(&s).ok_or_else(|| bad(format!("无法识别的发布时间：{s}")))?),
    };
    let item = RawItem {
        external_id: pick(&get, ID),
        url: pick(&get, URL),
        title: pick(&get, TITLE),
        text: pick(&get, TEXT).unwrap_or_default(),
        author: pick(&get, AUTHOR),
        outlet: pick(&get, OUTLET),
        platform: pick(&get, PLATFORM),
        published_at,
        reposts: count(REPOSTS)?,
        comments: count(COMMENTS)?,
        likes: count(LIKES)?,
        views: count(VIEWS)?,
        followers: count(FOLLOWERS)?,
    };
    item.validated().map_err(bad)
}

/// One JSON object (an API body or a JSONL line).
pub fn from_json(v: &serde_json::Value, line: usize) -> Result<RawItem, OpinionError> {
    let obj = v
        .as_object()
        .ok_or_else(|| OpinionError::Record { line, message: "应为一个 JSON 对象".into() })?;
    let owned: std::collections::HashMap<&str, String> =
        obj.iter().filter_map(|(k, v)| json_str(v).map(|s| (k.as_str(), s))).collect();
    // Weibo exports nest the account: {"user": {"screen_name": …, "followers_count": …}}.
    let user = obj.get("user").and_then(|u| u.as_object());
    let nested: std::collections::HashMap<&str, String> = user
        .map(|u| u.iter().filter_map(|(k, v)| json_str(v).map(|s| (k.as_str(), s))).collect())
        .unwrap_or_default();
    from_fields(|k| owned.get(k).or_else(|| nested.get(k)).map(String::as_str), line)
}

/// One JSONL line (1-based `line`); `Ok(None)` for blank lines and `#` comments.
pub fn parse_jsonl_line(text: &str, line: usize) -> Result<Option<RawItem>, OpinionError> {
    let t = text.trim().trim_start_matches('\u{feff}');
    if t.is_empty() || t.starts_with('#') {
        return Ok(None);
    }
    let v: serde_json::Value = serde_json::from_str(t)
        .map_err(|e| OpinionError::Record { line, message: format!("不是有效的 JSON：{e}") })?;
    from_json(&v, line).map(Some)
}

/// Every line of a JSONL export, each parsed on its own (a bad line does not stop the others).
pub fn parse_jsonl(text: &str) -> Vec<Result<RawItem, OpinionError>> {
    text.lines().enumerate().filter_map(|(i, l)| parse_jsonl_line(l, i + 1).transpose()).collect()
}

/// Every row of a CSV export with a header row (UTF-8, BOM allowed). A header without a text column
/// is an error for the whole file; a bad row is an error for that row only (numbered as in the file).
pub fn parse_csv(text: &str) -> Result<Vec<Result<RawItem, OpinionError>>, OpinionError> {
    let text = text.trim_start_matches('\u{feff}');
    let mut rdr = csv::ReaderBuilder::new().flexible(true).trim(csv::Trim::All).from_reader(text.as_bytes());
    let headers: Vec<String> = rdr
        .headers()
        .map_err(|e| OpinionError::Record { line: 1, message: format!("CSV 表头无法读取：{e}") })?
        .iter()
        .map(|h| h.trim().to_lowercase())
        .collect();
    if !headers.iter().any(|h| TEXT.contains(&h.as_str()) || TITLE.contains(&h.as_str())) {
        return Err(OpinionError::MissingColumn("text".into()));
    }
    let mut out = Vec::new();
    for (i, rec) in rdr.records().enumerate() {
        let line = rec.as_ref().ok().and_then(|r| r.position()).map(|p| p.line() as usize).unwrap_or(i + 2);
        match rec {
            Err(e) => {
                out.push(Err(OpinionError::Record { line, message: format!("CSV 行无法读取：{e}") }))
            }
            Ok(r) => {
                let get = |k: &str| headers.iter().position(|h| h == k).and_then(|j| r.get(j));
                out.push(from_fields(get, line));
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_in_chinese_forms() {
        for (s, n) in [
            ("987", Some(987)),
            ("1.2万", Some(12_000)),
            ("10万+", Some(100_000)),
            ("3,456", Some(3456)),
            ("", Some(0)),
            ("2亿", Some(200_000_000)),
            ("5k", Some(5000)),
            ("很多", None),
            ("-3", None),
        ] {
            assert_eq!(parse_count(s), n, "{s}");
        }
    }

    #[test]
    fn times_in_export_forms() {
        let want = DateTime::parse_from_rfc3339("2023-12-15T14:05:00+08:00").unwrap().with_timezone(&Utc);
        for s in [
            "2023-12-15T14:05:00+08:00",
            "2023-12-15 14:05",
            "2023/12/15 14:05:00",
            "2023年12月15日 14:05",
            "1702620300",
            "1702620300000",
            "Fri, 15 Dec 2023 06:05:00 GMT",
        ] {
            assert_eq!(parse_time(s), Some(want), "{s}");
        }
        assert_eq!(
            parse_time("2023-12-15").map(ducha_domain::time::iso_cst).as_deref(),
            Some("2023-12-15T00:00:00+08:00")
        );
        assert_eq!(parse_time("昨天"), None);
    }

    #[test]
    fn jsonl_lines_with_english_chinese_and_nested_fields() {
        let text = r#"
# a comment
{"mid": "49001", "text": "<p>濮阳县柳屯镇砖厂冒黑烟</p>", "created_at": "2023-12-15 09:30", "reposts_count": "1.5万", "user": {"screen_name": "濮阳身边事", "followers_count": 230000}}
{"标题": "南乐县一养猪场粪污直排", "内容": "河水发黑发臭", "来源": "大河报", "点赞数": "120", "平台": "News"}
{"text": ""}
not json
{"text": "范县扬尘", "time": "明天"}
"#;
        let out = parse_jsonl(text);
        assert_eq!(out.len(), 5);
        let a = out[0].as_ref().unwrap();
        assert_eq!(a.text, "濮阳县柳屯镇砖厂冒黑烟");
        assert_eq!(a.reposts, 15_000);
        assert_eq!(a.author.as_deref(), Some("濮阳身边事"));
        assert_eq!(a.followers, 230_000);
        assert_eq!(a.external_id.as_deref(), Some("49001"));
        let b = out[1].as_ref().unwrap();
        assert_eq!(
            (b.title.as_deref(), b.outlet.as_deref(), b.likes),
            (Some("南乐县一养猪场粪污直排"), Some("大河报"), 120)
        );
        assert_eq!(b.platform.as_deref(), Some("news"));
        assert_eq!(b.full_text(), "南乐县一养猪场粪污直排。河水发黑发臭");
        assert!(matches!(&out[2], Err(OpinionError::Record { line: 5, .. })));
        assert!(matches!(&out[3], Err(OpinionError::Record { line: 6, .. })));
        assert!(
            matches!(&out[4], Err(OpinionError::Record { line: 7, message }) if message.contains("发布时间"))
        );
    }

    #[test]
    fn csv_with_bom_chinese_headers_and_bad_rows() {
        let text = "\u{feff}标题,正文,链接,发布时间,转发数\n砖厂,柳屯镇砖厂冒黑烟,https://a.cn/1,2023-12-15 10:00,3\n,,,,\n扬尘,\"工地扬尘，渣土车不苫盖\",,2023-12-15,abc\n";
        let out = parse_csv(text).unwrap();
        assert_eq!(out.len(), 3);
        assert_eq!(out[0].as_ref().unwrap().url.as_deref(), Some("https://a.cn/1"));
        assert_eq!(out[1].as_ref().unwrap_err().code(), "record_invalid");
        assert!(matches!(&out[2], Err(OpinionError::Record { line: 4, .. })));
        assert_eq!(parse_csv("a,b\n1,2\n").unwrap_err(), OpinionError::MissingColumn("text".into()));
    }
}

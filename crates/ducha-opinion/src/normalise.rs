//! Normalisation: what an item says once markup, tracking, repost wrappers and full-width forms are
//! gone, and the one URL it lives at.

use std::sync::LazyLock;

use regex::Regex;

/// Full-width digits, letters and the ideographic space to their ASCII forms; Chinese punctuation
/// (，。！) stays as people wrote it.
fn fold_char(c: char) -> char {
    match c {
        '\u{3000}' => ' ',
        '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    }
}

/// Markup and entities out, full-width digits and letters folded, zero-width characters dropped, runs of
/// whitespace collapsed to one space.
pub fn clean_text(s: &str) -> String {
    let without_tags = strip_tags(s);
    let decoded = decode_entities(&without_tags);
    let mut out = String::with_capacity(decoded.len());
    let mut space = false;
    for c in decoded.chars() {
        let c = fold_char(c);
        if matches!(c, '\u{200B}'..='\u{200D}' | '\u{FEFF}' | '\u{00AD}') {
            continue;
        }
        if c.is_whitespace() {
            space = true;
            continue;
        }
        if space && !out.is_empty() {
            out.push(' ');
        }
        space = false;
        out.push(c);
    }
    out
}

/// Removes `<...>` tags (and the content of `<script>`/`<style>`), turning block ends into spaces.
fn strip_tags(s: &str) -> String {
    if !s.contains('<') {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        let after = &rest[open..];
        let Some(close) = after.find('>') else {
            // A lone '<' is text.
            out.push_str(after);
            rest = "";
            break;
        };
        let tag = after[1..close].trim_start_matches('/').to_ascii_lowercase();
        let name: String = tag.chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
        if name.is_empty() && !after[1..close].starts_with('!') && !after[1..close].starts_with('/') {
            // Not a tag (e.g. "a<b"): keep the '<'.
            out.push('<');
            rest = &after[1..];
            continue;
        }
        rest = &after[close + 1..];
        if (name == "script" || name == "style") && !after[1..].starts_with('/') {
            let end = format!("</{name}");
            match rest.to_ascii_lowercase().find(&end) {
                Some(i) => {
                    rest = &rest[i..];
                    if let Some(c) = rest.find('>') {
                        rest = &rest[c + 1..];
                    }
                }
                None => rest = "",
            }
        }
        if matches!(name.as_str(), "br" | "p" | "div" | "li" | "tr" | "h1" | "h2" | "h3" | "h4" | "td") {
            out.push(' ');
        }
    }
    out.push_str(rest);
    out
}

fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let after = &rest[i..];
        let end = after.find(';').filter(|&e| e <= 10);
        let decoded = end.and_then(|e| {
            let name = &after[1..e];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some(' '),
                "ldquo" => Some('“'),
                "rdquo" => Some('”'),
                "hellip" => Some('…'),
                "mdash" => Some('—'),
                _ => {
                    if let Some(hex) = name.strip_prefix("#x").or_else(|| name.strip_prefix("#X")) {
                        u32::from_str_radix(hex, 16).ok().and_then(char::from_u32)
                    } else if let Some(dec) = name.strip_prefix('#') {
                        dec.parse::<u32>().ok().and_then(char::from_u32)
                    } else {
                        None
                    }
                }
            };
            c.map(|c| (c, e))
        });
        match decoded {
            Some((c, e)) => {
                out.push(c);
                rest = &after[e + 1..];
            }
            None => {
                out.push('&');
                rest = &after[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

static URLS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"https?://[^\s\p{Han}，。！？；、“”）)]+").expect("valid regex"));
static MENTIONS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"@[\p{Han}\w\-]{1,30}").expect("valid regex"));
static EMOTICONS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\[[\p{Han}a-zA-Z]{1,6}\]").expect("valid regex"));
static REPOST_SPLIT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"//\s*@[^:：]{1,30}[:：]").expect("valid regex"));
static REPOST_PREFIX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:转发微博|轉發微博|转发|【转】|\[转\]|转载[:：]?|转自[^，,。\s]{0,20}[:：，,]?|原标题[:：])\s*",
    )
    .expect("valid regex")
});

/// The words of a post without links, @mentions and emoticons (`[怒]`), `#` of hashtags removed.
pub fn strip_noise(s: &str) -> String {
    let s = URLS.replace_all(s, " ");
    let s = REPOST_SPLIT.replace_all(&s, " // ");
    let s = MENTIONS.replace_all(&s, " ");
    let s = EMOTICONS.replace_all(&s, " ");
    let s = s.replace('#', " ");
    clean_text(&s)
}

/// The original words of a repost: a Weibo chain `评论//@甲:评论//@乙:原文` keeps its longest segment,
/// and wrappers such as `转发微博`, `【转】`, `原标题：` are dropped.
pub fn core_text(s: &str) -> String {
    let cleaned = clean_text(s);
    let segments: Vec<&str> = REPOST_SPLIT.split(&cleaned).collect();
    let longest = segments.iter().max_by_key(|seg| seg.chars().count()).copied().unwrap_or("");
    let mut t = strip_noise(longest);
    loop {
        let next = REPOST_PREFIX.replace(&t, "").into_owned();
        if next == t {
            break;
        }
        t = next;
    }
    t.trim().to_owned()
}

/// The canonical URLs a text links to (a repost often carries its original's link).
pub fn linked_urls(text: &str) -> Vec<String> {
    let mut out: Vec<String> = URLS.find_iter(text).filter_map(|m| canonical_url(m.as_str())).collect();
    out.dedup();
    out
}

/// Query parameters that only track who shared a link.
const TRACKING: &[&str] = &[
    "from",
    "spm",
    "scene",
    "share",
    "share_token",
    "share_source",
    "share_medium",
    "sharer",
    "isappinstalled",
    "clicktime",
    "timestamp",
    "wfr",
    "enterid",
    "subscene",
    "sessionid",
    "ref",
    "referer",
    "source",
    "fbclid",
    "gclid",
    "vd_source",
    "share_from",
    "sharesource",
    "winzoom",
    "ivk_sa",
    "dt_dapp",
    "sudaref",
    "display",
    "retcode",
];

/// The one URL an item lives at: http(s) only, host lower-cased, default port, fragment and tracking
/// parameters removed, remaining parameters sorted. `None` when the text is not an http(s) URL.
pub fn canonical_url(s: &str) -> Option<String> {
    let mut u = url::Url::parse(s.trim()).ok()?;
    if !matches!(u.scheme(), "http" | "https") || u.host_str().is_none_or(str::is_empty) {
        return None;
    }
    u.set_fragment(None);
    let mut pairs: Vec<(String, String)> = u
        .query_pairs()
        .filter(|(k, _)| {
            let k = k.to_ascii_lowercase();
            !k.starts_with("utm_") && !TRACKING.contains(&k.as_str())
        })
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    pairs.sort();
    if pairs.is_empty() {
        u.set_query(None);
    } else {
        u.query_pairs_mut().clear().extend_pairs(pairs);
    }
    let mut out = u.to_string();
    if out.ends_with('/') && u.path() != "/" && u.query().is_none() {
        out.pop();
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cleans_markup_entities_and_width() {
        assert_eq!(
            clean_text("<p>濮阳县&nbsp;柳屯镇</p><script>var x=1;</script><b>砖厂</b>冒黑烟&amp;粉尘１２"),
            "濮阳县 柳屯镇 砖厂冒黑烟&粉尘12"
        );
        assert_eq!(clean_text("3 < 5，好"), "3 < 5，好");
        assert_eq!(clean_text("价格 &lt; 10 &#x4E2D;&#25991;"), "价格 < 10 中文");
        assert_eq!(clean_text("  多个\n\n空白\t字符  "), "多个 空白 字符");
    }

    #[test]
    fn reposts_keep_their_original_words() {
        let repost = "太过分了[怒] //@濮阳身边事:转发微博 //@某网友:柳屯镇塑料颗粒厂晚上偷偷生产，气味刺鼻 http://t.cn/abc";
        assert_eq!(core_text(repost), "柳屯镇塑料颗粒厂晚上偷偷生产，气味刺鼻");
        assert_eq!(core_text("【转】原标题：濮阳一砖厂冒黑烟 #环保督察#"), "濮阳一砖厂冒黑烟 环保督察");
        assert_eq!(strip_noise("@濮阳发布 请关注 [哭] https://x.cn/a?b=1 谢谢"), "请关注 谢谢");
    }

    #[test]
    fn canonical_urls() {
        let check = |a: &str, b: Option<&str>| assert_eq!(canonical_url(a).as_deref(), b, "{a}");
        check(
            "HTTPS://Weibo.COM/123/Abc?utm_source=wx&from=singlemessage&id=9#comment",
            Some("https://weibo.com/123/Abc?id=9"),
        );
        check("http://news.example.cn:80/a/b/", Some("http://news.example.cn/a/b"));
        check(
            "https://mp.weixin.qq.com/s?__biz=MzA&mid=2&scene=21#wechat_redirect",
            Some("https://mp.weixin.qq.com/s?__biz=MzA&mid=2"),
        );
        check("https://example.cn/", Some("https://example.cn/"));
        check("ftp://example.cn/x", None);
        check("不是网址", None);
    }
}

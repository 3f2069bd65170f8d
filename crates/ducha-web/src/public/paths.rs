//! The public column's URL layout: which batch, campaign and format a path names.

/// What a `/gongkai/…` path asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PublicPath {
    Index,
    Typical,
    Accountability,
    TvDay,
    TvDayTxt,
    AnnouncementTxt,
    Feed(FeedKind),
    Batch(i64),
    BatchExport(i64, Export),
    BatchTv(i64),
    BatchTvTxt(i64),
    BatchShareTxt(i64),
    /// A path that only lacks its trailing slash.
    AddSlash,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeedKind {
    Rss,
    Atom,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Export {
    Xlsx,
    Csv,
    Json,
}

/// `rest` is the path after `/gongkai/`. Returns the county code (None: city) and the resource.
pub fn parse_path(rest: &str) -> Option<(Option<String>, PublicPath)> {
    let mut segs: Vec<&str> = rest.split('/').collect();
    let county = match segs.first() {
        Some(s) if !s.is_empty() && s.len() <= 12 && s.bytes().all(|b| b.is_ascii_digit()) => {
            let c = (*s).to_owned();
            segs.remove(0);
            if segs.is_empty() {
                return Some((Some(c), PublicPath::AddSlash));
            }
            Some(c)
        }
        _ => None,
    };
    let num = |s: &str| s.parse::<i64>().ok().filter(|n| *n > 0 && *n < 100_000);
    use PublicPath::*;
    let p = match segs.as_slice() {
        [] | [""] => Index,
        ["typical", ""] => Typical,
        ["accountability", ""] => Accountability,
        ["tv", ""] => TvDay,
        ["typical"] | ["accountability"] | ["tv"] => AddSlash,
        ["tv.txt"] => TvDayTxt,
        ["announcement.txt"] => AnnouncementTxt,
        ["feed.rss"] | ["rss.xml"] => Feed(FeedKind::Rss),
        ["feed.atom"] | ["atom.xml"] => Feed(FeedKind::Atom),
        ["feed.json"] => Feed(FeedKind::Json),
        ["batch", n, ""] => Batch(num(n)?),
        ["batch", n, "tv", ""] => BatchTv(num(n)?),
        ["batch", n, "tv"] => {
            num(n)?;
            AddSlash
        }
        ["batch", n, "tv.txt"] => BatchTvTxt(num(n)?),
        ["batch", n, "share.txt"] => BatchShareTxt(num(n)?),
        ["batch", file] => match file.rsplit_once('.') {
            Some((n, "xlsx")) => BatchExport(num(n)?, Export::Xlsx),
            Some((n, "csv")) => BatchExport(num(n)?, Export::Csv),
            Some((n, "json")) => BatchExport(num(n)?, Export::Json),
            None => {
                num(file)?;
                AddSlash
            }
            _ => return None,
        },
        _ => return None,
    };
    Some((county, p))
}

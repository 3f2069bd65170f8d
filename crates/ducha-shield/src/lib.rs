//! The identity firewall (环境保护法 art. 57: a complainant's identity is confidential).
//!
//! Every string that leaves the identity boundary — any public output, any staff view of a role that
//! may not read identities, any notification, the audit chain — passes [`Shield::screen`], whatever
//! field it came from and whoever typed it. The result is a [`Screened`] text, which only this crate can
//! make; a view type that holds free text for such a reader holds it as [`Screened`], so it cannot be
//! filled without the firewall.
//!
//! A [`Shield`] knows whom to protect: it is built from the case's own sealed identity ([`Identity`]:
//! name, phone, ID number, address, e-mail, chat handle) and matches it however it is written
//! (see [`norm`]: other scripts, invisible characters, Chinese numerals, separators, reversed runs, spaced
//! names). Beyond the known identity it finds phones, ID numbers, e-mails, chat handles, dwelling
//! addresses, personal names (with or without a lead-in, compound surnames, private persons named as the
//! polluter) and a complainant placing himself in a village or community ([`PiiKind`]).
//!
//! Replacement convention, one per kind, readable and obviously redacted, chosen so that a second pass
//! changes nothing (idempotent):
//!
//! | kind | example in | out |
//! |---|---|---|
//! | a person's name (record, 我叫…, 举报人：…, 王建国反映, 李二狗家开的, signature, 王某某) | 王建国 | 某某 |
//! | surname + honorific, 老X, 姓X | 王先生 / 李师傅 / 老王 / 姓王的 | 某先生 / 某师傅 / 某某 / 姓某的 |
//! | phone (mobile, landline, any script or separators, masked) | 138 0393 0123 | 【电话】 |
//! | ID-card number (18 digits with checksum or a birth date, 15 digits, masked) | 41092819… | 【身份证号】 |
//! | e-mail (also `wang AT 163 dot com`) | a@b.cn | 【邮箱】 |
//! | QQ / WeChat / Douyin handle, @user, a poster's user name | 微信：wjg_1980 | 微信：【账号】 |
//! | dwelling detail (小区/号楼/单元/室/号院/村N组/门牌) | 幸福小区3号楼2单元501 | 【住址】 |
//! | the complainant's own village or community, when not the source's place | 我是马呼屯社区居民 | 我是某社区居民 |
//!
//! Kept on purpose: enterprise, shop, road, village, township and county names that locate the
//! source; public numbers (12345, 12369, 400/800 numbers, hotlines named as such); dates, amounts,
//! credit codes. The output never holds invisible or control characters (so every XML and feed document
//! built from it is well-formed); [`inert`] makes export cells safe for spreadsheets.

mod detect;
pub mod eval;
pub mod inert;
pub mod names;
pub mod norm;
#[cfg(feature = "testing")]
pub mod testing;

use serde::{Deserialize, Serialize};

use detect::{Hit, Known};
pub use norm::Norm;

/// What the case recorded about the complainant (any field may be missing).
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Identity {
    pub name: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
    pub id_number: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    /// A chat or social-media handle (WeChat, QQ, Douyin) the complainant gave.
    #[serde(default)]
    pub handle: Option<String>,
}

impl std::fmt::Debug for Identity {
    // Which fields are known, never their values.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let k = |o: &Option<String>| o.as_ref().map(|_| "…");
        f.debug_struct("Identity")
            .field("name", &k(&self.name))
            .field("phone", &k(&self.phone))
            .field("address", &k(&self.address))
            .field("id_number", &k(&self.id_number))
            .field("email", &k(&self.email))
            .field("handle", &k(&self.handle))
            .finish()
    }
}

/// Kind of a removed span.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PiiKind {
    Name,
    Phone,
    IdNumber,
    Email,
    Account,
    Address,
    /// The complainant's own village or community.
    Residence,
}

impl PiiKind {
    pub fn token(self) -> &'static str {
        match self {
            PiiKind::Name => "某某",
            PiiKind::Phone => "【电话】",
            PiiKind::IdNumber => "【身份证号】",
            PiiKind::Email => "【邮箱】",
            PiiKind::Account => "【账号】",
            PiiKind::Address => "【住址】",
            PiiKind::Residence => "某村",
        }
    }

    /// What it is, for people: `姓名`, `电话号码` …
    pub fn label(self) -> &'static str {
        match self {
            PiiKind::Name => "姓名",
            PiiKind::Phone => "电话号码",
            PiiKind::IdNumber => "身份证号",
            PiiKind::Email => "电子邮箱",
            PiiKind::Account => "聊天或网络账号",
            PiiKind::Address => "住址门牌",
            PiiKind::Residence => "举报人所住村（社区）",
        }
    }
}

/// One removed span, as byte offsets into the ORIGINAL text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RedactedSpan {
    pub kind: PiiKind,
    pub start: usize,
    pub end: usize,
}

/// The redacted text and what was removed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Redacted {
    pub text: String,
    pub spans: Vec<RedactedSpan>,
    /// The same text as [`Screened`], when this crate made the value (never when deserialised).
    #[serde(skip)]
    screened: Option<Screened>,
}

impl Redacted {
    /// The text as [`Screened`], without screening it again: only for a value the firewall made.
    pub fn screened(&self) -> Option<&Screened> {
        self.screened.as_ref()
    }
}

/// What the firewall found in a text, shown to staff without the identity itself: the kind and the
/// screened text around it (`…已电话联系举报人某某（【电话】）…`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub kind: PiiKind,
    pub label: String,
    /// Up to a dozen screened characters either side of the replacement.
    pub context: String,
}

/// A text that has passed the firewall: safe for the public and for every staff role. Only
/// [`Shield::screen`] (and [`Screened::fixed`] for text written in the code) makes one; read back from
/// storage it is screened again.
#[derive(Clone, PartialEq, Eq, Hash, Default, Serialize, PartialOrd, Ord)]
#[serde(transparent)]
pub struct Screened(String);

impl Screened {
    /// Text written in the program itself (a fixed phrase, never input).
    pub fn fixed(s: &'static str) -> Screened {
        Screened(s.to_owned())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// At most `n` characters, with `…` when cut.
    pub fn excerpt(&self, n: usize) -> Screened {
        if self.0.chars().count() <= n {
            return self.clone();
        }
        let mut s: String = self.0.chars().take(n).collect();
        s.push('…');
        Screened(s)
    }

    /// Two screened texts joined by a fixed separator.
    pub fn join(parts: &[Screened], sep: &'static str) -> Screened {
        Screened(parts.iter().map(|p| p.0.as_str()).collect::<Vec<_>>().join(sep))
    }
}

impl std::fmt::Display for Screened {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::fmt::Debug for Screened {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&self.0, f)
    }
}

impl AsRef<str> for Screened {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl<'de> Deserialize<'de> for Screened {
    /// Stored screened text is screened once more on the way in (the firewall is idempotent; its
    /// general rules may know more than when the text was stored).
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Ok(Shield::none().screen(&s))
    }
}

/// The firewall for one case's texts (or, with [`Shield::none`], for text tied to no case).
#[derive(Clone, Default)]
pub struct Shield {
    known: Known,
    public_numbers: Vec<String>,
    /// Leave personal names (and residences) alone: for text whose purpose is to name people who are
    /// not complainants (a discipline report about the team's own members).
    keep_names: bool,
}

impl std::fmt::Debug for Shield {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Shield").finish_non_exhaustive()
    }
}

impl Shield {
    /// A shield that knows the case's own identity.
    pub fn new(identity: &Identity) -> Shield {
        Shield { known: Known::new(identity), public_numbers: Vec::new(), keep_names: false }
    }

    /// A shield for text tied to no recorded identity: the general rules only.
    pub fn none() -> Shield {
        Shield::default()
    }

    /// The same shield, hiding contact data (phones, ID numbers, e-mails, handles, dwelling details) but
    /// not personal names: for R6 discipline reports, which exist to name the team member concerned.
    pub fn keeping_names(mut self) -> Shield {
        self.keep_names = true;
        self
    }

    /// Numbers that are public and stay (the campaign's hotlines, an office's telephone).
    pub fn with_public_numbers<I: IntoIterator<Item = S>, S: AsRef<str>>(mut self, numbers: I) -> Shield {
        for n in numbers {
            let d: String = Norm::new(n.as_ref()).text().chars().filter(char::is_ascii_digit).collect();
            if d.len() >= 10 && d.starts_with('0') {
                // The local number alone (8991369 of 0393-8991369) is the same public line.
                let area = if matches!(d.as_bytes().get(1), Some(b'1' | b'2')) { 3 } else { 4 };
                self.public_numbers.push(d[area..].to_owned());
            }
            if d.len() >= 5 {
                self.public_numbers.push(d);
            }
        }
        self
    }

    fn hits(&self, norm: &Norm) -> Vec<Hit> {
        let mut hits = detect::detect(norm, &self.known, &self.public_numbers);
        if self.keep_names {
            hits.retain(|h| !matches!(h.kind, PiiKind::Name | PiiKind::Residence));
        }
        // Longest first at each start; a hit overlapping an earlier kept one extends it, so nothing
        // private is left half-covered.
        hits.sort_by(|a, b| a.start.cmp(&b.start).then(b.end.cmp(&a.end)));
        let mut kept: Vec<Hit> = Vec::with_capacity(hits.len());
        for h in hits {
            match kept.last_mut() {
                Some(last) if h.start < last.end => {
                    if h.end > last.end {
                        last.end = h.end;
                        if h.kind != PiiKind::Name && h.kind != PiiKind::Residence {
                            last.kind = h.kind;
                            last.replacement = h.kind.token().into();
                        }
                    }
                }
                _ => kept.push(h),
            }
        }
        kept
    }

    /// The text with every identifying span replaced and invisible characters removed, and the spans.
    /// The output is written in display order: a right-to-left override run comes out as it was shown.
    pub fn redact(&self, text: &str) -> Redacted {
        let norm = Norm::new(text);
        let hits = self.hits(&norm);
        let shown = norm.shown();
        let mut out = String::with_capacity(text.len());
        let mut spans = Vec::with_capacity(hits.len());
        let mut pos = 0;
        let clean = |out: &mut String, from: usize, to: usize| {
            out.extend(shown[from..to].iter().map(|c| c.c).filter(|c| !norm::is_invisible(*c)));
        };
        for h in hits {
            let (a, b) = norm.shown_range(h.start, h.end);
            if a < pos || b <= a {
                continue;
            }
            let written: String = shown[a..b].iter().map(|c| c.c).collect();
            if written == h.replacement {
                continue;
            }
            clean(&mut out, pos, a);
            out.push_str(&h.replacement);
            let (s, e) = norm.original_range(h.start, h.end);
            spans.push(RedactedSpan { kind: h.kind, start: s, end: e });
            pos = b;
        }
        clean(&mut out, pos, shown.len());
        Redacted { screened: Some(Screened(out.clone())), text: out, spans }
    }

    /// The text, passed through the firewall.
    pub fn screen(&self, text: &str) -> Screened {
        Screened(self.redact(text).text)
    }

    /// A poster's user name or handle on its own (an opinion item's author): a government, media or
    /// company account stays; a private person's becomes `【账号】`.
    pub fn screen_handle(&self, handle: &str) -> Screened {
        let h = handle.trim();
        if h.is_empty() || detect::is_institution(h) {
            self.screen(h)
        } else {
            Screened(PiiKind::Account.token().to_owned())
        }
    }

    /// Several short texts screened in one pass (the string leaves of a JSON value): joined by a line
    /// that no detector reads across, screened, split again; texts are screened one by one if the
    /// separator did not come back intact (a text holding it, say).
    pub fn screen_many(&self, texts: &[&str]) -> Vec<Screened> {
        const SEP: &str = "\n\u{2E3B}\n";
        if texts.len() < 2 || texts.iter().any(|t| t.contains('\u{2E3B}')) {
            return texts.iter().map(|t| self.screen(t)).collect();
        }
        let joined = self.screen(&texts.join(SEP));
        let parts: Vec<&str> = joined.as_str().split(SEP).collect();
        if parts.len() == texts.len() {
            parts.into_iter().map(|p| Screened(p.to_owned())).collect()
        } else {
            texts.iter().map(|t| self.screen(t)).collect()
        }
    }

    /// An optional text, screened; `None` stays `None`.
    pub fn screen_opt(&self, text: Option<&str>) -> Option<Screened> {
        text.map(|t| self.screen(t))
    }

    /// What the firewall would hide in `text`, described without the identity: for the warning a
    /// handler sees when saving a report and for the list an office sees before publishing.
    pub fn findings(&self, text: &str) -> Vec<Finding> {
        let norm = Norm::new(text);
        let hits = self.hits(&norm);
        if hits.is_empty() {
            return Vec::new();
        }
        let out = self.redact(text).text;
        // Each hit's replacement, found in order in the output.
        let mut found = Vec::with_capacity(hits.len());
        let mut from = 0usize;
        for h in hits {
            let Some(rel) = out[from..].find(h.replacement.as_str()) else { continue };
            let at = from + rel;
            let end = at + h.replacement.len();
            let lo = detect::back(&out, at, 12);
            let hi = out[end..].char_indices().nth(12).map_or(out.len(), |(i, _)| end + i);
            let mut context = String::new();
            if lo > 0 {
                context.push('…');
            }
            context.push_str(&out[lo..hi]);
            if hi < out.len() {
                context.push('…');
            }
            found.push(Finding { kind: h.kind, label: h.kind.label().to_owned(), context });
            from = end;
        }
        found
    }
}

/// [`Shield::redact`] for a one-off text: the convenience form the triage pipeline uses.
pub fn redact(text: &str, known: &Identity) -> Redacted {
    Shield::new(known).redact(text)
}

/// Whether `c` is a CJK unified ideograph (the letters of Chinese names).
pub fn is_han(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2EBEF)
}

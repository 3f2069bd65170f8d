//! Rate limits on what anyone can send without logging in: password logins (`POST /login`,
//! `POST /api/v1/session`), public form posts (`POST /huifang/{token}`, `POST /jiandu`,
//! `POST /api/v1/discipline`) and Open311 POSTs.
//!
//! One token bucket per (kind, client): the client is the peer address `serve()` provides through
//! `ConnectInfo`, or — only when that peer is one of the configured `trusted_proxies` (a reverse
//! proxy such as nginx) — the right-most address of `X-Forwarded-For` that is not itself a trusted
//! proxy. A header from any other peer is ignored, so a client cannot pick its own bucket. Requests
//! without a peer address (in-process callers) share one bucket. Time is the app's clock,
//! so tests can move it. A limited request is refused before its handler runs — nothing is read or
//! stored — with 429, `Retry-After`, and the usual error shape (`rate_limited` in JSON, a Chinese page
//! elsewhere). Account lockout after repeated wrong passwords (`ducha_app::auth`) is separate and
//! still applies.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::Mutex;

use axum::extract::{ConnectInfo, FromRequestParts, OriginalUri};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use ducha_app::AppError;
use ducha_app::error::ErrorKind;

use crate::AppState;
use crate::error::{ApiError, PageError, wants_json};

/// Buckets not touched for this long are dropped when the table grows large.
const IDLE_MS: i64 = 10 * 60_000;
const MAX_BUCKETS: usize = 10_000;

/// Token buckets keyed by `kind:client`, and the proxies whose `X-Forwarded-For` names the client.
#[derive(Debug, Default)]
pub struct Limiter {
    buckets: Mutex<HashMap<String, Bucket>>,
    trusted: TrustedProxies,
}

/// The `trusted_proxies` setting, parsed: networks (`10.0.0.0/8`, `::1/128`, or a bare address).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<(IpAddr, u8)>);

impl TrustedProxies {
    /// Parses CIDR networks or addresses; the error names the bad entry (in Chinese).
    pub fn parse(list: &[String]) -> Result<TrustedProxies, String> {
        let mut nets = Vec::new();
        for entry in list {
            let e = entry.trim();
            let bad =
                || format!("trusted_proxies 中的“{e}”不是IP地址或CIDR网段（如 127.0.0.1/32、10.0.0.0/8）");
            let (addr, len) = match e.split_once('/') {
                Some((a, l)) => (a, Some(l.parse::<u8>().map_err(|_| bad())?)),
                None => (e, None),
            };
            let ip: IpAddr = addr.parse().map_err(|_| bad())?;
            let ip = ip.to_canonical();
            let max = if ip.is_ipv4() { 32 } else { 128 };
            let len = len.unwrap_or(max);
            if len > max {
                return Err(bad());
            }
            nets.push((ip, len));
        }
        Ok(TrustedProxies(nets))
    }

    /// Whether `ip` lies in one of the networks.
    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = ip.to_canonical();
        self.0.iter().any(|&(net, len)| match (net, ip) {
            (IpAddr::V4(n), IpAddr::V4(a)) => prefix_eq(&n.octets(), &a.octets(), len),
            (IpAddr::V6(n), IpAddr::V6(a)) => prefix_eq(&n.octets(), &a.octets(), len),
            _ => false,
        })
    }

    /// The client behind `peer`: `peer` itself unless it is trusted; else, walking `X-Forwarded-For`
    /// from the right (the hop nearest to us), the first address that is not trusted. An entry that
    /// is no address stops the walk at the last address known (the proxy that passed it on).
    pub fn client(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        let mut client = peer.to_canonical();
        if !self.contains(client) {
            return client;
        }
        let hops: Vec<&str> = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .collect();
        for hop in hops.iter().rev() {
            let Some(ip) = parse_hop(hop) else { return client };
            client = ip;
            if !self.contains(ip) {
                return ip;
            }
        }
        client
    }
}

fn prefix_eq(a: &[u8], b: &[u8], len: u8) -> bool {
    let full = usize::from(len / 8);
    let rest = len % 8;
    if a[..full] != b[..full] {
        return false;
    }
    rest == 0 || {
        let mask = 0xffu8 << (8 - rest);
        a[full] & mask == b[full] & mask
    }
}

/// One `X-Forwarded-For` entry: `1.2.3.4`, `2001:db8::1`, `1.2.3.4:5678` or `[2001:db8::1]:5678`.
fn parse_hop(hop: &str) -> Option<IpAddr> {
    if let Ok(ip) = hop.parse::<IpAddr>() {
        return Some(ip.to_canonical());
    }
    hop.parse::<SocketAddr>().ok().map(|s| s.ip().to_canonical())
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    at_ms: i64,
}

impl Limiter {
    /// A limiter that reads client addresses through the given trusted proxies.
    pub fn new(trusted: TrustedProxies) -> Limiter {
        Limiter { buckets: Mutex::default(), trusted }
    }

    /// A limiter for the app's configuration. `trusted_proxies` is checked when `ducha serve` starts
    /// ([`TrustedProxies::parse`]); a list that does not parse here trusts no proxy.
    pub fn for_config(cfg: &ducha_app::Config) -> Limiter {
        Limiter::new(TrustedProxies::parse(&cfg.trusted_proxies).unwrap_or_default())
    }

    /// The client a request is counted against (see the module documentation): an IP address, or
    /// `shared` for requests without a peer address.
    pub fn client_of(&self, ext: &axum::http::Extensions, headers: &HeaderMap) -> String {
        ext.get::<ConnectInfo<SocketAddr>>()
            .map(|c| self.trusted.client(c.0.ip(), headers).to_string())
            .unwrap_or_else(|| "shared".into())
    }

    /// Take one request for `key` at `per_minute` (also the burst size) at time `now_ms`. `Err`
    /// carries the whole seconds until the next request would be accepted.
    pub fn take(&self, key: &str, per_minute: u32, now_ms: i64) -> Result<(), u64> {
        let cap = f64::from(per_minute.max(1));
        let Ok(mut b) = self.buckets.lock() else { return Err(60) };
        if b.len() > MAX_BUCKETS {
            b.retain(|_, v| now_ms - v.at_ms < IDLE_MS);
        }
        let e = b.entry(key.to_owned()).or_insert(Bucket { tokens: cap, at_ms: now_ms });
        // A clock that went backwards refills nothing.
        let elapsed_ms = (now_ms - e.at_ms).max(0);
        #[allow(clippy::cast_precision_loss)]
        let refill = elapsed_ms as f64 * cap / 60_000.0;
        e.tokens = (e.tokens + refill).min(cap);
        e.at_ms = now_ms.max(e.at_ms);
        if e.tokens >= 1.0 {
            e.tokens -= 1.0;
            Ok(())
        } else {
            // Whole milliseconds first (so float noise cannot add a second), then whole seconds up.
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            let wait_ms = ((1.0 - e.tokens) * 60_000.0 / cap).round() as u64;
            Err(wait_ms.div_ceil(1000).max(1))
        }
    }

    /// [`Limiter::take`] as a yes/no.
    pub fn allow(&self, key: &str, per_minute: u32, now_ms: i64) -> bool {
        self.take(key, per_minute, now_ms).is_ok()
    }
}

/// The refusal: 429 with `Retry-After`, as JSON under `/api` or as a page.
#[derive(Debug)]
pub struct TooMany {
    pub retry_after_s: u64,
    pub json: bool,
}

impl TooMany {
    pub fn error(&self) -> AppError {
        AppError::new(
            ErrorKind::TooMany,
            "rate_limited",
            format!("请求过于频繁，请{}秒后再试；紧急情况请拨打举报电话", self.retry_after_s),
        )
    }
}

impl IntoResponse for TooMany {
    fn into_response(self) -> Response {
        let e = self.error();
        let mut r = if self.json { ApiError(e).into_response() } else { PageError(e).into_response() };
        r.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(self.retry_after_s));
        r
    }
}

/// Which limit a route draws on.
pub trait Kind {
    const NAME: &'static str;
    fn per_minute(cfg: &ducha_app::Config) -> u32;
}

/// Password logins (`login_rate_per_minute`).
#[derive(Debug)]
pub struct Login;

impl Kind for Login {
    const NAME: &'static str = "login";
    fn per_minute(cfg: &ducha_app::Config) -> u32 {
        cfg.login_rate_per_minute
    }
}

/// Anonymous public form posts (`public.post_rate_per_minute`).
#[derive(Debug)]
pub struct PublicPost;

impl Kind for PublicPost {
    const NAME: &'static str = "public_post";
    fn per_minute(cfg: &ducha_app::Config) -> u32 {
        cfg.public.post_rate_per_minute
    }
}

/// An extractor that takes one request from the client's bucket of kind `K`, or refuses with
/// [`TooMany`]. Put it first in a handler's arguments so a refused request does no other work.
#[derive(Debug)]
pub struct Throttle<K>(std::marker::PhantomData<K>);

impl<K: Kind + Send + Sync> FromRequestParts<AppState> for Throttle<K> {
    type Rejection = TooMany;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let key = format!("{}:{}", K::NAME, state.limiter.client_of(&parts.extensions, &parts.headers));
        match state.limiter.take(&key, K::per_minute(&state.app.cfg), state.app.now_ms()) {
            Ok(()) => Ok(Throttle(std::marker::PhantomData)),
            Err(retry_after_s) => {
                metrics::counter!("ducha_rate_limited_total", "kind" => K::NAME).increment(1);
                // Under `nest` the URI is stripped of its prefix; the original says `/api/…`.
                let path = parts
                    .extensions
                    .get::<OriginalUri>()
                    .map_or_else(|| parts.uri.path().to_owned(), |u| u.0.path().to_owned());
                Err(TooMany { retry_after_s, json: wants_json(&path, &parts.headers) })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_per_key_refill_with_time() {
        let l = Limiter::default();
        assert!((0..3).all(|_| l.allow("a", 3, 0)));
        assert_eq!(l.take("a", 3, 0), Err(20), "the fourth within a minute waits one refill (20 s)");
        assert!(l.allow("b", 3, 0), "another client has its own bucket");
        assert_eq!(l.take("a", 3, 19_000), Err(1), "almost refilled");
        assert!(l.allow("a", 3, 21_000), "one token back after 20 s");
        assert!(!l.allow("a", 3, 21_000));
        assert!(!l.allow("a", 3, 0), "a clock going backwards refills nothing");
        assert!((0..3).all(|_| l.allow("a", 3, 10 * 60_000)), "full again, but never above the burst");
        assert!(!l.allow("a", 3, 10 * 60_000));
    }

    fn xff(values: &[&str]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for v in values {
            h.append("x-forwarded-for", HeaderValue::from_str(v).unwrap());
        }
        h
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn forwarded_for_is_read_only_from_trusted_proxies() {
        let t = TrustedProxies::parse(&["127.0.0.1".into(), "10.0.0.0/8".into(), "::1/128".into()]).unwrap();
        // A spoofed header from an untrusted peer is ignored: the peer is the client.
        assert_eq!(t.client(ip("203.0.113.7"), &xff(&["198.51.100.1"])), ip("203.0.113.7"));
        assert_eq!(t.client(ip("11.0.0.1"), &xff(&["10.0.0.5"])), ip("11.0.0.1"));
        // Behind nginx: the address nginx appended.
        assert_eq!(t.client(ip("127.0.0.1"), &xff(&["198.51.100.1"])), ip("198.51.100.1"));
        // A client that sends its own header cannot choose its bucket: the right-most untrusted wins.
        assert_eq!(t.client(ip("127.0.0.1"), &xff(&["1.1.1.1, 198.51.100.1"])), ip("198.51.100.1"));
        assert_eq!(
            t.client(ip("127.0.0.1"), &xff(&["1.1.1.1", "198.51.100.1, 10.1.2.3"])),
            ip("198.51.100.1")
        );
        // No header, or garbage: the trusted peer (or the last hop known).
        assert_eq!(t.client(ip("127.0.0.1"), &HeaderMap::new()), ip("127.0.0.1"));
        assert_eq!(t.client(ip("127.0.0.1"), &xff(&["1.1.1.1, unknown"])), ip("127.0.0.1"));
        assert_eq!(
            t.client(ip("127.0.0.1"), &xff(&["10.0.0.9"])),
            ip("10.0.0.9"),
            "all trusted: the left-most"
        );
        // Ports, IPv6 and IPv4-mapped IPv6 peers.
        assert_eq!(t.client(ip("::ffff:127.0.0.1"), &xff(&["198.51.100.1:4711"])), ip("198.51.100.1"));
        assert_eq!(t.client(ip("::1"), &xff(&["[2001:db8::1]:80"])), ip("2001:db8::1"));
        // Nothing configured: headers never count.
        assert_eq!(TrustedProxies::default().client(ip("127.0.0.1"), &xff(&["1.1.1.1"])), ip("127.0.0.1"));
    }

    #[test]
    fn trusted_proxies_parse_and_match() {
        let t = TrustedProxies::parse(&["192.168.0.0/16".into(), "fd00::/8".into(), " 172.16.5.4 ".into()])
            .unwrap();
        assert!(t.contains(ip("192.168.200.1")) && !t.contains(ip("192.169.0.1")));
        assert!(t.contains(ip("fd12::1")) && !t.contains(ip("fe80::1")));
        assert!(t.contains(ip("172.16.5.4")) && !t.contains(ip("172.16.5.5")));
        assert!(TrustedProxies::parse(&["10.0.0.0/12".into()]).unwrap().contains(ip("10.15.255.255")));
        assert!(!TrustedProxies::parse(&["10.0.0.0/12".into()]).unwrap().contains(ip("10.16.0.0")));
        for bad in ["10.0.0.0/33", "nginx", "10.0.0/8", "::/129", ""] {
            let e = TrustedProxies::parse(&[bad.into()]).unwrap_err();
            assert!(e.contains("trusted_proxies"), "{bad}: {e}");
        }
    }

    #[test]
    fn limiter_keys_clients_behind_a_trusted_proxy_apart() {
        let l = Limiter::new(TrustedProxies::parse(&["127.0.0.1".into()]).unwrap());
        let mut ext = axum::http::Extensions::new();
        ext.insert(ConnectInfo(SocketAddr::from(([127, 0, 0, 1], 40000))));
        assert_eq!(l.client_of(&ext, &xff(&["198.51.100.1"])), "198.51.100.1");
        assert_eq!(l.client_of(&ext, &xff(&["198.51.100.2"])), "198.51.100.2");
        let mut direct = axum::http::Extensions::new();
        direct.insert(ConnectInfo(SocketAddr::from(([203, 0, 113, 9], 40000))));
        assert_eq!(l.client_of(&direct, &xff(&["198.51.100.1"])), "203.0.113.9");
        assert_eq!(l.client_of(&axum::http::Extensions::new(), &xff(&["198.51.100.1"])), "shared");
    }
}

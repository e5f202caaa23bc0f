//! Fetching pages and their images over HTTP(S), for the command line. This is I/O outside
//! the pure pipeline: the library's readers and writers never call it.
//!
//! One [`Fetcher`] (a pooled `ureq` agent) serves a whole batch. Every request has bounded
//! redirects, connect and overall timeouts, a body size cap and an `offprint/<version>`
//! User-Agent.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Duration;
use ureq::ResponseExt;

/// Limits for every request.
#[derive(Debug, Clone)]
pub struct FetchOptions {
    /// Time allowed to open the connection.
    pub connect_timeout: Duration,
    /// Time allowed for the whole request, redirects and body included.
    pub timeout: Duration,
    /// Largest body accepted, in bytes.
    pub max_bytes: u64,
    /// Redirects followed before giving up.
    pub max_redirects: u32,
    /// `User-Agent` header.
    pub user_agent: String,
}

impl Default for FetchOptions {
    fn default() -> Self {
        FetchOptions {
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(30),
            max_bytes: 20 * 1024 * 1024,
            max_redirects: 5,
            user_agent: format!("offprint/{}", env!("CARGO_PKG_VERSION")),
        }
    }
}

/// Why a request failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FetchError {
    /// Not an `http://` or `https://` URL.
    #[error("not an http(s) URL")]
    NotHttp,
    /// The server answered with an error status.
    #[error("HTTP status {0}")]
    Status(u16),
    /// The body is larger than [`FetchOptions::max_bytes`].
    #[error("larger than the {0}-byte limit")]
    TooLarge(u64),
    /// A timeout expired.
    #[error("timed out")]
    Timeout,
    /// More redirects than [`FetchOptions::max_redirects`].
    #[error("too many redirects")]
    TooManyRedirects,
    /// The host name does not resolve.
    #[error("host not found")]
    HostNotFound,
    /// Nothing listens on the port.
    #[error("connection refused")]
    ConnectionRefused,
    /// Anything else (TLS, protocol, I/O), with the client's message.
    #[error("{0}")]
    Other(String),
}

/// A fetched resource.
#[derive(Debug, Clone)]
pub struct Fetched {
    /// The URL after redirects.
    pub url: String,
    /// The body (content encodings such as gzip already undone).
    pub bytes: Vec<u8>,
    /// The media type of `Content-Type`, lower-cased, without parameters.
    pub mime: Option<String>,
    /// The `charset` parameter of `Content-Type`, if any.
    pub charset: Option<String>,
    /// The response's `Date` header as seconds since the epoch (the retrieval date).
    pub date: Option<i64>,
}

/// A blocking HTTP client with the limits of [`FetchOptions`]; cheap to share across
/// threads.
#[derive(Debug, Clone)]
pub struct Fetcher {
    agent: ureq::Agent,
    max_bytes: u64,
}

/// Whether `s` is an `http://` or `https://` URL (what the command line fetches).
pub fn is_url(s: &str) -> bool {
    let lower = s.get(..8).unwrap_or(s).to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

impl Fetcher {
    /// A client with these limits.
    pub fn new(opts: &FetchOptions) -> Self {
        let config = ureq::Agent::config_builder()
            .timeout_connect(Some(opts.connect_timeout))
            .timeout_global(Some(opts.timeout))
            .max_redirects(opts.max_redirects)
            .max_redirects_will_error(true)
            .user_agent(opts.user_agent.as_str())
            .http_status_as_error(false)
            .build();
        Fetcher { agent: config.into(), max_bytes: opts.max_bytes }
    }

    /// GET `url`, with a `Referer` when given.
    pub fn get(&self, url: &str, referer: Option<&str>) -> Result<Fetched, FetchError> {
        if !is_url(url) {
            return Err(FetchError::NotHttp);
        }
        let mut req = self.agent.get(url);
        if let Some(r) = referer {
            req = req.header("Referer", r);
        }
        let mut resp = req.call().map_err(map_error)?;
        let status = resp.status().as_u16();
        if !(200..300).contains(&status) {
            return Err(FetchError::Status(status));
        }
        let final_url = resp.get_uri().to_string();
        let (mime, charset) = resp
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .map(parse_content_type)
            .unwrap_or_default();
        let date = resp
            .headers()
            .get("date")
            .and_then(|v| v.to_str().ok())
            .and_then(|d| chrono::DateTime::parse_from_rfc2822(d.trim()).ok())
            .map(|d| d.timestamp());
        let bytes =
            resp.body_mut().with_config().limit(self.max_bytes).read_to_vec().map_err(map_error)?;
        Ok(Fetched { url: final_url, bytes, mime, charset, date })
    }

    /// GET every URL of `urls` with `referer`, at most `concurrency` at a time; results in
    /// a map keyed by the requested URL.
    pub fn get_all(
        &self,
        urls: &[String],
        referer: Option<&str>,
        concurrency: usize,
    ) -> BTreeMap<String, Result<Vec<u8>, FetchError>> {
        let results = Mutex::new(BTreeMap::new());
        let next = AtomicUsize::new(0);
        let workers = concurrency.clamp(1, urls.len().max(1));
        std::thread::scope(|scope| {
            for _ in 0..workers {
                scope.spawn(|| {
                    while let Some(url) = urls.get(next.fetch_add(1, Ordering::Relaxed)) {
                        let r = self.get(url, referer).map(|f| f.bytes);
                        if let Ok(mut map) = results.lock() {
                            map.insert(url.clone(), r);
                        }
                    }
                });
            }
        });
        results.into_inner().unwrap_or_default()
    }
}

fn map_error(e: ureq::Error) -> FetchError {
    match e {
        ureq::Error::StatusCode(s) => FetchError::Status(s),
        ureq::Error::BodyExceedsLimit(n) => FetchError::TooLarge(n),
        ureq::Error::Timeout(_) => FetchError::Timeout,
        ureq::Error::TooManyRedirects => FetchError::TooManyRedirects,
        ureq::Error::HostNotFound => FetchError::HostNotFound,
        ureq::Error::ConnectionFailed => FetchError::ConnectionRefused,
        ureq::Error::Io(io) => match io.kind() {
            std::io::ErrorKind::ConnectionRefused => FetchError::ConnectionRefused,
            std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock => FetchError::Timeout,
            _ => FetchError::Other(io.to_string()),
        },
        other => FetchError::Other(other.to_string()),
    }
}

/// Split a `Content-Type` value into its media type (lower-cased) and `charset` parameter.
///
/// ```
/// assert_eq!(
///     offprint::fetch::parse_content_type("Text/HTML; Charset=\"windows-1251\""),
///     (Some("text/html".to_string()), Some("windows-1251".to_string()))
/// );
/// ```
pub fn parse_content_type(value: &str) -> (Option<String>, Option<String>) {
    let mut parts = value.split(';');
    let mime = parts.next().map(|m| m.trim().to_ascii_lowercase()).filter(|m| !m.is_empty());
    let charset = parts.find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| v.trim().trim_matches('"').trim_matches('\'').to_string())
            .filter(|v| !v.is_empty())
    });
    (mime, charset)
}

/// Make the encoding a transport declared (the HTTP `charset`) binding for the readers:
/// bytes with a byte-order mark are returned as they are (a BOM wins over everything);
/// otherwise, when `charset` names an encoding `encoding_rs` knows, the bytes are decoded
/// with it and returned as UTF-8 *with* a BOM, so a later `<meta charset>` or a guess
/// cannot override the transport's word. Unknown or missing charsets leave the bytes
/// alone.
pub fn to_utf8_with_bom(bytes: Vec<u8>, charset: Option<&str>) -> Vec<u8> {
    if encoding_rs::Encoding::for_bom(&bytes).is_some() {
        return bytes;
    }
    let Some(enc) = charset.and_then(|c| encoding_rs::Encoding::for_label(c.as_bytes())) else {
        return bytes;
    };
    let text = enc.decode_without_bom_handling(&bytes).0;
    let mut out = Vec::with_capacity(text.len() + 3);
    out.extend_from_slice(b"\xEF\xBB\xBF");
    out.extend_from_slice(text.as_bytes());
    out
}

/// Media types that are pages offprint can read: HTML, or plain text (a page dump).
pub fn is_page_mime(mime: &str) -> bool {
    matches!(mime, "text/html" | "application/xhtml+xml" | "text/plain")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{BufRead, BufReader, Write};
    use std::net::TcpListener;

    #[test]
    fn content_types_and_charsets() {
        assert_eq!(parse_content_type("text/plain"), (Some("text/plain".into()), None));
        assert_eq!(parse_content_type(""), (None, None));
        assert_eq!(
            parse_content_type("text/html;charset=UTF-8;x=y"),
            (Some("text/html".into()), Some("UTF-8".into()))
        );
    }

    #[test]
    fn declared_charset_is_transcoded_and_bom_wins() {
        let (cp1251, _, _) = encoding_rs::WINDOWS_1251.encode("Привет");
        let out = to_utf8_with_bom(cp1251.into_owned(), Some("windows-1251"));
        assert_eq!(out, "\u{feff}Привет".as_bytes());
        let bom = "\u{feff}héllo".as_bytes().to_vec();
        assert_eq!(to_utf8_with_bom(bom.clone(), Some("iso-8859-1")), bom);
        assert_eq!(to_utf8_with_bom(b"abc".to_vec(), Some("no-such")), b"abc");
        assert_eq!(to_utf8_with_bom(b"abc".to_vec(), None), b"abc");
    }

    #[test]
    fn urls_are_recognised() {
        assert!(is_url("http://example.com") && is_url("HTTPS://x"));
        assert!(!is_url("file:///etc") && !is_url("example.html") && !is_url("http"));
    }

    /// A one-thread server answering `n` requests; returns its address and the request
    /// heads it saw.
    fn serve(
        n: usize,
        respond: fn(&str) -> Vec<u8>,
    ) -> (String, std::thread::JoinHandle<Vec<String>>) {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let addr = format!("http://{}", listener.local_addr().expect("addr"));
        let handle = std::thread::spawn(move || {
            let mut heads = Vec::new();
            for stream in listener.incoming().take(n) {
                let Ok(mut stream) = stream else { continue };
                let mut reader = BufReader::new(stream.try_clone().expect("clone"));
                let mut head = String::new();
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                        break;
                    }
                    head.push_str(&line);
                }
                let _ = stream.write_all(&respond(&head));
                heads.push(head);
            }
            heads
        });
        (addr, handle)
    }

    #[test]
    fn fetch_sends_agent_and_referer_and_enforces_limits() {
        let (addr, server) = serve(3, |head| {
            let body: &[u8] = if head.starts_with("GET /big") { &[b'x'; 2000] } else { b"hi" };
            let status = if head.starts_with("GET /missing") { "404 Not Found" } else { "200 OK" };
            let mut r = format!(
                "HTTP/1.1 {status}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            )
            .into_bytes();
            r.extend_from_slice(body);
            r
        });
        let f = Fetcher::new(&FetchOptions { max_bytes: 1000, ..FetchOptions::default() });
        let page = f.get(&format!("{addr}/page"), Some("http://ref.example/")).expect("fetch");
        assert_eq!(page.bytes, b"hi");
        assert_eq!(page.mime.as_deref(), Some("text/plain"));
        assert_eq!(page.charset.as_deref(), Some("utf-8"));
        assert_eq!(f.get(&format!("{addr}/missing"), None).unwrap_err(), FetchError::Status(404));
        assert!(matches!(f.get(&format!("{addr}/big"), None), Err(FetchError::TooLarge(_))));
        let heads = server.join().expect("server");
        let first = heads[0].to_ascii_lowercase();
        assert!(first.contains(&format!("user-agent: offprint/{}", env!("CARGO_PKG_VERSION"))));
        assert!(first.contains("referer: http://ref.example/"), "{first}");
    }

    #[test]
    fn closed_port_is_connection_refused() {
        let port = TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("a").port();
        let f = Fetcher::new(&FetchOptions::default());
        assert_eq!(
            f.get(&format!("http://127.0.0.1:{port}/"), None).unwrap_err(),
            FetchError::ConnectionRefused
        );
    }
}

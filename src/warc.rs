//! Web archives (WARC 1.0/1.1, plain or gzip-compressed, one gzip member per record or
//! one for the whole file): the captured pages and images inside, for the command line.
//!
//! A small, careful parser rather than a dependency: records are framed by their
//! `Content-Length`, HTTP payloads are de-chunked and de-compressed, and a damaged gzip
//! member or record is reported and skipped while parsing resumes at the next one.

use std::io::Read;

/// A capture in an archive: one URL's payload as the server sent it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Capture {
    /// `WARC-Target-URI`.
    pub uri: String,
    /// `WARC-Date` (the retrieval date, RFC 3339).
    pub date: Option<String>,
    /// Media type of the payload, lower-cased, without parameters.
    pub mime: Option<String>,
    /// `charset` of the payload's `Content-Type`.
    pub charset: Option<String>,
    /// The payload (transfer and content encodings undone).
    pub body: Vec<u8>,
}

impl Capture {
    /// The retrieval date as seconds since the epoch.
    pub fn timestamp(&self) -> Option<i64> {
        let d = self.date.as_deref()?;
        chrono::DateTime::parse_from_rfc3339(d.trim()).ok().map(|d| d.timestamp())
    }
}

/// A record or gzip member that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}{}: {reason}", where_, uri.as_deref().map(|u| format!(" ({u})")).unwrap_or_default())]
pub struct WarcError {
    /// Where: `record at byte N` (of the uncompressed stream) or `gzip member at byte N`.
    pub where_: String,
    /// The record's `WARC-Target-URI`, when its header was readable.
    pub uri: Option<String>,
    /// What is wrong.
    pub reason: String,
}

/// One raw record: its named headers and block.
#[derive(Debug, Clone)]
struct Record {
    offset: usize,
    headers: Vec<(String, String)>,
    block: Vec<u8>,
}

impl Record {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    fn error(&self, reason: impl Into<String>) -> WarcError {
        WarcError {
            where_: format!("record at byte {}", self.offset),
            uri: self.header("WARC-Target-URI").map(clean_uri),
            reason: reason.into(),
        }
    }
}

/// Some writers wrap the target URI in angle brackets (WARC 1.0 grammar).
fn clean_uri(u: &str) -> String {
    u.trim().trim_start_matches('<').trim_end_matches('>').to_string()
}

/// Every successful (2xx) `response` capture and every `resource` record of the archive,
/// in archive order, with an error entry for each damaged record or gzip member.
/// Requests, metadata, revisits, redirects and error pages are skipped silently.
pub fn captures(bytes: &[u8]) -> Vec<Result<Capture, WarcError>> {
    let (data, mut out) = decompress(bytes);
    for rec in records(&data) {
        match rec {
            Err(e) => out.push(Err(e)),
            Ok(rec) => {
                if let Some(c) = capture(&rec).transpose() {
                    out.push(c);
                }
            }
        }
    }
    out
}

/// The capture a record holds, `None` for records that hold none.
fn capture(rec: &Record) -> Result<Option<Capture>, WarcError> {
    let kind = rec.header("WARC-Type").unwrap_or_default().to_ascii_lowercase();
    let Some(uri) = rec.header("WARC-Target-URI").map(clean_uri) else {
        return Ok(None);
    };
    let date = rec.header("WARC-Date").map(|d| d.trim().to_string());
    let warc_type = rec.header("Content-Type").unwrap_or_default().to_ascii_lowercase();
    match kind.as_str() {
        "response" if warc_type.starts_with("application/http") => {
            let http = parse_http_response(&rec.block).map_err(|r| rec.error(r))?;
            if !(200..300).contains(&http.status) {
                return Ok(None);
            }
            let (mime, charset) = http
                .content_type
                .as_deref()
                .map(crate::fetch::parse_content_type)
                .unwrap_or_default();
            Ok(Some(Capture { uri, date, mime, charset, body: http.body }))
        }
        "resource" => {
            let (mime, charset) = rec
                .header("Content-Type")
                .map(crate::fetch::parse_content_type)
                .unwrap_or_default();
            Ok(Some(Capture { uri, date, mime, charset, body: rec.block.clone() }))
        }
        _ => Ok(None),
    }
}

/// Undo gzip when the archive is compressed: member after member (so a damaged member is
/// skipped and reported, and the next one still read), else the bytes as they are.
fn decompress(bytes: &[u8]) -> (Vec<u8>, Vec<Result<Capture, WarcError>>) {
    const MAGIC: &[u8] = &[0x1f, 0x8b, 0x08];
    if !bytes.starts_with(MAGIC) {
        return (bytes.to_vec(), Vec::new());
    }
    let mut out = Vec::new();
    let mut errors = Vec::new();
    let mut pos = 0;
    let mut bad_since: Option<(usize, String)> = None;
    while pos < bytes.len() {
        let rest = bytes.get(pos..).unwrap_or_default();
        let mut decoder = flate2::bufread::GzDecoder::new(rest);
        let mut member = Vec::new();
        match decoder.read_to_end(&mut member) {
            Ok(_) => {
                let left = decoder.into_inner().len();
                if let Some((at, reason)) = bad_since.take() {
                    errors.push(Err(member_error(at, pos, &reason)));
                }
                out.extend_from_slice(&member);
                // A member consumed nothing only if the input is degenerate; never loop.
                pos = bytes.len() - left.min(bytes.len() - pos - 1);
            }
            Err(e) => {
                if bad_since.is_none() {
                    bad_since = Some((pos, e.to_string()));
                }
                // Resume at the next gzip header, if any.
                match find(bytes, MAGIC, pos + 1) {
                    Some(next) => pos = next,
                    None => break,
                }
            }
        }
    }
    if let Some((at, reason)) = bad_since {
        errors.push(Err(member_error(at, bytes.len(), &reason)));
    }
    (out, errors)
}

fn member_error(from: usize, to: usize, reason: &str) -> WarcError {
    WarcError {
        where_: format!("gzip member at byte {from}"),
        uri: None,
        reason: format!("damaged ({reason}); {} bytes skipped", to - from),
    }
}

fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    hay.get(from..)?.windows(needle.len()).position(|w| w == needle).map(|p| p + from)
}

/// Split the uncompressed stream into records, resynchronising on the next `WARC/`
/// version line after a damaged one.
fn records(data: &[u8]) -> Vec<Result<Record, WarcError>> {
    let mut out = Vec::new();
    let mut pos = 0;
    loop {
        // Skip blank lines between records.
        while data.get(pos).is_some_and(|b| matches!(b, b'\r' | b'\n' | b' ' | b'\t')) {
            pos += 1;
        }
        if pos >= data.len() {
            break;
        }
        match record_at(data, pos) {
            Ok((rec, end)) => {
                out.push(Ok(rec));
                pos = end;
            }
            Err(reason) => {
                let uri = header_block(data, pos)
                    .and_then(|(h, _)| {
                        h.into_iter().find(|(k, _)| k.eq_ignore_ascii_case("WARC-Target-URI"))
                    })
                    .map(|(_, v)| clean_uri(&v));
                out.push(Err(WarcError { where_: format!("record at byte {pos}"), uri, reason }));
                match find(data, b"\nWARC/", pos + 1) {
                    Some(next) => pos = next + 1,
                    None => break,
                }
            }
        }
    }
    out
}

/// The header lines starting at `pos` (after the version line), and where the block
/// starts.
fn header_block(data: &[u8], pos: usize) -> Option<(Vec<(String, String)>, usize)> {
    let mut headers: Vec<(String, String)> = Vec::new();
    let mut line_start = pos;
    let mut first = true;
    loop {
        let rel = data.get(line_start..)?.iter().position(|&b| b == b'\n')?;
        let line = data.get(line_start..line_start + rel)?;
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let next = line_start + rel + 1;
        if first {
            first = false;
            if !line.starts_with(b"WARC/") {
                return None;
            }
        } else if line.is_empty() {
            return Some((headers, next));
        } else if line.first().is_some_and(|b| *b == b' ' || *b == b'\t') {
            if let Some((_, v)) = headers.last_mut() {
                v.push(' ');
                v.push_str(String::from_utf8_lossy(line).trim());
            }
        } else {
            let text = String::from_utf8_lossy(line);
            let (k, v) = text.split_once(':')?;
            headers.push((k.trim().to_string(), v.trim().to_string()));
        }
        line_start = next;
    }
}

fn record_at(data: &[u8], pos: usize) -> Result<(Record, usize), String> {
    if !data.get(pos..).is_some_and(|d| d.starts_with(b"WARC/")) {
        return Err("not a WARC record (no `WARC/` version line)".into());
    }
    let (headers, body_start) =
        header_block(data, pos).ok_or_else(|| "unreadable or unterminated header".to_string())?;
    let len: usize = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("Content-Length"))
        .ok_or_else(|| "no Content-Length".to_string())?
        .1
        .parse()
        .map_err(|_| "bad Content-Length".to_string())?;
    let end = body_start.checked_add(len).ok_or_else(|| "bad Content-Length".to_string())?;
    let block = data.get(body_start..end).ok_or_else(|| {
        format!("truncated: Content-Length {len} but {} bytes left", data.len() - body_start)
    })?;
    // The block must be followed by the record's end (two line breaks) or the data's end.
    let tail = data.get(end..).unwrap_or_default();
    let after = tail.iter().take_while(|b| matches!(b, b'\r' | b'\n')).count();
    if after < tail.len() && !tail.get(after..).is_some_and(|t| t.starts_with(b"WARC/")) {
        return Err(format!("Content-Length {len} does not end at the record's end"));
    }
    Ok((Record { offset: pos, headers, block: block.to_vec() }, end + after))
}

/// An HTTP response as archived.
struct HttpResponse {
    status: u16,
    content_type: Option<String>,
    body: Vec<u8>,
}

fn parse_http_response(block: &[u8]) -> Result<HttpResponse, String> {
    let head_end = find(block, b"\r\n\r\n", 0)
        .map(|p| (p, p + 4))
        .or_else(|| find(block, b"\n\n", 0).map(|p| (p, p + 2)))
        .ok_or_else(|| "HTTP response without a header end".to_string())?;
    let head = String::from_utf8_lossy(block.get(..head_end.0).unwrap_or_default()).into_owned();
    let mut lines = head.lines();
    let status_line = lines.next().unwrap_or_default();
    if !status_line.starts_with("HTTP/") {
        return Err("payload is not an HTTP response".into());
    }
    let status: u16 = status_line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| format!("bad HTTP status line `{status_line}`"))?;
    let mut content_type = None;
    let mut chunked = false;
    let mut encoding = None;
    for line in lines {
        let Some((k, v)) = line.split_once(':') else { continue };
        let (k, v) = (k.trim().to_ascii_lowercase(), v.trim());
        match k.as_str() {
            "content-type" => content_type = Some(v.to_string()),
            "transfer-encoding" => chunked = v.to_ascii_lowercase().contains("chunked"),
            "content-encoding" => encoding = Some(v.to_ascii_lowercase()),
            _ => {}
        }
    }
    let mut body = block.get(head_end.1..).unwrap_or_default().to_vec();
    if chunked {
        body = dechunk(&body)?;
    }
    match encoding.as_deref() {
        None | Some("identity") | Some("") => {}
        Some("gzip") | Some("x-gzip") => {
            let mut out = Vec::new();
            flate2::read::MultiGzDecoder::new(body.as_slice())
                .read_to_end(&mut out)
                .map_err(|e| format!("gzip payload: {e}"))?;
            body = out;
        }
        Some("deflate") => {
            let mut out = Vec::new();
            // Servers send zlib-wrapped or raw deflate under this name; try both.
            if flate2::read::ZlibDecoder::new(body.as_slice()).read_to_end(&mut out).is_err() {
                out.clear();
                flate2::read::DeflateDecoder::new(body.as_slice())
                    .read_to_end(&mut out)
                    .map_err(|e| format!("deflate payload: {e}"))?;
            }
            body = out;
        }
        Some(other) => return Err(format!("unsupported Content-Encoding `{other}`")),
    }
    Ok(HttpResponse { status, content_type, body })
}

fn dechunk(data: &[u8]) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    let mut pos = 0;
    loop {
        let line_end = find(data, b"\n", pos).ok_or("chunked payload: missing chunk size")?;
        let line = String::from_utf8_lossy(data.get(pos..line_end).unwrap_or_default());
        let size_text = line.trim().split(';').next().unwrap_or_default().trim().to_string();
        let size = usize::from_str_radix(&size_text, 16)
            .map_err(|_| format!("chunked payload: bad chunk size `{size_text}`"))?;
        pos = line_end + 1;
        if size == 0 {
            return Ok(out);
        }
        let chunk = data.get(pos..pos + size).ok_or("chunked payload: truncated chunk")?;
        out.extend_from_slice(chunk);
        pos += size;
        // CRLF after the chunk.
        while data.get(pos).is_some_and(|b| matches!(b, b'\r' | b'\n')) {
            pos += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn record(kind: &str, uri: &str, content_type: &str, block: &[u8]) -> Vec<u8> {
        let mut r = format!(
            "WARC/1.1\r\nWARC-Type: {kind}\r\nWARC-Target-URI: {uri}\r\nWARC-Date: 2024-03-28T10:00:00Z\r\nWARC-Record-ID: <urn:uuid:x>\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
            block.len()
        )
        .into_bytes();
        r.extend_from_slice(block);
        r.extend_from_slice(b"\r\n\r\n");
        r
    }

    fn http(status: &str, headers: &str, body: &[u8]) -> Vec<u8> {
        let mut r = format!("HTTP/1.1 {status}\r\n{headers}\r\n").into_bytes();
        r.extend_from_slice(body);
        r
    }

    fn gz(data: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        e.write_all(data).expect("gzip");
        e.finish().expect("gzip")
    }

    fn sample() -> Vec<Vec<u8>> {
        vec![
            record("warcinfo", "", "application/warc-fields", b"software: test\r\n"),
            record(
                "response",
                "http://example.com/a",
                "application/http; msgtype=response",
                &http("200 OK", "Content-Type: text/html; charset=utf-8\r\n", b"<p>A</p>"),
            ),
            record(
                "request",
                "http://example.com/a",
                "application/http; msgtype=request",
                b"GET / HTTP/1.1\r\n\r\n",
            ),
            record(
                "response",
                "<http://example.com/moved>",
                "application/http; msgtype=response",
                &http("301 Moved", "Location: /a\r\n", b""),
            ),
            record(
                "response",
                "http://example.com/b.png",
                "application/http; msgtype=response",
                &http(
                    "200 OK",
                    "Content-Type: image/png\r\nTransfer-Encoding: chunked\r\n",
                    b"3\r\nPNG\r\n2\r\n!!\r\n0\r\n\r\n",
                ),
            ),
            record("resource", "http://example.com/c.txt", "text/plain", b"dump"),
        ]
    }

    fn summary(caps: &[Result<Capture, WarcError>]) -> Vec<String> {
        caps.iter()
            .map(|c| match c {
                Ok(c) => format!(
                    "{} {} {}",
                    c.uri,
                    c.mime.as_deref().unwrap_or("-"),
                    String::from_utf8_lossy(&c.body)
                ),
                Err(e) => format!("ERR {e}"),
            })
            .collect()
    }

    const EXPECTED: [&str; 3] = [
        "http://example.com/a text/html <p>A</p>",
        "http://example.com/b.png image/png PNG!!",
        "http://example.com/c.txt text/plain dump",
    ];

    #[test]
    fn plain_single_gzip_and_multi_member_archives_read_alike() {
        let recs = sample();
        let plain = recs.concat();
        assert_eq!(summary(&captures(&plain)), EXPECTED);
        assert_eq!(summary(&captures(&gz(&plain))), EXPECTED);
        let multi: Vec<u8> = recs.iter().flat_map(|r| gz(r)).collect();
        assert_eq!(summary(&captures(&multi)), EXPECTED);
        let caps = captures(&multi);
        let first = caps.first().and_then(|c| c.as_ref().ok()).expect("capture");
        assert_eq!(first.charset.as_deref(), Some("utf-8"));
        assert_eq!(first.timestamp(), Some(1_711_620_000));
    }

    #[test]
    fn damaged_member_and_record_are_reported_and_skipped() {
        let recs = sample();
        let mut members: Vec<Vec<u8>> = recs.iter().map(|r| gz(r)).collect();
        // Corrupt the deflate data of the member holding record 1 (the HTML page).
        let m = &mut members[1];
        let mid = m.len() / 2;
        for b in &mut m[12..mid] {
            *b ^= 0x5a;
        }
        let caps = captures(&members.concat());
        let s = summary(&caps);
        assert!(s.iter().any(|l| l.starts_with("ERR gzip member at byte")), "{s:?}");
        assert!(s.contains(&EXPECTED[1].to_string()) && s.contains(&EXPECTED[2].to_string()));

        // A record whose Content-Length overruns into the next record.
        let mut bad = recs[1].clone();
        let text = String::from_utf8(bad.clone()).expect("utf8");
        let len = text.split("Content-Length: ").nth(1).and_then(|t| t.split("\r\n").next());
        let len: usize = len.and_then(|l| l.parse().ok()).expect("length");
        bad = text
            .replacen(&format!("Content-Length: {len}"), &format!("Content-Length: {}", len + 7), 1)
            .into_bytes();
        let plain = [recs[0].clone(), bad, recs[4].clone(), recs[5].clone()].concat();
        let s = summary(&captures(&plain));
        assert_eq!(s.len(), 3, "{s:?}");
        assert!(
            s[0].starts_with("ERR record at byte") && s[0].contains("(http://example.com/a)"),
            "{s:?}"
        );
        assert_eq!(s[1..], EXPECTED[1..]);
    }

    #[test]
    fn truncated_archive_reports_the_last_record() {
        let plain = sample().concat();
        let cut = &plain[..plain.len() - 6];
        let s = summary(&captures(cut));
        assert_eq!(s[..2], EXPECTED[..2]);
        assert!(s[2].starts_with("ERR") && s[2].contains("truncated"), "{s:?}");
    }

    #[test]
    fn content_encodings_are_undone() {
        let body = gz(b"<p>zipped</p>");
        let block = http("200 OK", "Content-Type: text/html\r\nContent-Encoding: gzip\r\n", &body);
        let r = parse_http_response(&block).expect("parses");
        assert_eq!(r.body, b"<p>zipped</p>");
        let block = http("200 OK", "Content-Encoding: br\r\n", b"xx");
        assert!(parse_http_response(&block).is_err());
        assert!(parse_http_response(b"garbage").is_err());
    }
}

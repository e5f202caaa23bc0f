//! Shared helpers for integration tests: word runs, external validators, edition text.
#![allow(dead_code)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Lower-cased `\w+` tokens.
pub fn tokens(s: &str) -> Vec<String> {
    let re = regex::Regex::new(r"\w+").expect("regex");
    re.find_iter(s).map(|m| m.as_str().to_lowercase()).collect()
}

/// The set of 6-word runs of `s`.
pub fn runs(s: &str) -> BTreeSet<String> {
    let t = tokens(s);
    t.windows(6).map(|w| w.join(" ")).collect()
}

/// Share of `reference`'s 6-word runs found in `candidate`.
pub fn survival(reference: &str, candidate: &str) -> f64 {
    let want = runs(reference);
    let have = runs(candidate);
    if want.is_empty() {
        return 1.0;
    }
    want.iter().filter(|r| have.contains(*r)).count() as f64 / want.len() as f64
}

/// Run an external tool; panic (fail the test) when it cannot be started.
pub fn tool(cmd: &str, args: &[&str]) -> std::process::Output {
    Command::new(cmd).args(args).output().unwrap_or_else(|e| {
        panic!("cannot run `{cmd}` ({e}); the test command installs it (scripts/test.sh)")
    })
}

/// Text of a PDF by pdftotext (reading order, no layout).
pub fn pdf_text(path: &Path) -> String {
    let out = tool("pdftotext", &["-enc", "UTF-8", path.to_str().expect("utf-8 path"), "-"]);
    assert!(out.status.success(), "pdftotext failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Text of every XHTML document in an EPUB, tags stripped, entities decoded, in spine order
/// (file name order suffices for single-article editions).
pub fn epub_text(bytes: &[u8]) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("epub is a zip");
    let mut names: Vec<String> = zip.file_names().map(str::to_string).collect();
    names.sort();
    let mut out = String::new();
    for name in names {
        if !name.ends_with(".xhtml") || name.contains("nav") || name.contains("cover") {
            continue;
        }
        let mut f = zip.by_name(&name).expect("entry");
        let mut s = String::new();
        std::io::Read::read_to_string(&mut f, &mut s).expect("utf-8 xhtml");
        out.push_str(&strip_tags(&s));
        out.push('\n');
    }
    out
}

/// Remove tags and decode the five XML entities and numeric references.
pub fn strip_tags(s: &str) -> String {
    let tags = regex::Regex::new(r"(?s)<[^>]*>").expect("regex");
    let text = tags.replace_all(s, " ");
    let num = regex::Regex::new(r"&#(x?)([0-9a-fA-F]+);").expect("regex");
    let text = num.replace_all(&text, |c: &regex::Captures| {
        let radix = if &c[1] == "x" { 16 } else { 10 };
        u32::from_str_radix(&c[2], radix)
            .ok()
            .and_then(char::from_u32)
            .map(String::from)
            .unwrap_or_default()
    });
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// EPUBCheck messages as `(fatal+error count, warning count, full report)`. Fails the test
/// when EPUBCheck cannot run.
pub fn epubcheck(path: &Path) -> (usize, usize, String) {
    let out = tool("epubcheck", &[path.to_str().expect("utf-8 path"), "--json", "-"]);
    let report = String::from_utf8_lossy(&out.stdout).into_owned();
    let json: serde_json::Value = serde_json::from_str(&report).unwrap_or_else(|e| {
        panic!(
            "epubcheck gave no JSON report ({e}): {report}\n{}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    let checker = &json["checker"];
    let n = |k: &str| checker[k].as_u64().unwrap_or(0) as usize;
    (n("nFatal") + n("nError"), n("nWarning"), report)
}

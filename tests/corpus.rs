//! Extraction quality over the development corpus (`/work/shared/corpus`, see its README).
//!
//! - `readability/`: shingle F1 of the body text against `expected.txt`, title equality,
//!   language on pages that declare one, authors found in the expected byline;
//! - `trafilatura/`: snippet F1 (`with` / `without` snippets) on title + body text.
//!
//! Corpus path: `$OFFPRINT_CORPUS`, else `../shared/corpus` from the crate root. Missing
//! corpus: skipped with a message, except under `CI=true` where it fails.
//! `OFFPRINT_EXTRACTOR=readability|scored` measures one candidate alone (floors not asserted).
//! Fast run: `cargo test --release --test suite corpus:: -- --nocapture`.

use crate::common::corpus_dir;
use std::path::{Path, PathBuf};
use std::time::Instant;

use offprint::model::{block_text, inlines_text, Block, Document};
use offprint::read::html::{read_with, Extractor, HtmlOptions};
use serde_json::Value;

/// Floors pinned just below the measured scores; never lower them to make a run pass.
/// Measured 2026-11-26: 0.9806 (P 0.9918, R 0.9696); 2026-11-28: 0.9805, standfirsts that
/// Readability's expected texts leave out (cnet, quanta-1, salon-1) now lead. (0.9826 before photo credits and
/// orphan captions were dropped: Readability's expected texts keep them, trafilatura's
/// reject them, and a clean edition has no use for a credit without its picture.)
const FLOOR_SHINGLE_F1: f64 = 0.98;
/// Titles equal to Readability's. Measured: 123/130 = 0.946 until 2026-11-28, then 122/130 =
/// 0.938: a `<title>` suffix naming the page's host is cut when no site name is declared
/// (`Mozilla - Wikipedia` on en.wikipedia.org is `Mozilla`; Readability keeps a suffix when
/// fewer than five words would remain). All eight are ` | eHow`-style site suffixes that
/// the reader cuts by design (#3: the title without the site-name suffix), which
/// [`FLOOR_TITLE_SITE_RATE`] holds: this floor moved from 0.94 to 0.93 for that one page.
const FLOOR_TITLE_RATE: f64 = 0.93;
/// Titles equal to Readability's, or to it with a site-name suffix cut. Measured: 130/130.
const FLOOR_TITLE_SITE_RATE: f64 = 1.0;
/// Measured: 73/73.
const FLOOR_LANG_RATE: f64 = 1.0;
/// Pages with an expected byline whose authors offprint finds, each of them inside that
/// byline's text (Readability's bylines keep "By" and dates: "By Nathan Willis March 25").
/// Measured 2026-11-27: 68/76 = 0.895; the misses are bylines that are no names ("Follow
/// Author", "Last Updated: …", a date), a page's structured data naming someone else (a
/// user name; a second IETF author; an agency) and the same name from two Dublin Core tags.
const FLOOR_AUTHOR_RATE: f64 = 0.89;
/// Measured 2026-11-28: 0.9438 (P 0.9390, R 0.9486; tp 1402, fn 76, fp 91). 0.9395 before a
/// chrome word in a BEM modifier (`Section--Ads`) became weak evidence and the page's
/// description, shown whole just before the article, became its lead.
const FLOOR_SNIPPET_F1: f64 = 0.943;

/// CPU time of this thread in seconds (Linux `schedstat`), falling back to 0 elsewhere.
fn thread_cpu() -> f64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next().and_then(|n| n.parse::<f64>().ok()))
        .map_or(0.0, |ns| ns / 1e9)
}

fn extractor() -> Extractor {
    match std::env::var("OFFPRINT_EXTRACTOR").as_deref() {
        Ok("readability") => Extractor::Readability,
        Ok("scored") => Extractor::Scored,
        _ => Extractor::Auto,
    }
}

/// The comparison text: every block's text like `Document::body_text`, except that a figure
/// contributes only its caption. The expected texts are the visible text of the article
/// (Readability's HTML content), where an image's `alt` is not text.
fn plain_text(d: &Document) -> String {
    fn block(b: &Block, out: &mut Vec<String>) {
        match b {
            Block::Figure { caption, .. } => out.push(inlines_text(caption)),
            Block::Quote { attribution, blocks } => {
                if let Some(a) = attribution {
                    out.push(inlines_text(a));
                }
                blocks.iter().for_each(|b| block(b, out));
            }
            Block::List { items, .. } => items.iter().flatten().for_each(|b| block(b, out)),
            other => out.push(block_text(other)),
        }
    }
    let mut out = Vec::new();
    d.blocks.iter().for_each(|b| block(b, &mut out));
    d.footnotes.iter().flat_map(|n| n.blocks.iter()).for_each(|b| block(b, &mut out));
    out.retain(|s| !s.is_empty());
    out.join("\n\n")
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Snippet form: whitespace collapsed; with `OFFPRINT_STRICT_SNIPPETS` unset also NFC and
/// without the invisible characters (soft hyphen, zero-width space, word joiner, BOM) that
/// the reader removes by design, so a snippet written with soft hyphens still matches.
fn snippet_form(s: &str) -> String {
    if std::env::var("OFFPRINT_STRICT_SNIPPETS").is_ok() {
        return collapse(s);
    }
    use unicode_normalization::UnicodeNormalization;
    let s: String = s
        .chars()
        .filter(|c| !matches!(c, '\u{00AD}' | '\u{200B}' | '\u{2060}' | '\u{FEFF}'))
        .nfc()
        .collect();
    collapse(&s)
}

/// `ours` is `want` with a ` | Site` / ` - Site` suffix cut (the reader removes site names
/// by design; Readability keeps them when they come from `og:title`).
fn same_but_site_suffix(ours: &str, want: &str) -> bool {
    let Some(rest) = want.strip_prefix(ours) else { return false };
    let rest = rest.trim_start();
    let sep = ['|', '-', '–', '—', '·', '»', ':'];
    rest.starts_with(sep)
        && rest.trim_start_matches(sep).trim().chars().count() <= 60
        && !ours.is_empty()
}

struct Readability {
    f1: f64,
    title_rate: f64,
    title_site_rate: f64,
    lang_rate: f64,
    author_rate: f64,
}

fn run_readability(dir: &Path, ex: Extractor) -> Readability {
    let mut pages: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    pages.sort();
    let mut rows = Vec::new();
    let (mut sum_p, mut n_p, mut sum_r) = (0.0, 0usize, 0.0);
    let (mut titles_ok, mut langs_ok, mut langs_n) = (0usize, 0usize, 0usize);
    let mut titles_site_ok = 0usize;
    let (mut authors_ok, mut authors_n) = (0usize, 0usize);
    let mut total_time = 0.0;
    let mut parse_time = 0.0;
    let (mut total_cpu, mut parse_cpu) = (0.0, 0.0);
    for page in &pages {
        let name = page.file_name().unwrap().to_string_lossy().to_string();
        let html = std::fs::read(page.join("source.html")).unwrap();
        let truth = std::fs::read_to_string(page.join("expected.txt")).unwrap_or_default();
        let meta: Value = serde_json::from_str(
            &std::fs::read_to_string(page.join("expected-metadata.json")).unwrap_or_default(),
        )
        .unwrap_or(Value::Null);
        let (c0, t0) = (thread_cpu(), Instant::now());
        let (decoded, _) = offprint::read::html::decode::decode(&html);
        let parsed = scraper::Html::parse_document(&decoded);
        parse_cpu += thread_cpu() - c0;
        parse_time += t0.elapsed().as_secs_f64();
        drop(parsed);
        let (c0, t0) = (thread_cpu(), Instant::now());
        let doc = read_with(
            &html,
            &HtmlOptions { base_url: Some("http://fakehost/test/page.html".into()) },
            ex,
        );
        total_cpu += thread_cpu() - c0;
        total_time += t0.elapsed().as_secs_f64();
        let (body, title, lang, authors) = match &doc {
            Ok(d) => (
                plain_text(d),
                d.meta.title.clone().unwrap_or_default(),
                d.meta.lang.clone(),
                d.meta.authors.clone(),
            ),
            Err(_) => (String::new(), String::new(), None, Vec::new()),
        };
        let (p, r) = crate::common::shingle_pr(&body, &truth);
        if let Some(p) = p {
            sum_p += p;
            n_p += 1;
        }
        sum_r += r;
        let want_title = meta.get("title").and_then(Value::as_str).unwrap_or_default();
        let title_ok = collapse(want_title) == collapse(&title);
        titles_ok += usize::from(title_ok);
        titles_site_ok +=
            usize::from(title_ok || same_but_site_suffix(&collapse(&title), &collapse(want_title)));
        let mut lang_note = String::new();
        if let Some(want) = meta.get("lang").and_then(Value::as_str).filter(|l| !l.is_empty()) {
            langs_n += 1;
            let ok =
                lang.as_deref().is_some_and(|l| l.eq_ignore_ascii_case(&want.replace('_', "-")));
            langs_ok += usize::from(ok);
            if !ok {
                lang_note = format!(" lang {:?} want {want:?}", lang);
            }
        }
        let mut author_note = String::new();
        if let Some(want) = meta.get("byline").and_then(Value::as_str).filter(|b| !b.is_empty()) {
            authors_n += 1;
            let want_l = collapse(want).to_lowercase();
            let ok = !authors.is_empty()
                && authors.iter().all(|a| want_l.contains(&collapse(a).to_lowercase()));
            authors_ok += usize::from(ok);
            if !ok {
                author_note = format!(" authors {authors:?} byline {:?}", collapse(want));
            }
        }
        let f = p.map_or(0.0, |p| if p + r == 0.0 { 0.0 } else { 2.0 * p * r / (p + r) });
        let title_note =
            if title_ok { String::new() } else { format!(" title {title:?} want {want_title:?}") };
        rows.push((
            f,
            format!(
                "{name:40} P={:.3} R={r:.3} F1={f:.3}{title_note}{lang_note}{author_note}",
                p.unwrap_or(0.0)
            ),
        ));
    }
    rows.sort_by(|a, b| a.0.total_cmp(&b.0));
    println!("== readability/ ({} pages), worst first", pages.len());
    for (_, row) in &rows {
        println!("{row}");
    }
    let p = if n_p == 0 { 0.0 } else { sum_p / n_p as f64 };
    let r = sum_r / pages.len().max(1) as f64;
    let f1 = if p + r == 0.0 { 0.0 } else { 2.0 * p * r / (p + r) };
    let title_rate = titles_ok as f64 / pages.len().max(1) as f64;
    let title_site_rate = titles_site_ok as f64 / pages.len().max(1) as f64;
    let lang_rate = if langs_n == 0 { 1.0 } else { langs_ok as f64 / langs_n as f64 };
    let author_rate = if authors_n == 0 { 1.0 } else { authors_ok as f64 / authors_n as f64 };
    println!(
        "readability/: P={p:.4} R={r:.4} shingle F1={f1:.4}; title equal {titles_ok}/{} ({title_rate:.3}), equal up to a cut site-name suffix {titles_site_ok}; lang right {langs_ok}/{langs_n}; authors in the byline {authors_ok}/{authors_n} ({author_rate:.3}); read() {:.1} pages/s ({:.1} ms/page, of which decode + scraper parse {:.1} ms)",
        pages.len(),
        pages.len() as f64 / total_time.max(1e-9),
        total_time * 1000.0 / pages.len().max(1) as f64,
        parse_time * 1000.0 / pages.len().max(1) as f64,
    );
    println!(
        "readability/ speed: read() {:.1} pages per CPU-second ({:.1} ms CPU/page; decode + scraper parse {:.1} ms CPU/page)",
        pages.len() as f64 / total_cpu.max(1e-9),
        total_cpu * 1000.0 / pages.len().max(1) as f64,
        parse_cpu * 1000.0 / pages.len().max(1) as f64,
    );
    Readability { f1, title_rate, title_site_rate, lang_rate, author_rate }
}

/// Diagnostics (`OFFPRINT_WHERE=1`: `FOUND` and `LEAK` lines): the kind and text of the
/// block holding a snippet.
fn where_is(d: &Document, snippet: &str) -> String {
    let pos = d.blocks.iter().position(|b| {
        let mut one = d.clone();
        one.blocks = vec![b.clone()];
        snippet_form(&plain_text(&one)).contains(snippet)
    });
    match pos {
        Some(i) => {
            let b = &d.blocks[i];
            let kind =
                format!("{b:?}").chars().take_while(|c| c.is_alphanumeric()).collect::<String>();
            let t: String = block_text(b).chars().take(140).collect();
            format!("#{i}/{}\t{kind}\t{t}", d.blocks.len())
        }
        None => "title".into(),
    }
}

fn run_trafilatura(dir: &Path, ex: Extractor) -> f64 {
    let data: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("evaldata.json")).unwrap()).unwrap();
    let Value::Object(map) = data else { panic!("evaldata.json is not an object") };
    let (mut tp, mut fneg, mut fpos) = (0usize, 0usize, 0usize);
    let mut rows = Vec::new();
    for (id, entry) in &map {
        let file = entry.get("file").and_then(Value::as_str).unwrap_or_default();
        let Ok(html) = std::fs::read(dir.join("html").join(format!("{id}.html"))) else {
            panic!("missing page {id}.html");
        };
        let doc = read_with(&html, &HtmlOptions::default(), ex).ok();
        let text = match &doc {
            Some(d) => snippet_form(&format!(
                "{}\n{}",
                d.meta.title.clone().unwrap_or_default(),
                plain_text(d)
            )),
            None => String::new(),
        };
        let mut missed = Vec::new();
        let mut leaked = Vec::new();
        for s in entry
            .get("with")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
        {
            if text.contains(&snippet_form(s)) {
                tp += 1;
                if let (Some(d), Ok(_)) = (&doc, std::env::var("OFFPRINT_WHERE")) {
                    println!("FOUND\t{id}\t{}", where_is(d, &snippet_form(s)));
                }
            } else {
                fneg += 1;
                missed.push(s);
            }
        }
        for s in entry
            .get("without")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
        {
            if text.contains(&snippet_form(s)) {
                fpos += 1;
                leaked.push(s);
                if let (Some(d), Ok(_)) = (&doc, std::env::var("OFFPRINT_WHERE")) {
                    println!("LEAK\t{id}\t{}", where_is(d, &snippet_form(s)));
                }
            }
        }
        if std::env::var("OFFPRINT_TSV").is_ok() {
            let n_with = entry.get("with").and_then(Value::as_array).map_or(0, Vec::len);
            println!(
                "TSV\t{id}\t{}\t{}\t{}\t{}",
                n_with - missed.len(),
                missed.len(),
                leaked.len(),
                text.chars().count()
            );
        }
        let bad = missed.len() + leaked.len();
        if bad > 0 {
            let short = |v: &[&str]| {
                v.iter().map(|s| s.chars().take(50).collect::<String>()).collect::<Vec<_>>()
            };
            rows.push((
                bad,
                format!(
                    "{id} {file:50} missed {} leaked {} {:?} {:?}",
                    missed.len(),
                    leaked.len(),
                    short(&missed),
                    short(&leaked)
                ),
            ));
        }
    }
    rows.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    println!("== trafilatura/ ({} pages), pages with errors, worst first", map.len());
    for (_, row) in &rows {
        println!("{row}");
    }
    let p = tp as f64 / (tp + fpos).max(1) as f64;
    let r = tp as f64 / (tp + fneg).max(1) as f64;
    let f1 = if p + r == 0.0 { 0.0 } else { 2.0 * p * r / (p + r) };
    println!("trafilatura/: tp={tp} fn={fneg} fp={fpos} P={p:.4} R={r:.4} snippet F1={f1:.4}");
    f1
}

#[test]
fn corpus_scores() {
    let Some(dir) = corpus_dir() else { return };
    let ex = extractor();
    let which = std::env::var("OFFPRINT_CORPUS_PART").unwrap_or_default();
    if which != "trafilatura" {
        let r = run_readability(&dir.join("readability"), ex);
        if ex == Extractor::Auto {
            assert!(r.f1 >= FLOOR_SHINGLE_F1, "shingle F1 {} < floor {FLOOR_SHINGLE_F1}", r.f1);
            assert!(
                r.title_rate >= FLOOR_TITLE_RATE,
                "title rate {} < floor {FLOOR_TITLE_RATE}",
                r.title_rate
            );
            assert!(
                r.title_site_rate >= FLOOR_TITLE_SITE_RATE,
                "title rate up to a site suffix {} < floor {FLOOR_TITLE_SITE_RATE}",
                r.title_site_rate
            );
            assert!(
                r.lang_rate >= FLOOR_LANG_RATE,
                "lang rate {} < floor {FLOOR_LANG_RATE}",
                r.lang_rate
            );
            assert!(
                r.author_rate >= FLOOR_AUTHOR_RATE,
                "author rate {} < floor {FLOOR_AUTHOR_RATE}",
                r.author_rate
            );
        }
    }
    if which != "readability" {
        let f1 = run_trafilatura(&dir.join("trafilatura"), ex);
        if ex == Extractor::Auto {
            assert!(f1 >= FLOOR_SNIPPET_F1, "snippet F1 {f1} < floor {FLOOR_SNIPPET_F1}");
        }
    }
}

/// Dump one page's extraction: `OFFPRINT_PAGE=readability/mathjax cargo test --test suite corpus::dump -- --nocapture`.
#[test]
fn dump_page() {
    let Ok(page) = std::env::var("OFFPRINT_PAGE") else { return };
    let Some(dir) = corpus_dir() else { return };
    let path = if page.starts_with("readability/") {
        dir.join(&page).join("source.html")
    } else {
        dir.join(format!("trafilatura/html/{}.html", page.trim_start_matches("trafilatura/")))
    };
    let html = std::fs::read(path).unwrap();
    match read_with(&html, &HtmlOptions::default(), extractor()) {
        Ok(d) => {
            println!("{:#?}", d.meta);
            println!("{}", plain_text(&d));
        }
        Err(e) => println!("ERROR {e}"),
    }
}

/// The model of a real page, as a reader would look at it: headings start at level 2 and
/// never skip, lists and code survive, links are absolute.
#[test]
fn real_page_structure() {
    let Some(dir) = corpus_dir() else { return };
    let html = std::fs::read(dir.join("readability/ars-1/source.html")).unwrap();
    let doc = read_with(
        &html,
        &HtmlOptions { base_url: Some("http://fakehost/test/page.html".into()) },
        Extractor::Auto,
    )
    .unwrap();
    assert!(doc.meta.title.as_deref().is_some_and(|t| !t.is_empty()));
    let mut prev = 1;
    for (level, _) in doc.headings() {
        assert!(
            (2..=6).contains(&level) && level <= prev + 1,
            "heading level {level} after {prev}"
        );
        prev = level;
    }
    fn links(blocks: &[Block], out: &mut Vec<String>) {
        fn inl(v: &[offprint::model::Inline], out: &mut Vec<String>) {
            for i in v {
                match i {
                    offprint::model::Inline::Link { url, content } => {
                        out.push(url.clone());
                        inl(content, out);
                    }
                    offprint::model::Inline::Emph { content }
                    | offprint::model::Inline::Strong { content } => inl(content, out),
                    _ => {}
                }
            }
        }
        for b in blocks {
            match b {
                Block::Paragraph { content } | Block::Heading { content, .. } => inl(content, out),
                Block::Quote { blocks, .. } => links(blocks, out),
                Block::List { items, .. } => items.iter().for_each(|i| links(i, out)),
                _ => {}
            }
        }
    }
    let mut urls = Vec::new();
    links(&doc.blocks, &mut urls);
    assert!(!urls.is_empty());
    assert!(
        urls.iter()
            .all(|u| u.starts_with("http") || u.starts_with('#') || u.starts_with("mailto:")),
        "{urls:?}"
    );
    assert!(plain_text(&doc).split_whitespace().count() > 300);
}

//! EPUBCheck 5 on an EPUB of every page of the readability corpus, read by the HTML reader:
//! no error and no warning on any. The books are written on the machine's cores, then
//! checked in one EPUBCheck run (a JVM per book took most of the suite's time).

use crate::common::validators;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

#[test]
fn every_readability_page_makes_a_valid_epub() {
    let Some(corpus) = crate::common::corpus_dir() else { return };
    let mut pages: Vec<_> = std::fs::read_dir(corpus.join("readability"))
        .expect("readability/")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("source.html").is_file())
        .collect();
    pages.sort();
    assert!(pages.len() >= 130, "{} pages", pages.len());
    let dir = tempfile::tempdir().expect("tempdir");
    let opts = offprint::Options { source_date_epoch: Some(1_700_000_000), ..Default::default() };
    let next = AtomicUsize::new(0);
    let problems = Mutex::new(Vec::new());
    let written = Mutex::new(Vec::new());
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get()).clamp(1, 4);
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                let Some(page) = pages.get(i) else { break };
                let name =
                    page.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                let bytes = std::fs::read(page.join("source.html")).expect("source.html");
                let result = offprint::read_document(&bytes, offprint::InputFormat::Html, &opts)
                    .and_then(|doc| {
                        offprint::write_edition(&doc, offprint::OutputFormat::Epub, &opts)
                    });
                match result {
                    Ok(epub) => {
                        let path = dir.path().join(format!("{name}.epub"));
                        std::fs::write(&path, epub).expect("write");
                        written.lock().expect("lock").push((name, path));
                    }
                    Err(e) => problems.lock().expect("lock").push(format!("{name}: {e}")),
                }
            });
        }
    });
    let mut written = written.into_inner().expect("lock");
    written.sort();
    let mut problems = problems.into_inner().expect("lock");
    let paths: Vec<_> = written.iter().map(|(_, path)| path.clone()).collect();
    let reports = validators::epubcheck_many(&paths);
    assert_eq!(reports.len(), written.len());
    for ((name, _), report) in written.iter().zip(&reports) {
        let p = report.problems();
        if !p.is_empty() {
            problems.push(format!("{name}:\n{p}"));
        }
    }
    problems.sort();
    assert!(
        problems.is_empty(),
        "{} page(s) with problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// `dc:language` is right on pages that declare or clearly show a language.
#[test]
fn declared_or_evident_languages_reach_dc_language() {
    let Some(corpus) = crate::common::corpus_dir() else { return };
    let opts = offprint::Options { source_date_epoch: Some(1_700_000_000), ..Default::default() };
    for (page, lang) in [("gmw", "zh"), ("yahoo-4", "ja"), ("lemonde-1", "fr"), ("aktualne", "cs")]
    {
        let bytes = std::fs::read(corpus.join("readability").join(page).join("source.html"))
            .expect("source.html");
        let doc = offprint::read_document(&bytes, offprint::InputFormat::Html, &opts).expect(page);
        let epub = offprint::write_edition(&doc, offprint::OutputFormat::Epub, &opts).expect(page);
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(epub)).expect("zip");
        let mut opf = String::new();
        std::io::Read::read_to_string(
            &mut zip.by_name("OEBPS/content.opf").expect("opf"),
            &mut opf,
        )
        .expect("utf-8");
        assert!(
            opf.contains(&format!("<dc:language>{lang}</dc:language>")),
            "{page}: want {lang}: {opf}"
        );
    }
}

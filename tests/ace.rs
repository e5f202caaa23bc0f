//! Ace by DAISY on real EPUB editions: no critical or serious accessibility violation on the
//! seed and three corpus pages (the samples in `input/`). Fails when Ace cannot run;
//! `scripts/test.sh` installs it (npm `@daisy/ace`, run with Debian's Chromium).

use std::path::PathBuf;
use std::process::Command;

fn ace() -> PathBuf {
    let path = std::env::var_os("OFFPRINT_ACE").map(PathBuf::from).unwrap_or_else(|| {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/ace/node_modules/.bin/ace-puppeteer")
    });
    assert!(
        path.exists(),
        "Ace by DAISY is not at {} (scripts/test.sh installs it)",
        path.display()
    );
    path
}

#[test]
fn samples_have_no_serious_accessibility_violation() {
    let ace = ace();
    let dir = tempfile::tempdir().expect("tempdir");
    let input = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("input");
    let opts = offprint::Options { source_date_epoch: Some(1_700_000_000), ..Default::default() };
    let mut checked = 0;
    for name in
        ["islamic-state-redux.txt", "lemonde-1.html", "v8-blog.html", "keep-tabular-data.html"]
    {
        let bytes = std::fs::read(input.join(name)).expect("sample");
        let format = offprint::detect_format(Some(name), &bytes);
        let doc = offprint::read_document(&bytes, format, &opts).expect(name);
        let epub = offprint::write_edition(&doc, offprint::OutputFormat::Epub, &opts).expect(name);
        let path = dir.path().join(format!("{name}.epub"));
        std::fs::write(&path, epub).expect("write");
        let out_dir = dir.path().join(format!("{name}-report"));
        let mut cmd = Command::new(&ace);
        cmd.arg("-s").arg("-o").arg(&out_dir).arg(&path);
        if std::env::var_os("PUPPETEER_EXECUTABLE_PATH").is_none() {
            cmd.env("PUPPETEER_EXECUTABLE_PATH", "/usr/bin/chromium");
        }
        let out = cmd.output().expect("Ace by DAISY runs");
        let report = std::fs::read_to_string(out_dir.join("report.json")).unwrap_or_else(|e| {
            panic!(
                "{name}: Ace wrote no report ({e}): {}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            )
        });
        let json: serde_json::Value = serde_json::from_str(&report).expect("report.json");
        let mut violations = Vec::new();
        for doc in json["assertions"].as_array().into_iter().flatten() {
            for a in doc["assertions"].as_array().into_iter().flatten() {
                let impact = a["earl:test"]["earl:impact"].as_str().unwrap_or("");
                let title = a["earl:test"]["dct:title"].as_str().unwrap_or("");
                eprintln!("{name}: {impact} {title}");
                if matches!(impact, "critical" | "serious") {
                    violations.push(format!("{impact}: {title}"));
                }
            }
        }
        assert!(violations.is_empty(), "{name}: {violations:?}");
        checked += 1;
    }
    assert_eq!(checked, 4);
}

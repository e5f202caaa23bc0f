#!/usr/bin/env bash
# Extraction speed of the whole `--to txt` path over the readability/ corpus pages.
#
#   bench/extract.sh [path/to/offprint]
#
# Copies the 130 `readability/<page>/source.html` files into a temporary folder as
# `<page>.html`, runs ONE `offprint --to txt` process over the folder, and reports the CPU
# time (user + sys) and pages per CPU-second. Build first with
# `CARGO_TARGET_DIR=/work/target-shared cargo build --release`; the default binary is
# `$CARGO_TARGET_DIR/release/offprint`. Corpus: `$OFFPRINT_CORPUS` or ../shared/corpus.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
bin="${1:-${CARGO_TARGET_DIR:-$here/target}/release/offprint}"
corpus="${OFFPRINT_CORPUS:-$here/../shared/corpus}"
[ -x "$bin" ] || { echo "binary not found: $bin" >&2; exit 1; }
[ -d "$corpus/readability" ] || { echo "corpus not found: $corpus" >&2; exit 1; }
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/in" "$tmp/out"
n=0
for d in "$corpus"/readability/*/; do
  name="$(basename "$d")"
  cp "$d/source.html" "$tmp/in/$name.html"
  n=$((n + 1))
done
bytes=$(cat "$tmp"/in/*.html | wc -c)
start=$(date +%s.%N)
# `times` after the run gives the children's user and sys CPU time.
"$bin" --to txt --quiet -o "$tmp/out" "$tmp/in" || true
end=$(date +%s.%N)
times > "$tmp/times"
read -r cu cs < <(tail -1 "$tmp/times" | tr 'ms' '  ' | awk '{print $1*60+$2, $3*60+$4}')
cpu=$(echo "$cu + $cs" | bc -l)
wall=$(echo "$end - $start" | bc -l)
out=$(ls "$tmp/out" | wc -l)
printf 'pages: %d (%.1f MB), outputs: %d\n' "$n" "$(echo "$bytes/1048576" | bc -l)" "$out"
printf 'CPU: %.2f s (user %.2f, sys %.2f), wall %.2f s\n' "$cpu" "$cu" "$cs" "$wall"
printf 'pages per CPU-second: %.1f\n' "$(echo "$n / $cpu" | bc -l)"

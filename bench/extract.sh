#!/usr/bin/env bash
# Extraction speed of the whole `--to txt` path over the readability/ corpus pages.
#
#   bench/extract.sh [path/to/offprint]
#
# Copies the 130 `readability/<page>/source.html` files into a temporary folder as
# `<page>.html`, runs ONE `offprint --to txt -j1` process over the folder, and reports its
# CPU time (user + sys), pages per CPU-second and peak memory. Build first with
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
[ -x /usr/bin/time ] || { echo "/usr/bin/time is missing (Debian package: time)" >&2; exit 1; }
# /usr/bin/time measures the offprint process alone (the shell's `times` would also count
# the copying above).
/usr/bin/time -f '%U %S %e %M' -o "$tmp/time" \
  "$bin" --to txt --quiet -j1 -o "$tmp/out" "$tmp/in" || true
read -r cu cs wall rss < "$tmp/time"
cpu=$(echo "$cu + $cs" | bc -l)
out=$(ls "$tmp/out" | wc -l)
printf 'pages: %d (%.1f MB), outputs: %d\n' "$n" "$(echo "$bytes/1048576" | bc -l)" "$out"
printf 'CPU: %.2f s (user %.2f, sys %.2f), wall %.2f s, peak RSS %d MiB (-j1)\n' \
  "$cpu" "$cu" "$cs" "$wall" "$((rss / 1024))"
printf 'pages per CPU-second: %.1f\n' "$(echo "$n / $cpu" | bc -l)"

#!/usr/bin/env bash
# Batch speed of offprint over the 130 pages of the readability corpus, with pandoc and
# trafilatura on the same pages when they are installed.
#
#   bench/run.sh [--formats md,txt] [--input html|text] [--jobs "1 2"] [--repeat 3]
#                [--corpus DIR] [--install] [--keep]
#
#   --formats   editions to write (default md,txt; e.g. md,epub,pdf once those writers land)
#   --input     html: the pages as they are (<page>.html); text: plain-text dumps of them made
#               with `w3m -dump` first (the text-dump reader's path); default html
#   --jobs      the -j values to time (default "1 2": the ratio shows how linear it scales)
#   --repeat    runs per -j value; the fastest counts (default 3)
#   --corpus    corpus root (default $OFFPRINT_CORPUS or ../shared/corpus)
#   --install   install pandoc (apt) and trafilatura (pip) first; never done otherwise
#   --keep      keep the work folder (inputs and editions) and print its path
#
# Prints pages/second per -j value, the scaling ratio, peak memory (max RSS from
# /usr/bin/time -v), and for comparison pandoc's HTML→EPUB alone (one process per page, as a
# user would run it) and trafilatura's extraction (in one Python process, per page), with
# offprint/other ratios.
set -euo pipefail
cd "$(dirname "$0")/.."

formats=md,txt
input=html
jobs_list="1 2"
repeat=3
corpus="${OFFPRINT_CORPUS:-../shared/corpus}"
install=0
keep=0
while [ $# -gt 0 ]; do
  case "$1" in
    --formats) formats="$2"; shift 2 ;;
    --input) input="$2"; shift 2 ;;
    --jobs) jobs_list="$2"; shift 2 ;;
    --repeat) repeat="$2"; shift 2 ;;
    --corpus) corpus="$2"; shift 2 ;;
    --install) install=1; shift ;;
    --keep) keep=1; shift ;;
    -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done
case "$input" in html|text) ;; *) echo "--input is html or text" >&2; exit 2 ;; esac
pages_src="$corpus/readability"
[ -d "$pages_src" ] || { echo "no corpus at $pages_src (use --corpus DIR)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "/usr/bin/time (GNU time) is needed for peak memory" >&2; exit 2; }

if [ "$install" = 1 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  command -v pandoc >/dev/null 2>&1 || { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq pandoc >/dev/null; }
  python3 -c 'import trafilatura' 2>/dev/null || python3 -m pip install -q --disable-pip-version-check trafilatura lxml_html_clean
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/offprint-bench.XXXXXX")"
if [ "$keep" = 1 ]; then echo "work folder: $work"; else trap 'rm -rf "$work"' EXIT; fi

echo "== building (release)" >&2
cargo build --release --locked -q
target="${CARGO_TARGET_DIR:-target}"
# Copy the binary: a shared target folder may be rebuilt by someone else mid-run.
cp "$target/release/offprint" "$work/offprint"
bin="$work/offprint"

mkdir -p "$work/html" "$work/pages"
for d in "$pages_src"/*/; do
  name="$(basename "$d")"
  cp "$d/source.html" "$work/html/$name.html"
done
n=$(ls "$work/html" | wc -l)
if [ "$input" = text ]; then
  command -v w3m >/dev/null 2>&1 || { echo "--input text needs w3m" >&2; exit 2; }
  for f in "$work"/html/*.html; do
    name="$(basename "$f" .html)"
    w3m -dump -T text/html -cols 100 -O UTF-8 <"$f" >"$work/pages/$name.txt" 2>/dev/null || true
  done
else
  cp "$work"/html/*.html "$work/pages/"
fi
bytes=$(cat "$work"/pages/* | wc -c)
echo "corpus: $n pages ($input, $((bytes / 1024)) KiB), formats $formats, $(nproc) cores, $("$bin" --version)"

now() { date +%s.%N; }
declare -A rate cpu_rate
for j in $jobs_list; do
  best=""; rss=""; summary=""; cpu=""
  for _ in $(seq "$repeat"); do
    rm -rf "$work/out"
    t0=$(now)
    /usr/bin/time -v -o "$work/time.txt" "$bin" "$work/pages" --to "$formats" -o "$work/out" -j "$j" \
      2>"$work/stderr.txt" || true
    t1=$(now)
    secs=$(echo "$t1 - $t0" | bc -l)
    r=$(grep -m1 'Maximum resident set size' "$work/time.txt" | awk '{print $NF}')
    c=$(awk -F': ' '/User time|System time/ {s += $2} END {print s}' "$work/time.txt")
    if [ -z "$best" ] || [ "$(echo "$secs < $best" | bc -l)" = 1 ]; then best=$secs; cpu=$c; fi
    if [ -z "$rss" ] || [ "$r" -gt "$rss" ]; then rss=$r; fi
    summary=$(grep -m1 '^converted ' "$work/stderr.txt" || true)
  done
  converted=$(echo "$summary" | sed -n 's/^converted \([0-9]*\).*/\1/p')
  failed=$(echo "$summary" | sed -n 's/.*failed \([0-9]*\).*/\1/p')
  rate[$j]=$(echo "$n / $best" | bc -l)
  cpu_rate[$j]=$(echo "$n / $cpu" | bc -l)
  printf 'offprint -j%s: %6.2f s wall %7.1f pages/s | %6.2f s CPU %7.1f pages/CPU-s | peak RSS %6.1f MiB | converted %s, failed %s\n' \
    "$j" "$best" "${rate[$j]}" "$cpu" "${cpu_rate[$j]}" "$(echo "$rss / 1024" | bc -l)" "${converted:-?}" "${failed:-?}"
done
first=$(echo "$jobs_list" | awk '{print $1}')
for j in $jobs_list; do
  [ "$j" = "$first" ] && continue
  printf 'scaling -j%s / -j%s: %.2fx (ideal %sx)\n' "$j" "$first" "$(echo "${rate[$j]} / ${rate[$first]}" | bc -l)" "$(echo "$j / $first" | bc)"
done
if [ "${failed:-0}" != "0" ]; then
  echo "note: failures (first lines of the last run's stderr):"
  grep -v '^converted\|^  ' "$work/stderr.txt" | head -5 | sed 's/^/  /'
fi
one=${rate[$first]}
one_cpu=${cpu_rate[$first]}

echo "load average before the comparisons: $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine skews wall times; CPU seconds less so)"
if command -v pandoc >/dev/null 2>&1; then
  mkdir -p "$work/pandoc"
  # --sandbox (pandoc >= 2.15) keeps pandoc from fetching the pages' remote images.
  sandbox=""; pandoc --sandbox --version >/dev/null 2>&1 && sandbox="--sandbox"
  t0=$(now)
  /usr/bin/time -f '%U %S' -o "$work/pandoc-time.txt" bash -c '
    for f in "$1"/html/*.html; do
      pandoc $2 -f html -t epub -o "$1/pandoc/$(basename "$f" .html).epub" "$f" 2>/dev/null || true
    done' _ "$work" "$sandbox"
  t1=$(now)
  p=$(echo "$n / ($t1 - $t0)" | bc -l)
  pc=$(awk '{print $1 + $2}' "$work/pandoc-time.txt")
  printf 'pandoc %s -f html -t epub (a process per page): %7.1f pages/s, %7.1f pages/CPU-s   offprint -j%s / pandoc: %.1fx wall, %.1fx CPU\n' \
    "$sandbox" "$p" "$(echo "$n / $pc" | bc -l)" "$first" "$(echo "$one / $p" | bc -l)" "$(echo "$one_cpu / ($n / $pc)" | bc -l)"
else
  echo "pandoc: not installed (bench/run.sh --install)"
fi

if python3 -c 'import trafilatura' 2>/dev/null; then
  read -r p pc < <(python3 - "$work/html" <<'PY'
import pathlib, sys, time, trafilatura
files = sorted(pathlib.Path(sys.argv[1]).glob("*.html"))
pages = [f.read_text(encoding="utf-8", errors="replace") for f in files]
t, c = time.perf_counter(), time.process_time()
for html in pages:
    trafilatura.extract(html, output_format="markdown")
print(len(pages) / (time.perf_counter() - t), len(pages) / (time.process_time() - c))
PY
)
  printf 'trafilatura.extract (one Python process):  %7.1f pages/s, %7.1f pages/CPU-s   offprint -j%s / trafilatura: %.1fx wall, %.1fx CPU\n' \
    "$p" "$pc" "$first" "$(echo "$one / $p" | bc -l)" "$(echo "$one_cpu / $pc" | bc -l)"
else
  echo "trafilatura: not installed (bench/run.sh --install)"
fi

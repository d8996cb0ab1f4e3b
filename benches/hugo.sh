#!/usr/bin/env bash
# Time Hugo on N plain Markdown pages, for comparison with boardpack
# (docs/performance.md). Needs `hugo` (Debian: apt-get install hugo).
#
#   benches/hugo.sh [PAGES...]      default: 2000 10000
#   RUNS=5 WORK=/dev/shm/hugo-bench benches/hugo.sh 2000
#
# Each page is a short Markdown report (a heading, a paragraph with a link,
# a list and a small table) under a minimal layout: the cheapest page a
# static site generator makes, against which boardpack's pages, each with
# its charts, are measured. Output goes to tmpfs; median wall time and peak
# resident memory of RUNS full builds.
set -euo pipefail
RUNS=${RUNS:-5}
WORK=${WORK:-/dev/shm/hugo-bench}
SIZES=("$@")
[ ${#SIZES[@]} -eq 0 ] && SIZES=(2000 10000)
command -v hugo >/dev/null || { echo "hugo is not installed" >&2; exit 1; }
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
echo "$(hugo version | cut -d' ' -f1-2), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "| pages | wall (median of $RUNS) | pages/s | peak RSS |"
echo "|---|---|---|---|"
for n in "${SIZES[@]}"; do
  site="$WORK/site-$n"; out="$WORK/out-$n"
  rm -rf "$site"; mkdir -p "$site/content/pages" "$site/layouts/_default"
  printf 'baseURL = "http://example.org/"\ntitle = "Bench"\ndisableKinds = ["taxonomy", "term", "RSS", "sitemap"]\n' >"$site/hugo.toml"
  printf '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title></head><body><main><h1>{{ .Title }}</h1>{{ .Content }}</main></body></html>\n' >"$site/layouts/_default/single.html"
  printf '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title></head><body><ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul></body></html>\n' >"$site/layouts/_default/list.html"
  cp "$site/layouts/_default/list.html" "$site/layouts/index.html"
  for i in $(seq 1 "$n"); do
    printf -- '---\ntitle: "Page %d"\n---\n\n## Progress\n\nThe service **improved** its timeliness this quarter; see the [plan](/).\n\n- First point about placements\n- Second point about reviews\n\n| Measure | Target | Actual |\n|---|---|---|\n| Reviews | 95 | 93 |\n| Visits | 90 | 91 |\n' "$i" >"$site/content/pages/p$i.md"
  done
  walls=(); rss=()
  for _ in $(seq "$RUNS"); do
    rm -rf "$out"
    /usr/bin/time -f '%e %M' -o "$WORK/time" hugo --quiet --source "$site" -d "$out" >/dev/null
    read -r w m <"$WORK/time"; walls+=("$w"); rss+=("$m")
  done
  W=$(printf '%s\n' "${walls[@]}" | median)
  M=$(printf '%s\n' "${rss[@]}" | median | awk '{printf "%.0f", $1/1024}')
  pages=$(find "$out" -name '*.html' | wc -l)
  printf '| %s | %.2f s | %.0f | %s MiB |\n' "$pages" "$W" "$(echo "$pages / $W" | bc -l)" "$M"
done

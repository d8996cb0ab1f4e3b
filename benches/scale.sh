#!/usr/bin/env bash
# Time the release binary on synthetic sites of several sizes (see docs/performance.md).
#
#   benches/scale.sh [SIZES...]        default: 10 100 1000 5000
#   RUNS=5 WORK=/dev/shm/bp-bench benches/scale.sh 100 1000
#
# For each size: generate the site (benches/build.rs with BOARDPACK_BENCH_GENERATE),
# run `boardpack build` RUNS times into a fresh output each time (a full build),
# and report the median wall time and peak RSS (GNU time), pages/s, charts/s and
# output size. Then the scenarios: a one-plan edit in the 1,000-plan site
# (incremental build), `check` on it, a 100-plan site in git whose packs
# compare with an earlier commit, and the example site (full, and with
# --pdf when a browser is found, a rebuild with no pack changed).
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-5}
WORK=${WORK:-/dev/shm/boardpack-bench}
SIZES=("$@")
[ ${#SIZES[@]} -eq 0 ] && SIZES=(10 100 1000 5000)
cargo build --release --quiet --bin boardpack
cargo bench --no-run --quiet --bench build 2>/dev/null
BENCH=$(ls -t target/release/deps/build-* | grep -v '\.d$' | head -1)
BIN=${BIN:-target/release/boardpack}
rm -rf "$WORK"; mkdir -p "$WORK"
# The build cache (plans kept between runs) lives here, not in ~/.cache; the
# full builds below remove it first, so they parse every plan.
export BOARDPACK_CACHE="$WORK/cache"

median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

# time_runs <label> <prepare-cmd> <cmd...>: RUNS runs; prints median wall (s) and RSS (MiB).
time_runs() {
  local prep=$1; shift
  local walls=() rss=()
  for _ in $(seq "$RUNS"); do
    eval "$prep"
    /usr/bin/time -f '%e %M' -o "$WORK/time" "$@" >/dev/null 2>"$WORK/err" || { cat "$WORK/err"; exit 1; }
    read -r w m <"$WORK/time"; walls+=("$w"); rss+=("$m")
  done
  W=$(printf '%s\n' "${walls[@]}" | median)
  M=$(printf '%s\n' "${rss[@]}" | median | awk '{printf "%.0f", $1/1024}')
}

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg)"
printf '| plans | pages | charts | wall (median of %s) | pages/s | charts/s | peak RSS | output |\n|---|---|---|---|---|---|---|---|\n' "$RUNS"
for n in "${SIZES[@]}"; do
  site="$WORK/site-$n"; out="$WORK/out-$n"
  BOARDPACK_BENCH_PLANS=$n BOARDPACK_BENCH_GENERATE="$site" "$BENCH" >/dev/null
  time_runs "rm -rf '$out' '$BOARDPACK_CACHE'" "$BIN" build --root "$site" --out "$out"
  pages=$(find "$out" -name '*.html' | wc -l)
  charts=$(grep -rhoE '<svg [^>]*class="bp-chart[ "]' "$out" --include='*.html' | wc -l)
  size=$(du -sm "$out" | cut -f1)
  printf '| %s | %s | %s | %.3f s | %.0f | %.0f | %s MiB | %s MiB |\n' "$n" "$pages" "$charts" "$W" \
    "$(echo "$pages / $W" | bc -l)" "$(echo "$charts / $W" | bc -l)" "$M" "$size"
done

if [ -d "$WORK/site-1000" ]; then
  site="$WORK/site-1000"; out="$WORK/out-1000"
  "$BIN" build --root "$site" --out "$out" >/dev/null 2>&1
  plan="$site/content/plans/p0500/plan.yaml"
  # Each run edits one plan's title (a different text each time), then rebuilds.
  time_runs "sed -i \"s/^title: .*/title: Edited \$RANDOM/\" '$plan'" "$BIN" build --root "$site" --out "$out"
  echo "one-plan edit, 1,000 plans (incremental, plans cached): $W s, $M MiB"
  time_runs "rm -rf '$out' '$BOARDPACK_CACHE'" "$BIN" build --root "$site" --out "$out"
  echo "same site, full build (no previous output, no cache): $W s, $M MiB"
  time_runs "rm -rf '$out'" "$BIN" build --root "$site" --out "$out"
  echo "same site, full build (no previous output, plans cached): $W s, $M MiB"
  time_runs ":" "$BIN" check --root "$site"
  echo "check, 1,000 plans (plans cached): $W s, $M MiB"
  time_runs ":" env BOARDPACK_CACHE=off "$BIN" check --root "$site"
  echo "check, 1,000 plans (no cache): $W s, $M MiB"
fi
# A 100-plan site in git whose eight packs compare with an earlier commit:
# the plans committed in 2008, one retitled in 2010, packs quarterly between.
site="$WORK/git-100"
BOARDPACK_BENCH_PLANS=100 BOARDPACK_BENCH_GENERATE="$site" "$BENCH" >/dev/null
g() { GIT_AUTHOR_DATE=$1 GIT_COMMITTER_DATE=$1 git -C "$site" -c user.name=Bench -c user.email=bench@example.org -c commit.gpgsign=false "${@:2}"; }
g 2008-06-01T10:00:00Z init -q -b main && g 2008-06-01T10:00:00Z add -A && g 2008-06-01T10:00:00Z commit -q -m plans
mkdir -p "$site/content/packs"
for q in 1 2 3 4 5 6 7 8; do
  y=$((2008 + (q - 1) / 4)); qq=$(((q - 1) % 4 + 1)); m=$(((qq - 1) * 3 + 7)); my=$y
  [ $m -gt 12 ] && m=$((m - 12)) && my=$((y + 1))
  printf 'title: Pack %s\nboard: Board\nmeeting_date: %d-%02d-15\nperiod: %d/%02d Q%d\nplans: [p0000, p0001, p0002, p0003, p0004]\n' \
    "$q" "$my" "$m" "$y" $(((y + 1) % 100)) "$qq" >"$site/content/packs/pack$q.yaml"
done
sed -i 's/^title: .*/title: Retitled/' "$site/content/plans/p0001/plan.yaml"
g 2010-06-01T10:00:00Z add -A && g 2010-06-01T10:00:00Z commit -q -m packs
time_runs "rm -rf '$WORK/git-100-out' '$BOARDPACK_CACHE'" "$BIN" build --root "$site" --out "$WORK/git-100-out"
echo "100 plans in git, 8 packs comparing with an earlier commit, full build (no cache): $W s, $M MiB"
time_runs "rm -rf '$WORK/git-100-out'" "$BIN" build --root "$site" --out "$WORK/git-100-out"
echo "the same, full build (plans, versions and the git listing cached): $W s, $M MiB"

time_runs "rm -rf '$WORK/example' '$BOARDPACK_CACHE'" "$BIN" build --root . --out "$WORK/example"
echo "example site, full build (no cache): $W s, $M MiB"
time_runs "rm -rf '$WORK/example'" "$BIN" build --root . --out "$WORK/example"
echo "example site, full build (plans and versions cached): $W s, $M MiB"
time_runs ":" "$BIN" build --root . --out "$WORK/example"
echo "example site, rebuild with nothing changed: $W s, $M MiB"
# A clone made as from a server (objects packed): git answers faster than in
# a working repository with thousands of loose objects.
git clone -q --no-local . "$WORK/clone"
"$BIN" build --root "$WORK/clone" --out "$WORK/clone-out" >/dev/null 2>&1
time_runs "rm -rf '$WORK/clone-out'" "$BIN" build --root "$WORK/clone" --out "$WORK/clone-out"
echo "example site in a fresh clone, full build (plans and versions cached): $W s, $M MiB"
if command -v chromium >/dev/null || [ -n "${BOARDPACK_BROWSER:-}" ]; then
  "$BIN" build --root . --out "$WORK/example-pdf" --pdf >/dev/null 2>&1
  time_runs ":" "$BIN" build --root . --out "$WORK/example-pdf" --pdf
  echo "example site, --pdf rebuild with no pack changed: $W s, $M MiB"
fi

#!/usr/bin/env bash
# The sync budgets as a curve, measured on the real binaries against a real
# portal on a throwaway PostgreSQL: for each N, a fresh cluster seeded with N
# apps (seed_portal.sql), then the wall time and peak memory (max RSS) of
# `appdesk sync --json` for
#   - the first sync into a database holding 1 local app (pulls N, pushes 1),
#   - a sync with nothing to do (3 runs: the median time, the largest RSS),
#   - one local change pushed (a scope added to the local app),
#   - one change made on the portal by another user (a rename by PATCH), pulled.
# Issue 18's goals: 10k: first < 10 s, no-op < 200 ms; 100k: first < 60 s,
# no-op < 300 ms, RSS < 150 MB. The table marks each figure past its goal.
#
# Each sync's report is checked before its figures count, so that the bench
# never times the wrong work: nothing quarantined (an app the client refuses
# is kept aside, not stored), no conflict, nothing left queued, exactly the
# expected numbers pulled and pushed; after the first sync the database holds
# as many apps as the portal (plain SQL on both sides). A failed check stops
# the run with the report.
#
#   cargo build --release -p appdesk-cli -p appdesk-portal
#   crates/appdesk-sync/benches/budgets.sh [N ...]      (default: 1000 10000 100000)
#
# Needs PostgreSQL (initdb, pg_ctl, psql), GNU time (/usr/bin/time), jq, curl,
# bc and python3. Last figures: RESULTS.md beside this script.
# APPDESK_BENCH_BIN: the folder of the binaries (default: $CARGO_TARGET_DIR/release).
# The figures are wall times on whatever else the machine runs: say what that was.
set -euo pipefail
cd "$(dirname "$0")/../../.."
source scripts/lib/portal.sh
BIN=${APPDESK_BENCH_BIN:-${CARGO_TARGET_DIR:-target}/release}
for b in appdesk appdesk-portal; do
  [ -x "$BIN/$b" ] || {
    echo "no $BIN/$b: cargo build --release -p appdesk-cli -p appdesk-portal" >&2
    exit 1
  }
done
[ $# -gt 0 ] || set -- 1000 10000 100000
for n in "$@"; do
  [[ $n =~ ^[1-9][0-9]*$ ]] || {
    echo "N must be a positive whole number of apps, not '$n'" >&2
    exit 2
  }
done

work=$(mktemp -d "${TMPDIR:-/tmp}/appdesk-bench.XXXXXX")
cleanup() {
  portal_cleanup
  rm -rf "$work"
}
trap cleanup EXIT
rows=()

# server_cpu: CPU time (ms) used so far by the portal and its PostgreSQL (the
# postmaster, its running backends, and the backends it has reaped).
server_cpu() {
  local postmaster pids
  postmaster=$(head -1 "$PORTAL_DIR/data/postmaster.pid")
  pids="$PORTAL_PID $postmaster $(pgrep -P "$postmaster" | tr '\n' ' ')"
  for p in $pids; do cat "/proc/$p/stat" 2>/dev/null || true; done |
    sed -E 's/^.*\) //' |
    awk -v tck="$(getconf CLK_TCK)" '{ t += $12 + $13 + $14 + $15 } END { printf "%d", t * 1000 / tck }'
}

# measure OUT CMD...: runs CMD with its stdout in OUT; sets MS (wall, ms), KB
# (max RSS, KB), CPU (the command's user + system ms) and SRV (the portal's and
# PostgreSQL's CPU ms meanwhile).
measure() {
  local out=$1 t0 t1 s0
  shift
  s0=$(server_cpu)
  t0=$(date +%s%N)
  /usr/bin/time -f "%M %U %S" -o "$work/rss" "$@" >"$out"
  t1=$(date +%s%N)
  SRV=$(($(server_cpu) - s0))
  MS=$(((t1 - t0) / 1000000))
  read -r KB CPU < <(tail -1 "$work/rss" | awk '{ printf "%d %d\n", $1, ($2 + $3) * 1000 }')
}

# expect REPORT WHAT PULLED PUSHED: the sync report is what the step should
# have done, or the run stops showing it.
expect() {
  local report=$1 what=$2 pulled=$3 pushed=$4
  if ! jq -e --argjson pulled "$pulled" --argjson pushed "$pushed" \
    '.quarantined == [] and .conflicts == [] and .pending == 0
     and .pulled == $pulled and .pushed == $pushed' "$report" >/dev/null; then
    echo "$what: the sync did not do what is measured (expected $pulled pulled," \
      "$pushed pushed, nothing quarantined, no conflict, nothing pending):" >&2
    jq -c '{pulled, pushed, pending, conflicts: (.conflicts | length),
            quarantined: (.quarantined | length), firstQuarantined: .quarantined[0]}' \
      "$report" >&2
    exit 1
  fi
}

# step N STEP PULLED PUSHED: one `appdesk sync --json` of alice's database,
# measured, its report checked, its figures kept as a row.
step() {
  local n=$1 name=$2 pulled=$3 pushed=$4
  measure "$work/$n/$name.json" "${A[@]}" sync --json
  expect "$work/$n/$name.json" "N=$n $name" "$pulled" "$pushed"
  rows+=("$n $name $MS $CPU $SRV $KB")
  printf '  %-8s %6d ms wall, %6d ms CPU, portal+PostgreSQL %6d ms CPU, max RSS %s MB\n' \
    "$name" "$MS" "$CPU" "$SRV" "$(mb "$KB")"
}

mb() { echo "scale=1; $1 / 1024" | bc; }

bench() {
  local n=$1 w="$work/$1" bob t0 seed_s id rev local_apps portal_apps
  mkdir -p "$w"
  portal_cluster_start
  "$BIN/appdesk-portal" workspace create team --database "$PORTAL_DATABASE" >/dev/null
  "$BIN/appdesk-portal" token create --workspace team --user alice \
    --database "$PORTAL_DATABASE" >"$w/alice.token"
  bob=$("$BIN/appdesk-portal" token create --workspace team --user bob \
    --database "$PORTAL_DATABASE")
  portal_serve "$BIN/appdesk-portal" 127.0.0.1:0
  t0=$(date +%s%N)
  psql -X -q -v ON_ERROR_STOP=1 -v workspace=team -v n="$n" \
    -f crates/appdesk-sync/benches/seed_portal.sql "$PORTAL_DATABASE"
  seed_s=$(echo "scale=1; ($(date +%s%N) - $t0) / 1000000000" | bc)
  echo "N=$n: portal seeded in $seed_s s"

  A=("$BIN/appdesk" --db "$w/a.db" --user alice)
  "${A[@]}" app new --name Mine --org Acme --homepage https://acme.example --tenant 1 \
    --scope tn.crm.customers:r >/dev/null
  "${A[@]}" remote add origin "$PORTAL_URL" --token-file "$w/alice.token" >/dev/null

  # Pulls the N seeded apps, pushes the local one.
  step "$n" first "$n" 1
  local_apps=$(python3 -c 'import sqlite3, sys
print(sqlite3.connect(sys.argv[1]).execute("SELECT count(*) FROM apps").fetchone()[0])' "$w/a.db")
  portal_apps=$(psql -X -At -c 'SELECT count(*) FROM apps' "$PORTAL_DATABASE")
  if [ "$local_apps" != $((n + 1)) ] || [ "$portal_apps" != $((n + 1)) ]; then
    echo "N=$n first: the database holds $local_apps apps, the portal $portal_apps" \
      "(expected $((n + 1)) each)" >&2
    exit 1
  fi
  step "$n" noop 0 0
  step "$n" noop 0 0
  step "$n" noop 0 0
  "${A[@]}" app scopes Mine --add tn.jpm.jobs:r >/dev/null
  step "$n" push 0 1
  # Another user renames a seeded app through the portal's HTTP API, as a
  # client would; alice pulls it.
  read -r id rev < <(psql -X -At -F ' ' \
    -c "SELECT id, revision FROM apps WHERE name LIKE 'Seeded app %' ORDER BY id LIMIT 1" \
    "$PORTAL_DATABASE")
  curl -sf -o /dev/null -X PATCH "$PORTAL_URL/v1/apps/$id" \
    -H "Authorization: Bearer $bob" -H "Idempotency-Key: bench-$n-rename" \
    -H "If-Match: \"$rev\"" -H 'Content-Type: application/json' \
    -d '{"name": "Renamed by bob"}'
  step "$n" pull 1 0
  portal_cleanup
  unset PORTAL_PID PORTAL_DIR
}

for n in "$@"; do bench "$n"; done

# The figures of step STEP at N: "MS CPU SRV KB", the no-op's median by wall
# time (the largest RSS of the three).
figures() {
  local n=$1 name=$2
  printf '%s\n' "${rows[@]}" | awk -v n="$n" -v s="$name" '$1 == n && $2 == s' |
    sort -k3,3n | awk '{ r[NR] = $0; if ($6 > kb) kb = $6 }
      END { split(r[int((NR + 1) / 2)], f, " "); print f[3], f[4], f[5], kb }'
}

# goal N STEP MS KB: the issue's goals the figures miss, as text.
goal() {
  local n=$1 name=$2 ms=$3 kb=$4 miss=()
  case "$n:$name" in
  10000:first) [ "$ms" -lt 10000 ] || miss+=("> 10 s") ;;
  10000:noop) [ "$ms" -lt 200 ] || miss+=("> 200 ms") ;;
  100000:first) [ "$ms" -lt 60000 ] || miss+=("> 60 s") ;;
  100000:noop) [ "$ms" -lt 300 ] || miss+=("> 300 ms") ;;
  esac
  if [ "$n" = 100000 ] && [ "$kb" -ge $((150 * 1024)) ]; then miss+=("RSS > 150 MB"); fi
  echo "${miss[*]:-}"
}

echo
echo "| apps | sync | wall ms | client CPU ms | portal+PostgreSQL CPU ms | client max RSS MB | misses goal |"
echo "|-----:|------|-----:|-----:|-----:|-----:|------|"
for n in "$@"; do
  for name in first noop push pull; do
    read -r ms cpu srv kb < <(figures "$n" "$name")
    echo "| $n | $name | $ms | $cpu | $srv | $(mb "$kb") | $(goal "$n" "$name" "$ms" "$kb") |"
  done
done
echo
echo "first: first sync (pulls N, pushes 1); noop: nothing to do (median of 3 by wall time," \
  "largest RSS); push: one local change pushed; pull: one portal change pulled."
echo "Goals (issue 18): 10k: first < 10 s, no-op < 200 ms; 100k: first < 60 s," \
  "no-op < 300 ms, RSS < 150 MB."

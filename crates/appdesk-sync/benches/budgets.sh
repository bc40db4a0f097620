#!/usr/bin/env bash
# The sync budgets, measured on the real binaries (bench profile): a portal
# seeded with N apps (default 10000) by seed_portal.sql, then the wall time and
# peak memory (max RSS) of `appdesk sync` for the first sync into an empty
# database, a sync with nothing to do, one local change pushed, and one change
# on the portal pulled. Budgets: < 10 s, < 200 ms, < 300 ms, < 100 MB.
#
#   cargo build --profile bench -p appdesk-cli -p appdesk-portal
#   crates/appdesk-sync/benches/budgets.sh [N]
set -euo pipefail
cd "$(dirname "$0")/../../.."
source scripts/lib/portal.sh
trap portal_cleanup EXIT
R=${CARGO_TARGET_DIR:-target}/release
n=${1:-10000}
portal_cluster_start
"$R/appdesk-portal" workspace create team --database "$PORTAL_DATABASE" >/dev/null
ta=$("$R/appdesk-portal" token create --workspace team --user alice --database "$PORTAL_DATABASE")
tb=$("$R/appdesk-portal" token create --workspace team --user bob --database "$PORTAL_DATABASE")
portal_serve "$R/appdesk-portal" 127.0.0.1:0
s=$(date +%s.%N)
psql -X -q -v ON_ERROR_STOP=1 -v workspace=team -v n="$n" -f crates/appdesk-sync/benches/seed_portal.sql "$PORTAL_DATABASE"
echo "seed $n apps: $(echo "$(date +%s.%N) - $s" | bc) s"
w=$(mktemp -d); echo "$ta" > $w/ta; echo "$tb" > $w/tb
A="$R/appdesk --db $w/a.db --user alice"; B="$R/appdesk --db $w/b.db --user bob"
$A app new --name Mine --org Acme --homepage https://acme.example --tenant 1 --scope tn.crm.customers:r >/dev/null
$A remote add origin "$PORTAL_URL" --token-file $w/ta >/dev/null
echo "first sync ($n apps, a database with 1 local app):"; /usr/bin/time -f "  %e s wall, max RSS %M KB" $A sync | head -1
for i in 1 2 3; do echo "no-op sync:"; /usr/bin/time -f "  %e s wall, max RSS %M KB" $A sync | head -1; done
$A app scopes Mine --add tn.jpm.jobs:r >/dev/null
echo "one local change pushed:"; /usr/bin/time -f "  %e s wall, max RSS %M KB" $A sync | head -1
$B app new --name Other --org B --homepage https://b.example --tenant 2 --scope tn.crm.customers:r >/dev/null
$B remote add origin "$PORTAL_URL" --token-file $w/tb >/dev/null; $B sync >/dev/null
echo "one app changed on the portal, pulled:"; /usr/bin/time -f "  %e s wall, max RSS %M KB" $A sync | head -1
rm -rf $w

#!/usr/bin/env bash
# Reconciliation acts at the budget's scale: 10,000 dealers × 100 entries in one month (added by SQL
# to a seeded reference database, in August of this year), then `dealerd acts generate` for that
# month twice, from no acts — the first makes every act, the second finds them all unchanged. Prints wall time and
# peak RSS of each.   bench/acts_bench.sh BINARY DATABASE_URL
set -euo pipefail
bin=$1
export DEALERD_DATABASE_URL=$2
db=${2%%\?*}
year=$(date +%Y)
psql "$db" -q -c "
INSERT INTO ledger_entries (id, dealer_id, external_id, kind, document_number, document_date, amount_minor, currency, effect_minor,
                            due_date, version, created_at, updated_at)
SELECT gen_random_uuid(), d.id, 'ACTB-' || d.code || '-' || g, CASE WHEN g % 3 = 0 THEN 'payment' ELSE 'shipment' END, 'Д-' || g,
       to_char(DATE '$year-08-01' + (g % 31), 'YYYY-MM-DD'), 100000 + g, 'RUB', CASE WHEN g % 3 = 0 THEN -(100000 + g) ELSE 100000 + g END,
       CASE WHEN g % 3 = 0 THEN NULL ELSE to_char(DATE '$year-08-01' + (g % 31) + 30, 'YYYY-MM-DD') END, 1, now(), now()
FROM dealers d CROSS JOIN generate_series(1, 100) g
ON CONFLICT (external_id) DO NOTHING" -c "VACUUM ANALYZE ledger_entries"
"$bin" migrate >/dev/null
# Start from no acts for the month, so the first run makes all of them.
psql "$db" -q -c "
DELETE FROM events WHERE type = 'reconciliation.act_generated' AND data LIKE '%\"period_from\":\"$year-08-01\"%'" \
  -c "DELETE FROM reconciliation_acts WHERE period_from = '$year-08-01'"
for run in first again; do
  /usr/bin/time -f "acts $run: %e s, peak RSS %M KiB" "$bin" acts generate --period "$year-08" 2>&1 | grep -v "dealers…"
done

#!/usr/bin/env bash
# The raw-SQL floor for the receivables figures on a database bench/receivables_bench.py seeded:
# what psql and pgbench alone take for the same work, to set dealerd's figures against.
# Usage: bench/sql_floor.sh DATABASE_URL
set -euo pipefail
url=$1
today=$(date +%F)

echo "== the scan's set query over the whole ledger (psql, best of 3)"
for i in 1 2 3; do
  psql "$url" -qAt -c '\timing on' -c "
    WITH debts AS (
        SELECT dealer_id, due_date, effect_minor AS amount,
               SUM(effect_minor) OVER (PARTITION BY dealer_id ORDER BY due_date, document_date, external_id ROWS UNBOUNDED PRECEDING) AS running
        FROM ledger_entries WHERE effect_minor > 0
    ), credits AS (
        SELECT dealer_id, -SUM(effect_minor) AS credit FROM ledger_entries WHERE effect_minor < 0 GROUP BY dealer_id
    ), unpaid AS (
        SELECT d.dealer_id, d.due_date,
               CASE WHEN d.running - COALESCE(c.credit, 0) <= 0 THEN 0
                    WHEN d.running - COALESCE(c.credit, 0) >= d.amount THEN d.amount
                    ELSE d.running - COALESCE(c.credit, 0) END AS open_minor
        FROM debts d LEFT JOIN credits c ON c.dealer_id = d.dealer_id
    )
    SELECT count(*) FROM (SELECT dealer_id, due_date, SUM(open_minor) FROM unpaid
    WHERE open_minor > 0 AND due_date < '$today' GROUP BY dealer_id, due_date) x" | grep Time
done

echo "== inserting 200,000 ledger rows with the same indexes, one INSERT … SELECT (psql)"
psql "$url" -qAt -c '\timing on' -c "
  BEGIN;
  CREATE TEMP TABLE floor_entries (LIKE ledger_entries INCLUDING ALL);
  INSERT INTO floor_entries (id, dealer_id, external_id, kind, document_number, document_date, amount_minor, currency, effect_minor,
                             due_date, version, created_at, updated_at)
  SELECT gen_random_uuid(), d.id, 'FLOOR-' || g || '-' || d.code, 'shipment', g::text, '$today', 100000, 'RUB', 100000,
         '$today', 1, now(), now()
  FROM generate_series(1, 20) g CROSS JOIN (SELECT id, code FROM dealers LIMIT 10000) d;
  ROLLBACK;" | grep Time

echo "== the credit check's read at 1,000/s for 10 s (pgbench, prepared, 8 clients)"
psql "$url" -qAt -c "DROP TABLE IF EXISTS floor_dealers" \
  -c "CREATE TABLE floor_dealers AS SELECT row_number() OVER () AS n, id FROM dealers" -c "ALTER TABLE floor_dealers ADD PRIMARY KEY (n)"
count=$(psql "$url" -qAt -c "SELECT count(*) FROM floor_dealers")
script=$(mktemp)
cat > "$script" <<SQL
\\set n random(1, $count)
SELECT d.code, d.status, own.limit_minor, seg.limit_minor, b.balance_minor, b.as_of
FROM dealers d LEFT JOIN credit_policies own ON own.dealer_id = d.id
     LEFT JOIN segment_credit_policies seg ON seg.segment = d.segment
     LEFT JOIN dealer_balances b ON b.dealer_id = d.id
WHERE d.id = (SELECT id FROM floor_dealers WHERE n = :n);
SQL
pgbench "$url" -n -M prepared -c 8 -j 2 -R 1000 -T 10 -f "$script" 2>/dev/null | grep -E "latency|tps"
psql "$url" -qAt -c "DROP TABLE floor_dealers"
rm -f "$script"

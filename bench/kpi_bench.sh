#!/usr/bin/env bash
# KPI scorecards on the reference set: 50 managers (one head of sales, four service specialists,
# the rest new- and existing-clients managers) over 10,000 accredited dealers with 100 ledger
# entries each (1,000,000), a plan and a limit each, seeded straight into PostgreSQL with
# generate_series (the API path is measured by receivables_bench.py). Then the ranking
# (GET /v1/scorecards), one card, `dealerd kpi report`, and the ageing report, each three times,
# beside the floor: the figures' set queries alone in psql.
#   bench/kpi_bench.sh BINARY DATABASE_URL   (an empty PostgreSQL database)
set -euo pipefail
bin=$1
export DEALERD_DATABASE_URL=$2
psql_url=${2%%\?*}
work=$(mktemp -d)
trap 'kill "$server" 2>/dev/null || true; rm -rf "$work"' EXIT
port=18091
"$bin" migrate >/dev/null
month=$(TZ=Europe/Moscow date +%Y-%m)

psql "$psql_url" -q -v ON_ERROR_STOP=1 <<SQL
INSERT INTO managers (id, name, email, role, active, created_at, updated_at)
SELECT md5('m' || n)::uuid, 'Менеджер ' || n, 'm' || n || '@example.ru',
       CASE WHEN n = 1 THEN 'head' WHEN n <= 5 THEN 'service' WHEN n % 2 = 0 THEN 'existing_clients' ELSE 'new_clients' END,
       true, now(), now()
FROM generate_series(1, 50) n;
INSERT INTO dealers (id, code, name, legal_name, tax_id, region, segment, manager_id, service_specialist_id, contacts, attributes,
                     status, status_changed_at, created_at, updated_at, search_text, sort_key)
SELECT md5('d' || n)::uuid, 'B-' || n, 'Дилер ' || n, 'ООО «Дилер ' || n || '»', '7707083893', 'Москва', 'cars',
       md5('m' || (6 + n % 45))::uuid, md5('m' || (2 + n % 4))::uuid, '[]', '{}', 'accredited', now(), now(), now(),
       'дилер ' || n, 'дилер ' || lpad(n::text, 5, '0')
FROM generate_series(1, 10000) n;
INSERT INTO credit_policies (dealer_id, currency, limit_minor, payment_term_days, grace_days, allowed_overdue_days,
                             minimum_overdue_minor, warning_percent, hard_block, updated_at, updated_by, reason)
SELECT md5('d' || n)::uuid, 'RUB', 300000000, 30, 0, 0, 0, 80, true, now(), 'bench', 'bench' FROM generate_series(1, 10000) n;
INSERT INTO sales_plans (dealer_id, period, amount_minor, currency, updated_at, updated_by)
SELECT md5('d' || n)::uuid, '$month', 150000000, 'RUB', now(), 'bench' FROM generate_series(1, 10000) n;
INSERT INTO ledger_entries (id, dealer_id, external_id, kind, document_number, document_date, amount_minor, currency, effect_minor,
                            due_date, version, created_at, updated_at)
SELECT md5('e' || d || '-' || k)::uuid, md5('d' || d)::uuid, 'E-' || d || '-' || k,
       CASE WHEN k % 2 = 0 THEN 'shipment' ELSE 'payment' END, 'N' || k,
       to_char(current_date - (400 - k * 4), 'YYYY-MM-DD'), 1000000 + (d % 97) * 1000,
       'RUB', CASE WHEN k % 2 = 0 THEN 1 ELSE -1 END * (1000000 + (d % 97) * 1000) * CASE WHEN k % 2 = 1 AND d % 20 = 0 THEN 0 ELSE 1 END,
       CASE WHEN k % 2 = 0 THEN to_char(current_date - (400 - k * 4) + 30, 'YYYY-MM-DD') END, 1, now(), now()
FROM generate_series(1, 10000) d, generate_series(1, 100) k;
ANALYZE;
SQL
echo "seeded: $(psql "$psql_url" -At -c 'SELECT count(*) FROM ledger_entries') entries, $(psql "$psql_url" -At -c 'SELECT count(*) FROM dealers') dealers, 50 managers"

key=$("$bin" apikey create --name "bench-kpi-$$" --role admin)
DEALERD_HTTP_PORT=$port DEALERD_LOG_LEVEL=warning DEALERD_SCHEDULER_ENABLED=false "$bin" serve >"$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 50); do curl -sf "localhost:$port/readyz" >/dev/null && break; sleep 0.1; done
manager=$(psql "$psql_url" -At -c "SELECT id FROM managers WHERE email = 'm6@example.ru'")
for path in "/v1/scorecards" "/v1/managers/$manager/scorecard" "/v1/reports/ageing" "/v1/reports/ageing?group_by=manager"; do
  for _ in 1 2 3; do
    curl -s -o /dev/null -w "GET $path: %{time_total} s, %{size_download} bytes\n" -H "Authorization: Bearer $key" "localhost:$port$path"
  done
done
for _ in 1 2 3; do
  start=$(date +%s.%N)
  "$bin" kpi report >/dev/null
  echo "dealerd kpi report (with the CLI's start): $(echo "$(date +%s.%N) - $start" | bc) s"
done
# The console's pages for the same department, as the head of sales opens them: an account from the
# CLI, its password set through the link, then each page three times with the session cookie.
link=$("$bin" user create --email "head-$$@example.ru" --name "Руководитель" --role admin)
path=${link#http*://*/}
jar="$work/cookies"
curl -s -o /dev/null -c "$jar" "localhost:$port/$path"
form=$(awk '$6 == "dealerd_form" { print $7 }' "$jar")
curl -s -o /dev/null -b "$jar" -c "$jar" --data-urlencode "form_token=$form" --data-urlencode "password=Скамейка-у-пруда-42" \
  --data-urlencode "repeat=Скамейка-у-пруда-42" "localhost:$port/$path"
for page in "/" "/dealers" "/dealers?q=%D0%B4%D0%B8%D0%BB%D0%B5%D1%80%201" "/reports/ageing" "/acts"; do
  for _ in 1 2 3; do
    curl -s -o /dev/null -b "$jar" -w "console GET $page: %{http_code} %{time_total} s, %{size_download} bytes\n" "localhost:$port$page"
  done
done

# The floor: the ledger sums and the FIFO window query the figures rest on, in psql alone.
for _ in 1 2 3; do
  psql "$psql_url" -At -c '\timing on' -c "SELECT count(*) FROM (SELECT dealer_id, SUM(effect_minor) FROM ledger_entries GROUP BY dealer_id) s" \
    -c "SELECT count(*) FROM (SELECT dealer_id, due_date, SUM(effect_minor) OVER (PARTITION BY dealer_id ORDER BY due_date, document_date, external_id ROWS UNBOUNDED PRECEDING) FROM ledger_entries WHERE effect_minor > 0) w" \
    | grep -i "time" | tr '\n' ' '
  echo "(floor: balance sums, FIFO window)"
done

#!/usr/bin/env bash
# Rhythm and plans on a seeded reference database (bench/receivables_bench.py seeds 10,000 dealers
# with 100 entries each): a yearly plan for every dealer imported from CSV, the rhythm-check job,
# the morning list over the API and plan fulfilment for a year and a month. Prints wall times.
#   bench/rhythm_bench.sh BINARY DATABASE_URL
set -euo pipefail
bin=$1
export DEALERD_DATABASE_URL=$2
work=$(mktemp -d)
trap 'kill "$server" 2>/dev/null || true; rm -rf "$work"' EXIT
port=18089

year=$(date +%Y)
python3 - "$work/plan.csv" "$year" <<'PY'
import os, subprocess, sys
path, year = sys.argv[1], sys.argv[2]
codes = subprocess.run(["psql", os.environ["DEALERD_DATABASE_URL"].split("?")[0], "-At", "-c", "SELECT code FROM dealers"],
                       check=True, capture_output=True, text=True).stdout.split()
with open(path, "w") as f:
    f.write("Код дилера;" + ";".join(f"{year}-{m:02d}" for m in range(1, 13)) + "\n")
    for code in codes:
        f.write(code + ";" + ";".join('"1 500 000,00"' for _ in range(12)) + "\n")
print(f"plan file: {len(codes)} dealers x 12 months")
PY
start=$(date +%s.%N)
"$bin" plans import "$work/plan.csv"
echo "plans import: $(echo "$(date +%s.%N) - $start" | bc) s"
"$bin" jobs run rhythm-check 2>&1 | tr '\r' '\n' | tail -1
"$bin" jobs run rhythm-check 2>&1 | tr '\r' '\n' | tail -1

key=$("$bin" apikey create --name "bench-rhythm-$$" --role admin)
DEALERD_HTTP_PORT=$port DEALERD_LOG_LEVEL=warning DEALERD_SCHEDULER_ENABLED=false "$bin" serve >"$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 50); do curl -sf "localhost:$port/readyz" >/dev/null && break; sleep 0.1; done
for path in "/v1/rhythm" "/v1/rhythm?limit=500" "/v1/rhythm?status=late&limit=500" "/v1/plans/fulfillment?period=$year&group_by=dealer" "/v1/plans/fulfillment?group_by=manager"; do
  for _ in 1 2 3; do
    curl -s -o /dev/null -w "GET $path: %{time_total} s, %{size_download} bytes\n" -H "Authorization: Bearer $key" "localhost:$port$path"
  done
done

#!/usr/bin/env bash
# 12. hpkp watch killed with kill -9 at random moments of its round (#20 item 7): a Static CT API
#     log of ENTRIES (default 300,000) entries holding 20 mis-issued certificates for a watched
#     host, served by Jetty; `hpkp watch --once --from-start` is started and killed KILLS times
#     (default 8) after a random 0.2–3 s, then run to the end. Passes when the alerts file holds
#     each of the 20 exactly once and the state is at the log's size: no alert lost, none twice,
#     no entry skipped.
source "$(dirname "$0")/common.sh"
build
entries="${ENTRIES:-300000}"
kills="${KILLS:-8}"
work="$(mktemp -d)"
trap 'stop_java "$work/log.out"; rm -rf "$work"' EXIT
read -r url key submission < <(start_java "$work/log.out" -Xmx512m -cp target/benchmarks.jar \
  dev.hpkp.benchmarks.WatchThroughput serve "$entries" "$work/log")
pins="sha256/$(head -c 32 /dev/urandom | base64),sha256/$(head -c 32 /dev/urandom | base64)"
backup="sha256/$(head -c 32 /dev/urandom | base64)"
watch() {
  java -Xmx256m -jar ../hpkp-cli/target/hpkp.jar watch --once --from-start --log "$url" \
    --log-submission "$submission" --log-key "$key" --host shop.example --pins "$pins" \
    --backup-pins "$backup" --state "$work/state" --json > "$work/out" 2> "$work/err"
}
for i in $(seq 1 "$kills"); do
  watch &
  pid=$!
  sleep "$(awk -v r="$RANDOM" 'BEGIN { printf "%.2f", 0.2 + (r % 280) / 100 }')"
  kill -9 "$pid" 2>/dev/null && echo "kill -9 #$i after it ran a while" || echo "run #$i ended first"
  wait "$pid" 2>/dev/null || true
done
watch || true
lines=$(wc -l < "$work/state/alerts.jsonl")
distinct=$(grep -o '"key":"[^"]*"' "$work/state/alerts.jsonl" | sort -u | wc -l)
size=$(grep -o '"size":[0-9]*' "$work/state/"*.json | head -1 | cut -d: -f2)
echo "alerts written $lines, distinct $distinct (expected 20); state at size $size of $entries" \
  | tee results/watch-crash.txt
[ "$lines" -eq 20 ] && [ "$distinct" -eq 20 ] && [ "$size" -eq "$entries" ] \
  && echo PASS | tee -a results/watch-crash.txt || { echo FAIL | tee -a results/watch-crash.txt; exit 1; }

#!/usr/bin/env bash
# 12. hpkp watch killed with kill -9 at random moments of its round (#20 item 7, #32 item 5): a
#     Static CT API log of ENTRIES (default 1,000,000) entries holding 20 mis-issued
#     certificates for a watched host, served by Jetty; `hpkp watch --once --from-start` is
#     started and killed KILLS times (default 8) after a random 1.5–3.0 s (a run reads some
#     100,000–300,000 entries before it is killed), then run to the end. The round saves its reading every 65,536 entries (CtWatcher.SAVE_EVERY). Passes when the
#     alerts file holds each of the 20 exactly once, the state is at the log's size, the saved
#     reading never went back, and the data tiles the log served beyond one reading of the log
#     are at most KILLS x (65,536 + 8 tiles in flight + 1 partial tile) entries' worth: no alert
#     lost, none twice, no entry skipped, at most N entries read again per kill.
source "$(dirname "$0")/common.sh"
build
entries="${ENTRIES:-1000000}"
kills="${KILLS:-8}"
save_every=65536
work="$(mktemp -d)"
trap 'stop_java "$work/log.out"; rm -rf "$work"' EXIT
read -r url key submission < <(start_java "$work/log.out" -Xmx512m -cp target/benchmarks.jar \
  dev.hpkp.benchmarks.WatchThroughput serve "$entries" "$work/log")
pins="sha256/$(head -c 32 /dev/urandom | base64),sha256/$(head -c 32 /dev/urandom | base64)"
backup="sha256/$(head -c 32 /dev/urandom | base64)"
watch() { # exec: in the background ($!), the pid is the JVM's, which kill -9 must hit
  exec java -Xmx256m -jar ../hpkp-cli/target/hpkp.jar watch --once --from-start --log "$url" \
    --log-submission "$submission" --log-key "$key" --host shop.example --pins "$pins" \
    --backup-pins "$backup" --state "$work/state" --json > "$work/out" 2> "$work/err"
}
reading() { # the saved reading's size, else the verified size, else 0 (no state yet)
  local state
  state=$(cat "$work/state/"*.json 2>/dev/null | head -1 || true)
  if [[ "$state" == *'"reading"'* ]]; then
    sed 's/.*"reading":{"size":\([0-9]*\).*/\1/' <<< "$state"
  elif [[ "$state" == *'"size":'* ]]; then
    sed 's/.*"size":\([0-9]*\).*/\1/' <<< "$state"
  else
    echo 0
  fi
}
last=0
backwards=0
for i in $(seq 1 "$kills"); do
  watch &
  pid=$!
  sleep "$(awk -v r="$RANDOM" 'BEGIN { printf "%.2f", 1.5 + (r % 150) / 100 }')"
  kill -9 "$pid" 2>/dev/null && killed="kill -9 #$i" || killed="run #$i ended first"
  wait "$pid" 2>/dev/null || true
  now=$(reading)
  now=${now:-0}
  echo "$killed: saved reading at $now"
  [ "$now" -ge "$last" ] || backwards=1
  last=$now
done
(watch) || true
lines=$(wc -l < "$work/state/alerts.jsonl")
distinct=$(grep -o '"key":"[^"]*"' "$work/state/alerts.jsonl" | sort -u | wc -l)
size=$(grep -o '"size":[0-9]*' "$work/state/"*.json | head -1 | cut -d: -f2)
tiles=$(curl -s "${url%/}/bench/data-tiles-served")
once=$(( (entries + 255) / 256 ))
again=$(( (tiles - once) * 256 ))
bound=$(( kills * (save_every + 9 * 256) ))
{
  echo "entries $entries, kills $kills"
  echo "alerts written $lines, distinct $distinct (expected 20); state at size $size of $entries"
  echo "data tiles served $tiles for $once in the log: $again entries read again (bound $bound)"
  echo "saved reading went back: $([ "$backwards" -eq 0 ] && echo no || echo YES)"
} | tee results/watch-crash.txt
[ "$lines" -eq 20 ] && [ "$distinct" -eq 20 ] && [ "$size" -eq "$entries" ] \
  && [ "$again" -le "$bound" ] && [ "$backwards" -eq 0 ] \
  && echo PASS | tee -a results/watch-crash.txt || { echo FAIL | tee -a results/watch-crash.txt; exit 1; }

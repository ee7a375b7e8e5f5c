#!/usr/bin/env bash
# README §11. hpkp watch --once, -Xmx256m, against an honest Static CT API log of ENTRIES (default
#     1,000,000) entries beside five hostile ones (#32): a 100 MB checkpoint, a checkpoint dripped
#     a byte a second, 503 with Retry-After: 300, a redirect loop, and a gzip bomb (1 GiB of zeros
#     in about 1 MB). Passes when the watch ends by itself within 120 s, reads the honest log to
#     its size, names each hostile log with what it did, exits 2 (a log could not be read) and
#     prints no internal error.
source "$(dirname "$0")/common.sh"
build
entries="${ENTRIES:-1000000}"
port=$(( 20000 + RANDOM % 20000 ))
work="$(mktemp -d)"
trap 'stop_java "$work/log.out"; kill "$hostile" 2>/dev/null; rm -rf "$work"' EXIT
read -r url key submission < <(start_java "$work/log.out" -Xmx512m -cp target/benchmarks.jar \
  dev.hpkp.benchmarks.WatchThroughput serve "$entries" "$work/log")
python3 "$(dirname "$0")/hostile-log.py" "$port" > "$work/hostile.out" &
hostile=$!
until grep -q READY "$work/hostile.out" 2>/dev/null; do sleep 0.2; done
pins="sha256/$(head -c 32 /dev/urandom | base64),sha256/$(head -c 32 /dev/urandom | base64)"
backup="sha256/$(head -c 32 /dev/urandom | base64)"
hostile_logs=()
for kind in big drip retry loop gzip; do # each log its own key: a log is known by its key
  own=$(openssl ecparam -name prime256v1 -genkey 2>/dev/null | openssl ec -pubout -outform DER \
    2>/dev/null | base64 -w0)
  hostile_logs+=(--log "http://127.0.0.1:$port/$kind/" --log-key "$own")
done
start=$(date +%s)
set +e
timeout 300 java -Xmx256m -jar ../hpkp-cli/target/hpkp.jar watch --once --from-start \
  --log "$url" --log-submission "$submission" --log-key "$key" "${hostile_logs[@]}" \
  --host shop.example --pins "$pins" --backup-pins "$backup" --state "$work/state" \
  > "$work/out" 2> "$work/err"
code=$?
set -e
took=$(( $(date +%s) - start ))
{
  echo "entries $entries; exit $code after $took s"
  grep -v '^warning: ' "$work/err" | sed 's/^/  /'
} | tee results/watch-hostile.txt
ok=1
[ "$code" -eq 2 ] || ok=0
[ "$took" -le 120 ] || ok=0
grep -q "^${url}: +$entries entries" "$work/err" || ok=0
for kind in big drip retry loop gzip; do grep -q "/$kind/" "$work/err" || ok=0; done
grep -qi "internal error\|OutOfMemory\|\sat dev\.\|Exception:" "$work/err" && ok=0
[ "$ok" -eq 1 ] && echo PASS | tee -a results/watch-hostile.txt \
  || { echo FAIL | tee -a results/watch-hostile.txt; exit 1; }

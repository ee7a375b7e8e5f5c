#!/usr/bin/env bash
# 3. Collector throughput: valid RFC 7469 reports/s into the JSON-lines sink (fsync on, group
#    commit), 64 concurrent keep-alive clients (wrk), and p99 latency. Plain HTTP on loopback, rate
#    limit off. Goal: >= 10,000 reports/s on 2 cores, p99 < 20 ms. Measured twice: one report
#    repeated (an incident: the same chain again and again, parsed certificates come from the
#    collector's cache), and 2,000 reports about 2,000 different chains (6,000 certificates, more
#    than the 4,096-entry cache: the worst case, every certificate parsed).
source "$(dirname "$0")/common.sh"
need wrk "apt-get install wrk"
build
rm -f results/collector.jsonl*
java -cp target/benchmarks.jar dev.hpkp.benchmarks.WriteSampleReport results/sample-report.json
port=$(start_java results/collector-server.log -Xmx256m ${COLLECTOR_JAVA_OPTS:-} -cp target/benchmarks.jar \
  dev.hpkp.testing.CollectorServerMain results/collector.jsonl 0)
trap 'stop_java results/collector-server.log; rm -rf results/collector.jsonl* results/reports' EXIT
url="http://127.0.0.1:$port/hpkp-report"
java -cp target/benchmarks.jar dev.hpkp.benchmarks.WriteSampleReport results/reports 2000
measure() { # $1 label, then wrk arguments
  local label=$1; shift
  local before after
  before=$(cat results/collector.jsonl* | wc -l)
  wrk -t2 -c64 -d15s --latency "$@" "$url" > "results/collector-$label.txt"
  after=$(cat results/collector.jsonl* | wc -l)
  local rps p99 errors
  rps=$(awk '/Requests\/sec/ {print $2}' "results/collector-$label.txt")
  p99=$(awk '$1 == "99%" {print $2}' "results/collector-$label.txt")
  errors=$(awk '/Non-2xx/ {print $5}' "results/collector-$label.txt")
  echo "$label: $rps reports/s, p99 $p99, lines written $((after - before)), non-2xx ${errors:-0}"
}
REPORT=results/sample-report.json wrk -t2 -c64 -d5s -s post.lua "$url" > /dev/null   # warm-up
export REPORT=results/sample-report.json REPORTS=results/reports COUNT=2000
measure repeated-chain -s post.lua
measure distinct-chains -s post-many.lua
echo "goal: >= 10000 reports/s, p99 < 20ms, 64 clients, fsync on"

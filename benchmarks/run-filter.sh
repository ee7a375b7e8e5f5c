#!/usr/bin/env bash
# 1. Filter overhead (JMH): HpkpFilter.doFilter vs a constant-setHeader floor vs Spring Security
#    5.8 HpkpHeaderWriter. Goal: <= 1.10x the floor, faster than Spring's writer.
source "$(dirname "$0")/common.sh"
build
java -jar target/benchmarks.jar FilterBenchmark -f 3 -rf json -rff results/filter-jmh.json \
  > results/filter-jmh.txt
grep -E '^Benchmark|avgt' results/filter-jmh.txt
python3 - <<'PY'
import json, statistics
runs = {b['benchmark'].rsplit('.', 1)[1]: b for b in json.load(open('results/filter-jmh.json'))}
score = {k: v['primaryMetric']['score'] for k, v in runs.items()}
fork_medians = {k: statistics.median(statistics.mean(f) for f in v['primaryMetric']['rawData'])
                for k, v in runs.items()}
print("median of fork means (ns/op):", {k: round(v, 2) for k, v in fork_medians.items()})
print(f"hpkpFilter/floor = {score['hpkpFilter']/score['floorSetHeader']:.2f}x (goal <= 1.10x), "
      f"hpkpFilter/Spring = {score['hpkpFilter']/score['springHpkpHeaderWriter']:.2f}x (goal < 1.00x)")
PY

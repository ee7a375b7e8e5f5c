#!/usr/bin/env bash
# 1. Filter overhead (JMH): HpkpFilter.doFilter vs a constant-setHeader floor vs Spring Security's
#    HpkpHeaderWriter, both 5.8 (javax, benchmarks/) and 6.4 (jakarta, benchmarks/spring6: the
#    two cannot share a classpath). Goal: <= 1.10x the floor, faster than Spring's writer.
source "$(dirname "$0")/common.sh"
build
java -jar target/benchmarks.jar FilterBenchmark -f 3 -rf json -rff results/filter-jmh.json \
  > results/filter-jmh.txt
java -jar spring6/target/benchmarks-spring6.jar Spring6FilterBenchmark -f 3 -rf json \
  -rff results/filter-spring6-jmh.json > results/filter-spring6-jmh.txt
grep -hE '^Benchmark|avgt' results/filter-jmh.txt results/filter-spring6-jmh.txt
python3 - <<'PY'
import json
def load(path):
    return {b['benchmark'].rsplit('.', 1)[1]: b['primaryMetric']['score']
            for b in json.load(open(path))}
a, b = load('results/filter-jmh.json'), load('results/filter-spring6-jmh.json')
print(f"run 1 (with 5.8): hpkpFilter/floor = {a['hpkpFilter']/a['floorSetHeader']:.2f}x, "
      f"hpkpFilter/Spring 5.8 = {a['hpkpFilter']/a['springHpkpHeaderWriter']:.2f}x")
print(f"run 2 (with 6.4): hpkpFilter/floor = {b['hpkpFilter']/b['floorSetHeader']:.2f}x "
      f"(goal <= 1.10x), hpkpFilter/Spring 6.4 = "
      f"{b['hpkpFilter']/b['springSecurity64HpkpHeaderWriter']:.2f}x (goal < 1.00x)")
PY

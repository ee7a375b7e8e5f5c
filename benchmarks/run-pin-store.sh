#!/usr/bin/env bash
# 8. Noting a new host with 100,000 hosts in the store (hpkp-client, #23): in memory and in a
#    FilePinStore (one appended, synced line per note). Goal: O(log n), not O(hosts).
source "$(dirname "$0")/common.sh"
build
java -jar target/benchmarks.jar PinStoreBenchmark -rf json -rff results/pin-store-jmh.json \
  > results/pin-store-jmh.txt
grep -E '^Benchmark|thrpt' results/pin-store-jmh.txt

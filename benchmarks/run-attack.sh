#!/usr/bin/env bash
# 4. Collector under attack, bounded in count and time, loopback only: 200 concurrent 10 MiB
#    bodies, deep nesting, slow bodies and a one-address flood against a 128 MiB heap, while a
#    legitimate client from another address keeps reporting; plus the cache flood within the rate
#    limit, text-padded chains, ASN.1 nesting bombs and log-forging subjects. Goal: only 4xx/429,
#    no 5xx, no OOM, no log line that does not start a record, each legitimate answer < 2 s,
#    heap < 128 MiB, the legitimate client served.
source "$(dirname "$0")/common.sh"
build
java -cp target/benchmarks.jar dev.hpkp.benchmarks.CollectorAttack | tee results/attack.txt

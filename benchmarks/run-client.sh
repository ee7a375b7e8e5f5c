#!/usr/bin/env bash
# 7. Client pinning cost (JMH): a new TLS connection and a request on a reused connection, with
#    and without pinning (hpkp-client). Goal: <= 2% per new connection, ~0 per request.
source "$(dirname "$0")/common.sh"
build
java -jar target/benchmarks.jar ClientBenchmark -rf json -rff results/client-jmh.json \
  > results/client-jmh.txt
grep -E '^Benchmark|avgt' results/client-jmh.txt
python3 - <<'PY'
import json
runs = {b['benchmark'].rsplit('.', 1)[1]: b['primaryMetric']['score']
        for b in json.load(open('results/client-jmh.json'))}
# End to end A/B (noisy: client and server share two cores), and the work pinning adds, timed
# alone, as a share of the plain operation: the figure the goal is about.
e2e_connection = runs['newConnectionPinning'] / runs['newConnectionPlain'] - 1
e2e_request = runs['reusedConnectionPinning'] / runs['reusedConnectionPlain'] - 1
added_connection = runs['checkPinsKnownChain'] / runs['newConnectionPlain']
added_request = runs['observeResponse'] / runs['reusedConnectionPlain']
print(f"end to end: new connection {e2e_connection:+.1%}, reused connection {e2e_request:+.1%}")
print(f"cold path building (first connection to a chain, JDK-cached signatures): "
      f"{runs['coldPathBuilding']:.1f} us")
print(f"added work per new connection: {runs['checkPinsKnownChain']:.2f} us = "
      f"{added_connection:.3%} (goal <= 2%); per request on a reused connection: "
      f"{runs['observeResponse']:.2f} us = {added_request:.2%} (goal ~0)")
PY

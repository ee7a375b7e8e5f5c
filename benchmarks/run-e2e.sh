#!/usr/bin/env bash
# 2. End to end: HTTPS keep-alive requests/s on Jetty 12 without a filter (A), with HpkpFilter
#    (B), and with a filter that sets the same header as a constant (C), alternated A B C C B A
#    twice with wrk on loopback. Goal: B >= 99% of A. B/C isolates the filter's own logic; C/A is
#    the price of the header's bytes (and of having any filter) on a 12-byte response.
source "$(dirname "$0")/common.sh"
need wrk "apt-get install wrk"
build
# One JVM per side, both pinned to core 0; wrk on core 1, so load and server do not contend.
pin0=""; pin1=""
if command -v taskset >/dev/null && [ "$(nproc)" -ge 2 ]; then pin0="taskset -c 0"; pin1="taskset -c 1"; fi
a=$(start_java results/e2e-a.log -Xmx512m -cp target/benchmarks.jar dev.hpkp.benchmarks.E2eServer plain)
b=$(start_java results/e2e-b.log -Xmx512m -cp target/benchmarks.jar dev.hpkp.benchmarks.E2eServer filter)
c=$(start_java results/e2e-c.log -Xmx512m -cp target/benchmarks.jar dev.hpkp.benchmarks.E2eServer constant)
trap 'stop_java results/e2e-a.log; stop_java results/e2e-b.log; stop_java results/e2e-c.log' EXIT
if [ -n "$pin0" ]; then
  for log in results/e2e-a.log results/e2e-b.log results/e2e-c.log; do taskset -a -p -c 0 "$(cat "$log.pid")" >/dev/null; done
fi
run() { $pin1 wrk -t1 -c32 -d"$2" "https://127.0.0.1:$1/" | awk '/Requests\/sec/ {print $2}'; }
run "$a" 20s >/dev/null; run "$b" 20s >/dev/null; run "$c" 20s >/dev/null   # warm-up
ra=(); rb=(); rc=()
# A B C C B A, twice: each side runs early and late equally often, so drift cancels out.
for side in A B C C B A A B C C B A; do
  case $side in
    A) ra+=("$(run "$a" 10s)"); echo "A (no filter)       ${ra[-1]} req/s" ;;
    B) rb+=("$(run "$b" 10s)"); echo "B (HpkpFilter)      ${rb[-1]} req/s" ;;
    C) rc+=("$(run "$c" 10s)"); echo "C (constant header) ${rc[-1]} req/s" ;;
  esac
done
python3 -c "
a=[float(x) for x in '${ra[*]}'.split()]; b=[float(x) for x in '${rb[*]}'.split()]
c=[float(x) for x in '${rc[*]}'.split()]
m=lambda v: sum(v)/len(v)
print(f'A {m(a):.0f}, B {m(b):.0f}, C {m(c):.0f} req/s; constant header C/A = {m(c)/m(a)*100:.1f}%')
print(f'HpkpFilter vs constant-header filter B/C = {m(b)/m(c)*100:.1f}%; with/without B/A = {m(b)/m(a)*100:.1f}% (goal >= 99%)')"

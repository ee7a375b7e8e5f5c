#!/usr/bin/env bash
# 2. End to end: HTTPS requests/s on Jetty 12 without a filter (A), with HpkpFilter (B), and with
#    a filter that sets the same header as a constant (C), over HTTP/1.1 (wrk, keep-alive) and
#    HTTP/2 (h2load, h2 negotiated by ALPN: HPACK sends a repeated header as an index), each with
#    a 12-byte and a 16 KiB body. After a 20 s warm-up per side and protocol, sides alternate
#    A B C C B A twice per cell so drift cancels. Goals: B/A >= 97% over HTTP/2; B/C >= 100% on
#    both protocols. About 13 minutes.
source "$(dirname "$0")/common.sh"
need wrk "apt-get install wrk"
if ! command -v h2load >/dev/null; then
  echo "installing h2load (Debian package nghttp2-client)"
  apt-get install -y nghttp2-client >/dev/null || { echo "cannot install nghttp2-client" >&2; exit 2; }
fi
build
# One JVM per side, all pinned to core 0; the load generator on core 1, so they do not contend.
pin0=""; pin1=""
if command -v taskset >/dev/null && [ "$(nproc)" -ge 2 ]; then pin0="taskset -c 0"; pin1="taskset -c 1"; fi
h1() { $pin1 wrk -t1 -c32 -d"$2" "https://127.0.0.1:$1/" | awk '/Requests\/sec/ {print $2}'; }
h2() { $pin1 h2load -c32 -m10 -D "${2%s}" "https://127.0.0.1:$1/" | awk '/^finished in/ {print $4}'; }
summary=()
for body in 12 16384; do
  a=$(start_java results/e2e-a.log -Xmx512m -cp target/benchmarks.jar dev.hpkp.benchmarks.E2eServer plain "$body")
  b=$(start_java results/e2e-b.log -Xmx512m -cp target/benchmarks.jar dev.hpkp.benchmarks.E2eServer filter "$body")
  c=$(start_java results/e2e-c.log -Xmx512m -cp target/benchmarks.jar dev.hpkp.benchmarks.E2eServer constant "$body")
  trap 'stop_java results/e2e-a.log; stop_java results/e2e-b.log; stop_java results/e2e-c.log' EXIT
  if [ -n "$pin0" ]; then
    for log in results/e2e-a.log results/e2e-b.log results/e2e-c.log; do taskset -a -p -c 0 "$(cat "$log.pid")" >/dev/null; done
  fi
  for port in "$a" "$b" "$c"; do h1 "$port" 20s >/dev/null; h2 "$port" 20s >/dev/null; done   # warm-up
  for protocol in h1 h2; do
    cycle="A B C C B A A B C C B A"
    ra=(); rb=(); rc=()
    for side in $cycle; do
      case $side in
        A) ra+=("$($protocol "$a" 10s)"); echo "$protocol ${body} B: A (no filter)       ${ra[-1]} req/s" ;;
        B) rb+=("$($protocol "$b" 10s)"); echo "$protocol ${body} B: B (HpkpFilter)      ${rb[-1]} req/s" ;;
        C) rc+=("$($protocol "$c" 10s)"); echo "$protocol ${body} B: C (constant header) ${rc[-1]} req/s" ;;
      esac
    done
    summary+=("$(python3 -c "
a=[float(x) for x in '${ra[*]}'.split()]; b=[float(x) for x in '${rb[*]}'.split()]
c=[float(x) for x in '${rc[*]}'.split()]
m=lambda v: sum(v)/len(v)
name={'h1': 'HTTP/1.1', 'h2': 'HTTP/2  '}['$protocol']
print(f'{name} {$body:>5} B: A {m(a):.0f}, B {m(b):.0f}, C {m(c):.0f} req/s; B/A {m(b)/m(a)*100:.1f}%, B/C {m(b)/m(c)*100:.1f}%')")")
  done
  stop_java results/e2e-a.log; stop_java results/e2e-b.log; stop_java results/e2e-c.log
done
printf '%s\n' "${summary[@]}"
echo "goals: B/A >= 97% over HTTP/2; B/C >= 100% on both protocols"

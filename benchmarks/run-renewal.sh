#!/usr/bin/env bash
# Renewals for real: Let's Encrypt's test ACME server (pebble) and certbot, both from Debian's
# packages, on 127.0.0.1 only, with 'hpkp guard' in certbot's deploy hook:
#   1. issue a certificate (ECDSA key), pin its key, make two backup keys with 'hpkp backup-key';
#   2. renew with --reuse-key: the guard passes and the "reload" runs;
#   3. renew on a new key (--no-reuse-key): the guard refuses with a lockout, the reload does not
#      run, and the guard on the lineage says the same with the certbot warning;
#   4. certonly --csr backup-1.csr.pem: rotated onto a backup; the rotated policy passes.
# Needs the CLI built (./mvnw -pl hpkp-cli -am package -DskipTests). Installs pebble and certbot
# with apt-get where it can (root); says so and stops where it cannot. Not part of ./mvnw verify.
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
hpkp="$root/hpkp-cli/hpkp"
[ -f "$root/hpkp-cli/target/hpkp.jar" ] || { echo "build the CLI first:" \
  "./mvnw -pl hpkp-cli -am package -DskipTests" >&2; exit 2; }
for tool in pebble certbot openssl; do
  if ! command -v "$tool" > /dev/null; then
    if [ "$(id -u)" = 0 ] && command -v apt-get > /dev/null; then
      echo "installing pebble and certbot from Debian's packages"
      apt-get update -qq && apt-get install -y -qq pebble certbot openssl > /dev/null || {
        echo "apt-get could not install pebble and certbot: install them and run again" >&2
        exit 2; }
    else
      echo "$tool is not installed and this is no root shell with apt-get: install pebble," \
        "certbot and openssl, then run again" >&2
      exit 2
    fi
  fi
done

work=$(mktemp -d)
pebble_pid=
cleanup() { [ -n "$pebble_pid" ] && kill "$pebble_pid" 2> /dev/null; [ -n "${KEEP:-}" ] || rm -rf "$work"; }
trap cleanup EXIT
cd "$work" || exit 2
failed=0
check() { # check NAME EXPECTED ACTUAL
  if [ "$2" = "$3" ]; then echo "PASS $1"; else echo "FAIL $1 (expected $2, got $3)"; failed=1; fi
}
pin_of() { # the openssl pipeline: SPKI, SHA-256, base64
  openssl "$1" -in "$2" -pubkey -noout | openssl pkey -pubin -outform der \
    | openssl dgst -sha256 -binary | base64
}

# pebble's own TLS, from a CA made here
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj "/CN=test CA" \
  -keyout ca.key -out ca.pem 2> /dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=localhost" \
  -keyout pebble.key -out pebble.csr 2> /dev/null
printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\n' > san.ext
openssl x509 -req -in pebble.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 \
  -extfile san.ext -out pebble.pem 2> /dev/null
port=$((14000 + RANDOM % 1000))
cat > pebble.json << EOF
{"pebble": {"listenAddress": "127.0.0.1:$port", "managementListenAddress": "127.0.0.1:$((port + 1000))",
 "certificate": "$work/pebble.pem", "privateKey": "$work/pebble.key",
 "httpPort": 5002, "tlsPort": 5001, "ocspResponderURL": "", "externalAccountBindingRequired": false}}
EOF
PEBBLE_VA_ALWAYS_VALID=1 PEBBLE_VA_NOSLEEP=1 PEBBLE_WFE_NONCEREJECT=0 \
  pebble -config pebble.json > pebble.log 2>&1 &
pebble_pid=$!
for _ in $(seq 1 50); do
  curl -s --cacert ca.pem "https://127.0.0.1:$port/dir" > /dev/null && break
  sleep 0.2
done

export REQUESTS_CA_BUNDLE="$work/ca.pem"
certbot_() {
  certbot --config-dir "$work/le" --work-dir "$work/le-work" --logs-dir "$work/le-logs" \
    --server "https://127.0.0.1:$port/dir" --non-interactive --agree-tos \
    --register-unsafely-without-email "$@"
}
manual=(--manual --preferred-challenges http --manual-auth-hook /bin/true)

# 1. issue, pin, backups
certbot_ certonly "${manual[@]}" --key-type ecdsa --cert-name site -d shop.example > issue.log 2>&1
check "certbot issues the certificate" 0 $?
leaf=$(pin_of x509 le/live/site/cert.pem)
export HPKP_BACKUP_PASSWORD="renewal test $RANDOM"
for n in 1 2; do
  "$hpkp" backup-key --out "backup-$n" --subject CN=shop.example \
    --password-env HPKP_BACKUP_PASSWORD > /dev/null || { echo "FAIL hpkp backup-key"; exit 1; }
done
b1=$(pin_of req backup-1.csr.pem)
b2=$(pin_of req backup-2.csr.pem)
printf 'pins=sha256/%s\nbackupPins=sha256/%s, sha256/%s\nmaxAgeSeconds=600\nreportOnly=false\n' \
  "$leaf" "$b1" "$b2" > hpkp.properties
hook="$hpkp guard --config $work/hpkp.properties > $work/guard.out 2>&1; s=\$?;"
hook="$hook echo \$s > $work/guard.status; [ \$s = 0 ] && touch $work/reloaded"

# 2. renew on the same key
certbot_ renew --cert-name site --reuse-key --force-renewal --no-random-sleep-on-renew "${manual[@]}" \
  --deploy-hook "$hook" > renew-same.log 2>&1
check "renewed with --reuse-key: guard exit" 0 "$(cat guard.status 2> /dev/null)"
check "renewed with --reuse-key: the reload ran" yes "$([ -f reloaded ] && echo yes || echo no)"
check "renewed with --reuse-key: same leaf pin" "$leaf" "$(pin_of x509 le/live/site/cert.pem)"
rm -f reloaded guard.status

# 3. renew on a new key
certbot_ renew --cert-name site --no-reuse-key --force-renewal --no-random-sleep-on-renew "${manual[@]}" \
  --deploy-hook "$hook" > renew-new.log 2>&1
check "renewed on a new key: guard exit" 1 "$(cat guard.status 2> /dev/null)"
check "renewed on a new key: the reload did not run" no \
  "$([ -f reloaded ] && echo yes || echo no)"
new=$(pin_of x509 le/live/site/cert.pem)
check "renewed on a new key: the verdict names the new key" yes \
  "$(grep -q "^lockout: pins: .*has the new key sha256/$new" guard.out && echo yes || echo no)"
"$hpkp" guard --config hpkp.properties --lineage le/live/site > lineage.out 2>&1
check "the guard on the lineage: exit" 1 $?
check "the guard on the lineage: certbot's next renewal warned about" yes \
  "$(grep -q "does not set reuse_key = True" lineage.out && echo yes || echo no)"

# 4. a certificate for the backup key's CSR
certbot_ certonly --csr backup-1.csr.pem "${manual[@]}" -d shop.example \
  --cert-path "$work/b-cert.pem" --chain-path "$work/b-chain.pem" \
  --fullchain-path "$work/b-fullchain.pem" > csr.log 2>&1
check "certonly --csr backup-1.csr.pem" 0 $?
"$hpkp" guard --config hpkp.properties b-fullchain.pem > rotated.out 2>&1
check "onto the backup key: exit" 1 $?
check "onto the backup key: the verdict" yes \
  "$(grep -q "^rotated-onto-backup: pins: backup pin sha256/$b1" rotated.out && echo yes || echo no)"
printf 'pins=sha256/%s\nbackupPins=sha256/%s, sha256/%s\nmaxAgeSeconds=600\nreportOnly=false\n' \
  "$b1" "$b2" "$leaf" > rotated.properties
"$hpkp" guard --config rotated.properties b-fullchain.pem > rotated-ok.out 2>&1
check "the rotated policy passes" 0 $?

if [ "$failed" != 0 ]; then
  for f in guard.out lineage.out csr.log rotated.out rotated-ok.out pebble.log; do
    [ -f "$f" ] && { echo "--- $f"; head -5 "$f"; }
  done
  echo "RESULT FAIL"
  exit 1
fi
echo "RESULT PASS"

#!/usr/bin/env bash
# Regenerates the known-answer fixtures in this folder with openssl and prints the expected pins,
# computed with the openssl pipeline of RFC 7469 §2.4 / the README. The keys are throwaway test keys.
# The printed pins are what KnownAnswerTest asserts; rerunning makes new keys, so update the test too.
set -euo pipefail
cd "$(dirname "$0")"
pin_of_pub() { openssl pkey -pubin -in "$1" -outform der | openssl dgst -sha256 -binary | base64; }
subj=/CN=kat.example

# RSA 2048: PKCS#8 key, PKCS#1 key, self-signed cert (PEM and DER), CSR, SPKI and PKCS#1 public keys
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out rsa.key.pem 2>/dev/null
openssl pkey -in rsa.key.pem -traditional -out rsa.pkcs1.key.pem
openssl req -new -x509 -key rsa.key.pem -subj "$subj" -days 3650 -out rsa.cert.pem
openssl x509 -in rsa.cert.pem -outform der -out rsa.cert.der
openssl req -new -key rsa.key.pem -subj "$subj" -out rsa.csr.pem
openssl pkey -in rsa.key.pem -pubout -out rsa.pub.pem
openssl rsa -in rsa.key.pem -RSAPublicKey_out -out rsa.pkcs1.pub.pem 2>/dev/null
openssl pkcs8 -topk8 -in rsa.key.pem -v2 aes-256-cbc -passout pass:changeit -out rsa.enc.key.pem

for curve in P-256 P-384 P-521; do
  name=ec$(echo "$curve" | tr -d 'P-')
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:$curve -out $name.key.pem
  openssl pkey -in $name.key.pem -traditional -out $name.sec1.key.pem
  openssl req -new -x509 -key $name.key.pem -subj "$subj" -days 3650 -out $name.cert.pem
  openssl req -new -key $name.key.pem -subj "$subj" -out $name.csr.pem
done
openssl pkey -in ec256.key.pem -outform der -out ec256.key.der

openssl genpkey -algorithm ED25519 -out ed25519.key.pem
openssl req -new -x509 -key ed25519.key.pem -subj "$subj" -days 3650 -out ed25519.cert.pem
openssl req -new -key ed25519.key.pem -subj "$subj" -out ed25519.csr.pem
openssl pkey -in ed25519.key.pem -pubout -out ed25519.pub.pem

openssl genpkey -genparam -algorithm DSA -pkeyopt dsa_paramgen_bits:2048 -out dsa.params 2>/dev/null
openssl genpkey -paramfile dsa.params -out dsa.key.pem
rm dsa.params
openssl req -new -x509 -key dsa.key.pem -subj "$subj" -days 3650 -sha256 -out dsa.cert.pem
openssl pkey -in dsa.key.pem -traditional -out dsa.openssl.key.pem

# keystores (password changeit) with the RSA key and cert
openssl pkcs12 -export -inkey rsa.key.pem -in rsa.cert.pem -name kat -passout pass:changeit -out rsa.p12
keytool -importkeystore -srckeystore rsa.p12 -srcstoretype PKCS12 -srcstorepass changeit \
  -destkeystore rsa.jks -deststoretype JKS -deststorepass changeit -noprompt 2>/dev/null

for k in rsa ec256 ec384 ec521 ed25519 dsa; do
  openssl pkey -in $k.key.pem -pubout -out /tmp/kat.pub.pem
  echo "$k $(pin_of_pub /tmp/kat.pub.pem)"
  echo "$k-cert $(openssl x509 -pubkey -noout -in $k.cert.pem | openssl pkey -pubin -outform der | openssl dgst -sha256 -binary | base64)"
done
rm -f /tmp/kat.pub.pem

#!/usr/bin/env bash
# End-to-end (issue 12): constellationd serving TLS from certificates made with Debian's
# openssl, and the CLI verifying it with --ca-file (or $CONSTELLATION_CA_FILE, or a context's
# ca_file); a plaintext CLI is refused. Mutual TLS: with require_client_cert the CLI presents a
# client certificate (--cert-file/--key-file, the environment or a context), and a CLI without
# one, or with one another CA signed, is refused. Also: an unknown config key stops `run` with
# the key and its line named, and a plaintext node on a non-loopback address warns at start.
#   usage: tls_test.sh CONSTELLATIOND CONSTELLATION
set -uo pipefail
daemon="$1"
cli="$2"
work=$(mktemp -d)
node_pid=""
cleanup() {
  if [ -n "$node_pid" ]; then kill "$node_pid" 2>/dev/null; wait "$node_pid" 2>/dev/null; fi
  rm -rf "$work"
}
trap cleanup EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# A CA and a node certificate for 127.0.0.1 / localhost (docs/OPERATIONS.md, "TLS").
cd "$work" || exit 1
openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
  -keyout ca.key -out ca.pem -days 2 -subj "/CN=test CA" 2>/dev/null || { echo "openssl"; exit 1; }
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
  -keyout node.key -out node.csr -subj "/CN=node" 2>/dev/null || { echo "openssl csr"; exit 1; }
printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth,clientAuth\n' >node.ext
openssl x509 -req -in node.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out node.pem -days 2 \
  -extfile node.ext 2>/dev/null || { echo "openssl sign"; exit 1; }

"$daemon" init --data-dir "$work/node" --name "Riverside Food Bank" \
  --admin-token-file "$work/admin.token" >"$work/init.out" || { echo "init failed"; exit 1; }
config="$work/node/constellationd.toml"

# Strict config: a misspelt key is refused with its name and line.
cp "$config" "$work/good.toml"
printf '[tls]\ncert_file = "%s/node.pem"\nkey_fle = "%s/node.key"\n' "$work" "$work" >>"$config"
line=$(grep -n '^key_fle' "$config" | cut -d: -f1)
if "$daemon" run --data-dir "$work/node" --listen 127.0.0.1:0 >"$work/bad.out" 2>&1; then
  fail "run accepted an unknown key"
fi
grep -q "line $line: unknown key 'tls.key_fle'" "$work/bad.out" ||
  fail "unknown key not named with line $line: $(cat "$work/bad.out")"

# Plaintext on a non-loopback address: a warning at start.
cp "$work/good.toml" "$config"
"$daemon" run --data-dir "$work/node" --listen 0.0.0.0:0 --port-file "$work/port0" \
  >"$work/plain.log" 2>&1 &
node_pid=$!
for _ in $(seq 1 100); do [ -s "$work/port0" ] && break; sleep 0.1; done
for _ in $(seq 1 50); do grep -q "node started" "$work/plain.log" && break; sleep 0.1; done
grep -q "level=warning.*plaintext on a non-loopback address" "$work/plain.log" ||
  fail "no plaintext warning: $(cat "$work/plain.log")"
kill "$node_pid"; wait "$node_pid" 2>/dev/null; node_pid=""

# TLS on.
printf '[tls]\ncert_file = "%s/node.pem"\nkey_file = "%s/node.key"\n' "$work" "$work" >>"$config"
"$daemon" run --data-dir "$work/node" --listen 127.0.0.1:0 --port-file "$work/port" \
  >>"$work/node.log" 2>&1 &
node_pid=$!
for _ in $(seq 1 100); do [ -s "$work/port" ] && break; sleep 0.1; done
[ -s "$work/port" ] || { cat "$work/node.log"; echo "node did not start"; exit 1; }
grep -q "plaintext" "$work/node.log" && fail "TLS node warned about plaintext"
endpoint="127.0.0.1:$(cat "$work/port")"
export CONSTELLATION_CONFIG="$work/cli.toml"
export CONSTELLATION_TOKEN
CONSTELLATION_TOKEN=$(cat "$work/admin.token")

name=$("$cli" --endpoint "$endpoint" --ca-file "$work/ca.pem" node info -o json | jq -r .org_name)
[ "$name" = "Riverside Food Bank" ] || fail "node info over TLS with --ca-file: '$name'"
name=$(CONSTELLATION_CA_FILE="$work/ca.pem" "$cli" --endpoint "$endpoint" node info -o json |
  jq -r .org_name)
[ "$name" = "Riverside Food Bank" ] || fail "node info with \$CONSTELLATION_CA_FILE: '$name'"
"$cli" context set tls --endpoint "$endpoint" --ca-file "$work/ca.pem" >/dev/null ||
  fail "context set --ca-file"
name=$("$cli" node info -o json | jq -r .org_name)
[ "$name" = "Riverside Food Bank" ] || fail "node info through a context with ca_file: '$name'"

# Plaintext, or a CA that did not sign the node's certificate: refused.
if "$cli" --context tls --ca-file "" --endpoint "$endpoint" --timeout 3s node info \
  >"$work/plain.out" 2>&1; then
  fail "plaintext CLI was served by a TLS node"
fi
openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
  -keyout other.key -out other.pem -days 2 -subj "/CN=other CA" 2>/dev/null
if "$cli" --endpoint "$endpoint" --ca-file "$work/other.pem" --timeout 3s node info \
  >"$work/other.out" 2>&1; then
  fail "CLI trusting another CA accepted the node"
fi
if "$cli" --endpoint "$endpoint" --ca-file "$work/missing.pem" node info >"$work/missing.out" 2>&1; then
  fail "missing CA file accepted"
fi
grep -q "missing.pem" "$work/missing.out" || fail "missing CA file not named: $(cat "$work/missing.out")"

# Mutual TLS: the node asks every client for a certificate signed by the CA. The CLI presents
# one with --cert-file/--key-file (or $CONSTELLATION_CERT_FILE/_KEY_FILE, or a context's).
kill "$node_pid"; wait "$node_pid" 2>/dev/null; node_pid=""
client_cert() {  # NAME CA_PREFIX: a client certificate NAME.pem/NAME.key signed by that CA
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
    -keyout "$1.key" -out "$1.csr" -subj "/CN=$1" 2>/dev/null &&
    printf 'extendedKeyUsage=clientAuth\n' >"$1.ext" &&
    openssl x509 -req -in "$1.csr" -CA "$2.pem" -CAkey "$2.key" -CAcreateserial -out "$1.pem" \
      -days 2 -extfile "$1.ext" 2>/dev/null
}
client_cert client ca || { echo "openssl client cert"; exit 1; }
client_cert stranger other || { echo "openssl stranger cert"; exit 1; }
printf 'client_ca_file = "%s/ca.pem"\nrequire_client_cert = true\n' "$work" >>"$config"
rm -f "$work/port"
"$daemon" run --data-dir "$work/node" --listen 127.0.0.1:0 --port-file "$work/port" \
  >>"$work/node.log" 2>&1 &
node_pid=$!
for _ in $(seq 1 100); do [ -s "$work/port" ] && break; sleep 0.1; done
[ -s "$work/port" ] || { cat "$work/node.log"; echo "mutual-TLS node did not start"; exit 1; }
endpoint="127.0.0.1:$(cat "$work/port")"
tls=(--endpoint "$endpoint" --ca-file "$work/ca.pem")

"$cli" "${tls[@]}" --timeout 3s node info >"$work/nocert.out" 2>&1
code=$?
[ "$code" -eq 10 ] || fail "no client certificate: exit $code, want 10: $(cat "$work/nocert.out")"
name=$("$cli" "${tls[@]}" --cert-file "$work/client.pem" --key-file "$work/client.key" \
  node info -o json | jq -r .org_name)
[ "$name" = "Riverside Food Bank" ] || fail "node info with --cert-file/--key-file: '$name'"
name=$(CONSTELLATION_CERT_FILE="$work/client.pem" CONSTELLATION_KEY_FILE="$work/client.key" \
  "$cli" "${tls[@]}" node info -o json | jq -r .org_name)
[ "$name" = "Riverside Food Bank" ] || fail "node info with \$CONSTELLATION_CERT_FILE: '$name'"
"$cli" "${tls[@]}" --timeout 3s --cert-file "$work/stranger.pem" --key-file "$work/stranger.key" \
  node info >"$work/stranger.out" 2>&1
code=$?
[ "$code" -eq 10 ] || fail "certificate of another CA: exit $code, want 10: $(cat "$work/stranger.out")"

# The two files go together, and only with a CA file: refused before connecting (exit 3).
"$cli" "${tls[@]}" --cert-file "$work/client.pem" node info >"$work/half.out" 2>&1
code=$?
[ "$code" -eq 3 ] || fail "--cert-file without --key-file: exit $code, want 3"
grep -q -- "--cert-file is set (from flag) but --key-file is not" "$work/half.out" ||
  fail "half a client certificate not explained: $(cat "$work/half.out")"
CONSTELLATION_CA_FILE="" "$cli" --endpoint "$endpoint" --ca-file "" \
  --cert-file "$work/client.pem" --key-file "$work/client.key" node info >"$work/noca.out" 2>&1
code=$?
[ "$code" -eq 3 ] || fail "client certificate without a CA file: exit $code, want 3"
grep -q -- "give --ca-file" "$work/noca.out" || fail "no CA hint: $(cat "$work/noca.out")"

# A context keeps the three files; `context show` says where each came from.
"$cli" context set mtls --endpoint "$endpoint" --ca-file "$work/ca.pem" \
  --cert-file "$work/client.pem" --key-file "$work/client.key" >/dev/null ||
  fail "context set --cert-file --key-file"
name=$("$cli" --context mtls node info -o json | jq -r .org_name)
[ "$name" = "Riverside Food Bank" ] || fail "node info through a mutual-TLS context: '$name'"
shown=$("$cli" --context mtls context show -o json)
[ "$(jq -r .cert_file <<<"$shown")" = "$work/client.pem" ] &&
  [ "$(jq -r .cert_file_source <<<"$shown")" = "context" ] &&
  [ "$(jq -r .key_file <<<"$shown")" = "$work/client.key" ] ||
  fail "context show does not name the client certificate: $shown"
"$cli" context list | grep -q "mutual TLS" || fail "context list does not say mutual TLS"

if [ "$failures" -ne 0 ]; then
  echo "--- node log"; cat "$work/node.log"
  exit 1
fi
echo "PASS: TLS node served to the CLI with --ca-file, refused plaintext and another CA;" \
  "mutual TLS served a client certificate, refused none and another CA's"

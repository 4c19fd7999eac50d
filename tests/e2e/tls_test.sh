#!/usr/bin/env bash
# End-to-end (issue 12): constellationd serving TLS from certificates made with Debian's
# openssl, and the CLI verifying it with --ca-file (or $CONSTELLATION_CA_FILE, or a context's
# ca_file); a plaintext CLI is refused. Also: an unknown config key stops `run` with the key and
# its line named, and a plaintext node on a non-loopback address warns at start.
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

if [ "$failures" -ne 0 ]; then
  echo "--- node log"; cat "$work/node.log"
  exit 1
fi
echo "PASS: TLS node served to the CLI with --ca-file, refused plaintext and another CA"

#!/usr/bin/env bash
# End-to-end checks of deploy/ (issue 12, deployment and packaging). What cannot run here (no
# container engine, no systemd as PID 1) is checked by parsing and linting it; what can run,
# runs:
#   - deploy/compose.yaml lints (yamllint) and describes three organisations, each with its
#     own node, volume and loopback port, built from deploy/docker/Dockerfile;
#   - the Dockerfile is multi-stage on Debian bookworm, copies only files that exist, runs as
#     a non-root user, and its runtime stage installs every package that provides a shared
#     library the two binaries link (read from the real binaries with ldd and dpkg -S);
#   - the systemd unit passes `systemd-analyze verify` and keeps its hardening settings;
#   - the compose topology runs without containers: each service's entrypoint with the
#     service's environment, on loopback; the nodes form a group and replicate; a restarted
#     service keeps its identity; the sample config is accepted by the real config loader;
#   - CPack builds the three Debian packages with their contents, dependencies and postinst.
#   usage: deploy_test.sh CONSTELLATIOND CONSTELLATION BUILD_DIR SOURCE_DIR
set -uo pipefail
daemon=$(realpath "$1")
cli=$(realpath "$2")
build_dir=$(realpath "$3")
source_dir=$(realpath "$4")
source "$source_dir/tests/e2e/lib.sh"
e2e_setup
deploy="$source_dir/deploy"

# --- compose.yaml -----------------------------------------------------------------------------
expect_exit 0 "yamllint deploy/compose.yaml" -- yamllint -s \
  -d "{extends: default, rules: {line-length: {max: 100}, document-start: disable}}" \
  "$deploy/compose.yaml"
# Prints "service|org name|host port" per service, or fails naming what is wrong.
python3 - "$deploy/compose.yaml" "$source_dir" >"$work/services" 2>"$work/compose.err" <<'PY'
import os, sys, yaml
compose = yaml.safe_load(open(sys.argv[1]))
root = sys.argv[2]
services = compose["services"]
assert sorted(services) == ["eastgate", "northside", "riverside"], sorted(services)
host_ports, volumes = set(), set()
for name, svc in services.items():
    build = svc["build"]
    dockerfile = os.path.join(os.path.dirname(sys.argv[1]), build["context"], build["dockerfile"])
    assert os.path.isfile(dockerfile), f"{name}: no Dockerfile at {dockerfile}"
    env = svc["environment"]
    assert env["CONSTELLATION_ADVERTISE"] == f"{name}:7400", f"{name}: advertise {env}"
    (port,) = svc["ports"]
    host, host_port, container_port = port.split(":")
    assert host == "127.0.0.1", f"{name}: published beyond loopback: {port}"
    assert container_port == "7400", port
    host_ports.add(host_port)
    (volume,) = svc["volumes"]
    source, target = volume.split(":")
    assert target == "/var/lib/constellation", volume
    assert source in compose["volumes"], f"{name}: undeclared volume {source}"
    volumes.add(source)
    print(f"{name}|{env['CONSTELLATION_ORG_NAME']}|{host_port}")
assert len(host_ports) == 3 and len(volumes) == 3, "services share a port or a volume"
PY
[ $? -eq 0 ] && ok || fail "compose.yaml: $(cat "$work/compose.err")"

# --- Dockerfile ------------------------------------------------------------------------------
dockerfile="$deploy/docker/Dockerfile"
python3 - "$dockerfile" "$source_dir" >"$work/runtime-packages" 2>"$work/docker.err" <<'PY'
import os, re, sys
text = open(sys.argv[1]).read()
root = sys.argv[2]
lines = re.sub(r"\\\n", " ", text).splitlines()
instructions = [l.strip() for l in lines if l.strip() and not l.strip().startswith("#")]
froms = [l for l in instructions if l.upper().startswith("FROM ")]
assert len(froms) >= 2, "not multi-stage"
for f in froms:
    assert re.search(r"debian:bookworm", f), f"not Debian bookworm: {f}"
stages = "\n".join(instructions).split("\nFROM ")
final = stages[-1]
assert re.search(r"^USER (?!root)\S+", final, re.M), "the runtime stage runs as root"
for l in instructions:
    if l.upper().startswith("COPY ") and "--from=" not in l:
        for src in l.split()[1:-1]:
            assert os.path.exists(os.path.join(root, src)), f"COPY of a missing file: {src}"
install = [l for l in final.splitlines() if "apt-get install" in l]
assert len(install) == 1, "the runtime stage installs its packages in one RUN"
words = install[0].split("apt-get install", 1)[1].split("&&")[0].split()
print("\n".join(w for w in words if not w.startswith("-")))
PY
[ $? -eq 0 ] && ok || fail "Dockerfile: $(cat "$work/docker.err")"
# Every package that provides a shared library of the binaries is in the runtime stage.
for binary in "$daemon" "$cli"; do
  ldd "$binary" | awk '/=>/ {print $3}' | while read -r lib; do
    real=$(realpath "$lib")
    dpkg -S "$real" 2>/dev/null || dpkg -S "${real#/usr}" 2>/dev/null || dpkg -S "/usr$real" 2>/dev/null ||
      echo "unknown-package-for-$real:"
  done
done | cut -d: -f1 | sort -u >"$work/needed-packages"
while read -r package; do
  [ "$package" = libc6 ] && continue  # essential: in every Debian image
  grep -qx "$package" "$work/runtime-packages" && ok ||
    fail "the Dockerfile's runtime stage lacks $package (a shared library of the binaries)"
done <"$work/needed-packages"
while read -r package; do
  apt-cache show "$package" >/dev/null 2>&1 && ok || fail "no Debian package $package"
done <"$work/runtime-packages"
expect_exit 0 "entrypoint is valid sh" -- sh -n "$deploy/docker/entrypoint.sh"

# --- systemd unit ----------------------------------------------------------------------------
unit="$deploy/systemd/constellationd.service"
for setting in "User=constellation" "NoNewPrivileges=yes" "ProtectSystem=strict" \
  "ReadWritePaths=/var/lib/constellation" "ExecStart=/usr/bin/constellationd run"; do
  grep -q "^$setting" "$unit" && ok || fail "the unit lacks $setting"
done
# verify needs the unit's binary to exist: the same unit, pointing at this build's binary.
mkdir -p "$work/unit"
sed "s|/usr/bin/constellationd|$daemon|" "$unit" >"$work/unit/constellationd.service"
expect_exit 0 "systemd-analyze verify" -- \
  env SYSTEMD_LOG_LEVEL=warning systemd-analyze verify --man=no "$work/unit/constellationd.service"
grep -q . "$work/err" && fail "systemd-analyze verify warned: $(cat "$work/err")"

# --- the compose topology, without containers --------------------------------------------------
declare -A org_name=()
start_service() {  # start_service NAME: the service's entrypoint with its environment, on loopback
  local name=$1
  rm -f "$work/$name.port"
  CONSTELLATIOND="$daemon" CONSTELLATION_DATA_DIR="$work/$name" CONSTELLATION_LISTEN=127.0.0.1:0 \
    CONSTELLATION_ORG_NAME="${org_name[$name]}" \
    sh "$deploy/docker/entrypoint.sh" --port-file "$work/$name.port" >>"$work/$name.log" 2>&1 &
  pid[$name]=$!
  for _ in $(seq 1 100); do [ -s "$work/$name.port" ] && break; sleep 0.1; done
  [ -s "$work/$name.port" ] || { cat "$work/$name.log"; fail "service $name did not start"; exit 1; }
  port[$name]=$(cat "$work/$name.port")
  token[$name]=$(cat "$work/$name/admin.token")
}
while IFS='|' read -r name display _; do
  org_name[$name]=$display
  start_service "$name"
  e2e_use "$name"
  expect_eq "$("$cli" node info -o json | jq -r .org_name)" "$display" "$name serves its org"
  expect_eq "$(stat -c %a "$work/$name/admin.token")" 600 "$name's admin token file mode"
done <"$work/services"
[ "${#org_name[@]}" -eq 3 ] || fail "three services expected"

# Riverside founds the group and admits Northside, which joins from Riverside's node.
e2e_use riverside
key_before=$("$cli" node info -o json | jq -r .org_key)
group=$("$cli" group create --name "Compose Partnership" --currency EUR -o json | jq -r .group_id)
e2e_use northside
"$cli" org card --out "$work/northside.card" >/dev/null || fail "northside org card"
e2e_use riverside
admit=$("$cli" proposal admit --group "$group" --card "$work/northside.card" --role partner \
  --title "Admit Northside" -o json | jq -r .proposal_id)
"$cli" proposal vote --group "$group" --proposal "$admit" --stance agree >/dev/null ||
  fail "vote on the admission"
for _ in $(seq 1 100); do
  [ "$("$cli" proposal show --group "$group" --proposal "$admit" -o json | jq -r .final)" = true ] && break
  sleep 0.1
done
e2e_use northside
expect_exit 0 "northside joins from riverside's node" -- \
  "$cli" group join --group "$group" --from "127.0.0.1:${port[riverside]}"
state_hash() { e2e_use "$1"; "$cli" group show "$group" -o json | jq -r .state_hash; }
for _ in $(seq 1 100); do
  [ "$(state_hash riverside)" = "$(state_hash northside)" ] && break
  sleep 0.1
done
expect_eq "$(state_hash northside)" "$(state_hash riverside)" "riverside and northside converge"

# A restarted service keeps its identity and does not create a second node.
kill -TERM "${pid[riverside]}"; wait "${pid[riverside]}" 2>/dev/null
unset "pid[riverside]"
org_name[riverside]=""  # the name is needed only on first start
start_service riverside
e2e_use riverside
expect_eq "$("$cli" node info -o json | jq -r .org_key)" "$key_before" "restart keeps the org key"

# The sample config is accepted by the real loader (a node runs from it).
"$daemon" init --data-dir "$work/sample" --name "Sample Org" >/dev/null || fail "init sample"
sed -e "s|^data_dir = .*|data_dir = \"$work/sample\"|" -e 's|^listen = .*|listen = "127.0.0.1:0"|' \
  "$deploy/config/constellationd.toml" >"$work/sample.toml"
"$daemon" run --config "$work/sample.toml" --port-file "$work/sample.port" >"$work/sample.log" 2>&1 &
pid[sample]=$!
for _ in $(seq 1 100); do [ -s "$work/sample.port" ] && break; sleep 0.1; done
[ -s "$work/sample.port" ] && ok || fail "a node does not run from the sample config: $(cat "$work/sample.log")"

# --- Debian packages (CPack) -------------------------------------------------------------------
if cpack -G DEB --config "$build_dir/CPackConfig.cmake" -B "$work/packages" >"$work/cpack.log" 2>&1; then
  ok
  node_deb=$(ls "$work"/packages/constellation-node_*.deb)
  cli_deb=$(ls "$work"/packages/constellation-cli_*.deb)
  sdk_deb=$(ls "$work"/packages/libconstellation-dev_*.deb)
  dpkg-deb -c "$node_deb" >"$work/node.contents"
  for f in ./usr/bin/constellationd ./usr/lib/systemd/system/constellationd.service \
    ./usr/share/doc/constellation-node/constellationd.toml; do
    grep -q " $f\$" "$work/node.contents" && ok || fail "constellation-node lacks $f"
  done
  dpkg-deb -I "$node_deb" >"$work/node.info"
  grep -q "Depends:.*librocksdb7.8" "$work/node.info" && ok || fail "node package Depends: $(grep Depends "$work/node.info")"
  grep -q "postinst" "$work/node.info" && ok || fail "node package has no postinst"
  dpkg-deb -c "$cli_deb" | grep -q " ./usr/bin/constellation\$" && ok || fail "constellation-cli lacks the CLI"
  dpkg-deb -c "$sdk_deb" >"$work/sdk.contents"
  for f in ./usr/include/constellation/client.h ./usr/lib/cmake/Constellation/ConstellationConfig.cmake \
    ./usr/lib/pkgconfig/constellation.pc ./usr/lib/libconstellation.a; do
    grep -q " $f\$" "$work/sdk.contents" && ok || fail "libconstellation-dev lacks $f"
  done
  dpkg-deb -f "$sdk_deb" Depends | grep -q "libgrpc++-dev" && ok || fail "sdk package Depends"
else
  fail "cpack: $(tail -20 "$work/cpack.log")"
fi

e2e_finish "deploy e2e"

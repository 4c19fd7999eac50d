#!/usr/bin/env bash
# End-to-end: the SDK as an integrator gets it. Installs this build (`cmake --install`) into a
# temporary prefix, builds examples/member-system against the INSTALLED SDK with
# find_package(Constellation) and with pkg-config's flags, then runs the program against a
# live node: it records a member organisation's pledge book and prints the campaign's progress.
# A second run records nothing twice (its request ids are derived from the book's lines).
#   usage: member_system_test.sh CONSTELLATIOND CONSTELLATION BUILD_DIR SOURCE_DIR
set -uo pipefail
daemon="$1"
cli="$2"
build_dir="$3"
source_dir="$4"
source "$source_dir/tests/e2e/lib.sh"
e2e_setup

prefix="$work/prefix"
cmake --install "$build_dir" --prefix "$prefix" >"$work/install.log" 2>&1 ||
  { cat "$work/install.log"; echo "cmake --install failed"; exit 1; }
for f in include/constellation/client.h lib/libconstellation.a lib/libconstellation_proto.a \
  lib/cmake/Constellation/ConstellationConfig.cmake lib/pkgconfig/constellation.pc \
  bin/constellationd bin/constellation; do
  [ -e "$prefix/$f" ] && ok || fail "installed prefix lacks $f"
done
# pkg-config's flags alone build the example too (a Makefile integrator's path).
pc_flags=$(PKG_CONFIG_PATH="$prefix/lib/pkgconfig" pkg-config --cflags --libs constellation) ||
  fail "pkg-config does not find the installed SDK"
# shellcheck disable=SC2086
expect_exit 0 "the example builds with pkg-config's flags" -- \
  c++ -std=c++20 "$source_dir/examples/member-system/main.cc" -o "$work/member-system-pc" $pc_flags

# The example is configured on its own, as an integrator's project: only CMAKE_PREFIX_PATH.
if ! cmake -S "$source_dir/examples/member-system" -B "$work/example" -G Ninja \
     -DCMAKE_PREFIX_PATH="$prefix" >"$work/example.log" 2>&1 ||
   ! cmake --build "$work/example" >>"$work/example.log" 2>&1; then
  cat "$work/example.log"
  echo "examples/member-system did not build against the installed SDK"
  exit 1
fi
ok
example="$work/example/member-system"

e2e_start_node riverside "Riverside Food Bank"
e2e_use riverside
group=$("$cli" group create --name "Northside Food Partnership" --currency EUR -o json |
  jq -r .group_id)
campaign=$("$cli" campaign open --group "$group" --name "Winter appeal" --goal 10000.00 \
  --currency EUR --deadline 2099-01-31 -o json | jq -r .campaign_id)
[ ${#campaign} -eq 64 ] || fail "campaign id '$campaign'"

cat >"$work/book.csv" <<'BOOK'
# donor,amount: Riverside's own pledge book
Harbour Trust,1200.00
Mill Lane Bakery,350.50
BOOK
run_example() {
  "$example" --endpoint "$CONSTELLATION_ENDPOINT" --token "$CONSTELLATION_TOKEN" \
    --group "$group" --campaign "$campaign" --book "$work/book.csv"
}
expect_exit 0 "member-system records the book" -- run_example
grep -q "Winter appeal: 1550.50 of 10000.00 EUR pledged, 0.00 received, 2 pledges" "$work/out" ||
  fail "progress line: $(cat "$work/out")"
grep -q "Harbour Trust" "$work/out" || fail "the pledge lines: $(cat "$work/out")"
first=$(grep '^pledge' "$work/out" | awk '{print $2}' | sort)

expect_exit 0 "member-system run again" -- run_example
grep -q "1550.50 of 10000.00 EUR pledged, 0.00 received, 2 pledges" "$work/out" ||
  fail "a second run recorded pledges twice: $(cat "$work/out")"
expect_eq "$(grep '^pledge' "$work/out" | awk '{print $2}' | sort)" "$first" \
  "a second run returns the original pledges"
expect_eq "$("$cli" pledge list --group "$group" -o json | jq length)" 2 "pledges on the node"

expect_exit 2 "member-system without --group" -- "$example" --endpoint x --book y --campaign z
expect_exit 1 "member-system with a wrong token" -- \
  "$example" --endpoint "$CONSTELLATION_ENDPOINT" --token nope --group "$group" \
  --campaign "$campaign" --book "$work/book.csv"

e2e_finish "member-system e2e"

#!/usr/bin/env bash
# End-to-end: the CLI for people (issue 12 item 8), against the real binaries. Short ids and
# names resolve; an ambiguous one is refused with exit code 16 and its candidates listed (a
# group named like another group's id prefix, two groups of one name); an unknown one says NOT
# FOUND; tables show short ids and org names while CSV keeps ids whole; an unknown noun is named
# as such; `help` is --help; no token gets a hint that says how to get one; colour appears only
# on a terminal and never with NO_COLOR; the bash completion completes.
#   usage: cli_people_test.sh CONSTELLATIOND CONSTELLATION
daemon="$1"
cli="$2"
source "$(dirname "$0")/lib.sh"
e2e_setup
e2e_start_node node "Riverside Food Bank"
e2e_use node

group=$("$cli" group create --name "Northside Food Partnership" --currency EUR -o json | jq -r .group_id)
[ ${#group} -eq 64 ] || fail "group id '$group'"
campaign=$("$cli" campaign open --group "$group" --name "Winter appeal" --goal 1000 --currency EUR -o json | jq -r .campaign_id)
pledge=$("$cli" pledge record --group "$group" --campaign "$campaign" --amount 250.50 --currency EUR -o json | jq -r .pledge_id)
[ ${#pledge} -eq 64 ] || fail "pledge id '$pledge'"

# Short ids and names resolve to the full ids, for reads and writes.
expect_exit 0 "pledge show by short ids" -- "$cli" pledge show --group "${group:0:6}" "${pledge:0:6}" -o json
expect_eq "$(jq -r .pledge_id "$work/out")" "$pledge" "pledge resolved from a 6-hex prefix"
expect_exit 0 "campaign show by names" -- "$cli" campaign show --group "Northside Food Partnership" "Winter appeal" -o json
expect_eq "$(jq -r .campaign_id "$work/out")" "$campaign" "campaign resolved by name"
expect_exit 0 "pay by short ids" -- "$cli" pledge pay --group "${group:0:4}" "${pledge:0:8}" --amount 50.25
expect_eq "$("$cli" pledge show --group "$group" "$pledge" -o json | jq -r .received)" "50.25" "payment recorded on the resolved pledge"
expect_exit 0 "member list by name" -- "$cli" pool ledger --group "${group:0:5}" --member "Riverside Food Bank" -o json

# Tables: short ids and the org's name beside its key; CSV and JSON keep ids whole.
expect_exit 0 "pledge list table" -- "$cli" pledge list --group "${group:0:6}"
expect_in "$work/out" "${pledge:0:12}  ${campaign:0:12}" "short ids in the table"
expect_in "$work/out" "(Riverside Food Bank)" "org name beside the pledger's key"
grep -qF "$pledge" "$work/out" && fail "the table shows the full pledge id"
expect_exit 0 "pledge list csv" -- "$cli" pledge list --group "${group:0:6}" -o csv
expect_in "$work/out" "$pledge,$campaign," "CSV keeps ids whole"

# Ambiguous: a group named like the first 4 hex characters of the other's id.
prefix="${group:0:4}"
twin=$("$cli" group create --name "$prefix" --currency EUR -o json | jq -r .group_id)
expect_exit 16 "prefix of one group that names another" -- "$cli" group show "$prefix"
expect_in "$work/err" "is ambiguous: 2 groups" "ambiguous message"
expect_in "$work/err" "  ${group:0:12}  Northside Food Partnership" "first candidate listed"
expect_in "$work/err" "  ${twin:0:12}  $prefix" "second candidate listed"
expect_eq "$(wc -c <"$work/out")" 0 "nothing on stdout when ambiguous"
expect_exit 0 "a longer prefix resolves" -- "$cli" group show "${group:0:12}" -o json
expect_eq "$(jq -r .group_id "$work/out")" "$group" "longer prefix"
# Two groups of one name.
"$cli" group create --name "Eastside" -o json >/dev/null
"$cli" group create --name "Eastside" -o json >/dev/null
expect_exit 16 "a name two groups share" -- "$cli" pledge list --group Eastside
expect_eq "$(grep -c '  Eastside$' "$work/err")" 2 "both Eastside groups listed"

# Unknown prefix: NOT FOUND, exit 4.
unknown=""
for candidate in 0000 1111 2222 3333 4444 5555 6666 7777 8888 9999; do
  if ! "$cli" group list -o csv | cut -d, -f1 | grep -q "^$candidate"; then unknown=$candidate; break; fi
done
expect_exit 4 "unknown prefix" -- "$cli" group show "$unknown"
expect_in "$work/err" "NOT FOUND" "not found says so"
expect_exit 4 "unknown pledge prefix" -- "$cli" pledge show --group "${group:0:6}" ffffffff
expect_in "$work/err" "constellation pledge list --group GROUP" "not found says where to look"

# Unknown noun, help.
expect_exit 2 "unknown noun" -- "$cli" pledges list --group "$group"
expect_in "$work/err" "unknown command 'pledges'; did you mean 'pledge'?" "unknown noun named"
expect_exit 0 "help word" -- "$cli" help pledge record
"$cli" pledge record --help >"$work/help-flag"
cmp -s "$work/out" "$work/help-flag" && ok || fail "'help pledge record' differs from --help"

# No token: the hint says how to get one.
expect_exit 7 "no token" -- env -u CONSTELLATION_TOKEN "$cli" group list
expect_in "$work/err" "hint: no token: set CONSTELLATION_TOKEN" "no-token hint"

# Colour only on a terminal (script(1) gives one), never with NO_COLOR or in a pipe.
show="$cli campaign show --group $group $campaign"
script -qec "$show" /dev/null >"$work/tty" 2>&1
grep -q $'\033\\[32m' "$work/tty" && ok || fail "no colour on a terminal: $(cat -v "$work/tty")"
NO_COLOR=1 script -qec "$show" /dev/null >"$work/tty-nocolor" 2>&1
grep -q $'\033' "$work/tty-nocolor" && fail "colour with NO_COLOR: $(cat -v "$work/tty-nocolor")" || ok
grep -q 'progress' "$work/tty-nocolor" && ok || fail "campaign show under NO_COLOR printed no progress"
$show >"$work/pipe"
grep -q $'\033' "$work/pipe" && fail "colour in a pipe" || ok

# Progress on long operations (group events): drawn on stderr only when it is a terminal, and
# erased before the result, which stays clean JSON.
script -qec "$cli group events $group -o json >$work/events.json" /dev/null >"$work/tty-progress" 2>&1
grep -q 'events' "$work/tty-progress" && grep -q $'\033\\[K' "$work/tty-progress" && ok ||
  fail "no progress line on a terminal: $(cat -v "$work/tty-progress")"
expect_eq "$(jq length "$work/events.json")" "$("$cli" group show "$group" -o json | jq .event_count)" \
  "the events are all there, the progress line not among them"
"$cli" group events "$group" -o json >/dev/null 2>"$work/pipe-progress"
expect_eq "$(cat "$work/pipe-progress")" "" "no progress when stderr is not a terminal"

# Bash completion generated from the command table.
"$cli" completion bash >"$work/completion.bash" || fail "completion bash"
completed=$(bash -c 'source "$1"
  COMP_WORDS=(constellation pl); COMP_CWORD=1; _constellation; echo "${COMPREPLY[*]}"
  COMP_WORDS=(constellation pledge re); COMP_CWORD=2; _constellation; echo "${COMPREPLY[*]}"
  COMP_WORDS=(constellation pledge list --gr); COMP_CWORD=3; _constellation; echo "${COMPREPLY[*]}"
  COMP_WORDS=(constellation -o j); COMP_CWORD=2; _constellation; echo "${COMPREPLY[*]}"' \
  _ "$work/completion.bash")
expect_eq "$completed" $'pledge\nrecord release\n--group\njson' "completions"

e2e_finish cli_people

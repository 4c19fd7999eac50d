#!/usr/bin/env bash
# End-to-end (issue 10: bulk ingest): an organisation imports its pledge book with
# `constellation pledge import`, JSON Lines recorded in batches through RecordPledges. A bad
# line is refused before anything is sent; a line the node refuses stops the import with the
# lines before it recorded; fixed and run again with the --request-id the error names, the
# import records every line exactly once.
#   usage: pledge_import_test.sh CONSTELLATIOND CONSTELLATION
daemon="$1"
cli="$2"
source "$(dirname "$0")/lib.sh"
e2e_setup
e2e_start_node node "Riverside Food Bank"
e2e_use node

group=$("$cli" group create --name "Northside Food Partnership" --currency EUR -o json |
  jq -r .group_id)
campaign=$("$cli" campaign open --group "$group" --name "Winter appeal" --goal 50000 \
  --currency EUR --deadline 2027-01-31 -o json | jq -r .campaign_id)
pledge_count() { "$cli" pledge list --group "$group" -o json | jq length; }

# 250 pledges: plain ones, one with installments as an array, one with a schedule, one with
# its own request id; a blank line is skipped.
book="$work/book.jsonl"
for i in $(seq 1 250); do
  case "$i" in
    5) echo '{"amount": "300.00", "installment": ["2027-01-15=100.00", "2027-06-15=200.00"], "donor": "Rivers Trust"}' ;;
    6) echo '{"amount": "1200.00", "installments": 4, "every": "month", "start": "2027-02-01"}' ;;
    7) echo '{"amount": "70.00", "request_id": "own-id-7", "note": "line seven"}' ;;
    8) echo '' ;;
    *) echo "{\"amount\": \"$i.00\", \"donor\": \"Donor $i\"}" ;;
  esac
done >"$book"

# Bad lines are refused before anything is sent: exit 3 (invalid argument), FILE:LINE named.
sed '17s/.*/{"amount": 17.5}/' "$book" >"$work/bad-number.jsonl"
expect_exit 3 "a JSON number for money" -- "$cli" pledge import --group "$group" \
  --campaign "$campaign" --currency EUR "$work/bad-number.jsonl"
expect_in "$work/err" "bad-number.jsonl:17: amount must be a string" "the line and what to fix"
sed '40s/.*/{"amount": "1.00", "colour": "red"}/' "$book" >"$work/bad-key.jsonl"
expect_exit 3 "an unknown key" -- "$cli" pledge import --group "$group" \
  --campaign "$campaign" --currency EUR "$work/bad-key.jsonl"
expect_in "$work/err" "bad-key.jsonl:40: unknown key \"colour\"" "the unknown key named"
expect_exit 3 "no campaign for the lines" -- "$cli" pledge import --group "$group" \
  --currency EUR "$book"
expect_in "$work/err" '"campaign" is missing' "the missing key named"
expect_exit 3 "a batch size above the node's limit" -- "$cli" pledge import --group "$group" \
  --campaign "$campaign" --currency EUR --batch-size 501 "$book"
expect_exit 4 "a file that does not exist" -- "$cli" pledge import --group "$group" \
  --campaign "$campaign" --currency EUR "$work/missing.jsonl"
expect_eq "$(pledge_count)" 0 "nothing recorded by refused imports"

# Line 130 names a currency the campaign does not take: the node refuses it in the second
# batch of 100; the 128 pledges before it (line 8 is blank) stay recorded.
sed '130s/.*/{"amount": "130.00", "currency": "USD"}/' "$book" >"$work/usd.jsonl"
expect_exit 3 "a line the node refuses" -- "$cli" pledge import --group "$group" \
  --campaign "$campaign" --currency EUR --request-id winter-book "$work/usd.jsonl"
expect_in "$work/err" "usd.jsonl:130: " "the refused line named"
expect_in "$work/err" "the 128 pledges before this line are recorded" "what is recorded (a blank line)"
expect_in "$work/err" "--request-id winter-book" "how to finish the import"
expect_eq "$(pledge_count)" 128 "the pledges before the refused line"

# Fixed and run again with the same request id: every line recorded exactly once.
expect_exit 0 "the import finished" -- "$cli" pledge import --group "$group" \
  --campaign "$campaign" --currency EUR --request-id winter-book "$book" -o json
expect_eq "$(jq length "$work/out")" 249 "one result per pledge line"
expect_eq "$(jq -r '.[6].request_id' "$work/out")" own-id-7 "a line's own request id"
expect_eq "$(jq -r '.[0].request_id' "$work/out")" winter-book-1 "request id of a line: base-line"
expect_eq "$(jq -r '.[7].line' "$work/out")" 9 "lines are numbered in the file"
expect_in "$work/err" "recorded 249 pledges from $book in 3 calls" "the summary on stderr"
expect_eq "$(pledge_count)" 249 "every line once"
show() { "$cli" pledge show --group "$group" "$(jq -r ".[$1].pledge_id" "$work/out")" -o json; }
expect_eq "$(show 4 | jq -r .terms.donor_name)" "Rivers Trust" "a line's donor"
expect_eq "$(show 4 | jq '.terms.installments | length')" 2 "a line's installments"
expect_eq "$(show 5 | jq '.terms.installments | length')" 4 "the schedule expanded by the node"
total=$("$cli" campaign show --group "$group" "$campaign" -o json | jq -r .pledged_minor)
expect_eq "$total" "$(( (250 * 251 / 2 - 5 - 6 - 7 - 8) * 100 + 30000 + 120000 + 7000 ))" \
  "the campaign's total"

# Standard input, and the same lines again: nothing new.
expect_exit 0 "the same import from standard input" -- sh -c "\"$cli\" pledge import \
  --group $group --campaign $campaign --currency EUR --request-id winter-book - <\"$book\""
expect_eq "$(pledge_count)" 249 "a repeated import records nothing twice"

e2e_finish pledge_import

#!/usr/bin/env bash
# bench/compare/growth.sh: how one constellationd grows with its data (issue 10 item 1): one
# node, one group, grown in place through the SDK to each size in SIZES (10k, 100k, 1M pledges
# by default, in campaigns of CAMPAIGN_PLEDGES), and at each size the ingest rate, one
# campaign's listing, the restart time, the resident memory and the disk. See
# bench/compare/README.md ("growth.sh").
#
#   bench/compare/growth.sh [BIN_DIR]                        # ~12-15 min (one fill of 1M)
#   SIZES="2000 10000" CAMPAIGN_PLEDGES=1000 bench/compare/growth.sh ../build-bench   # ~1 min
#
# At each size, in order: fill up to the size (constellation-load --mode fill, FILL_CLIENTS
# clients, one campaign per CAMPAIGN_PLEDGES pledges; the rate counts the timed writes only);
# VmRSS/VmHWM of the node; stop it (SIGTERM, wait) and `du -sb` its data directory; start it
# again and poll every 100 ms until `constellation group show` answers; VmRSS; list the first
# campaign (always the same CAMPAIGN_PLEDGES pledges, so that only the rest of the group grows)
# QUERY_LISTS times with the node's default pages and with pages of 1000; count the signed
# bytes of the new events (`constellation group events --after` -o json: event + signature)
# up to RAW_EXACT_MAX pledges, and estimate them above it from the bytes per event measured.
# The markdown table goes to stdout, progress and raw results (JSON lines) to stderr. Nothing
# listens beyond 127.0.0.1; a trap stops the node and any client and removes the temporary
# directory (KEEP=1 keeps it), whether the run ends, fails or is interrupted.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)

# --- Knobs (README.md) ------------------------------------------------------------------------
SIZES=${SIZES:-"10000 100000 1000000"}
CAMPAIGN_PLEDGES=${CAMPAIGN_PLEDGES:-10000}
FILL_CLIENTS=${FILL_CLIENTS:-32}
QUERY_LISTS=${QUERY_LISTS:-20}
RAW_EXACT_MAX=${RAW_EXACT_MAX:-100000}
START_TIMEOUT=${START_TIMEOUT:-600}
KEEP=${KEEP:-0}
BIN_DIR=${1:-${BIN_DIR:-$repo/../build-bench}}

previous=0
for size in $SIZES; do
  [[ "$size" =~ ^[0-9]+$ ]] || { echo "growth.sh: SIZES must be whole numbers" >&2; exit 2; }
  if [ "$size" -le "$previous" ] || [ $((size % CAMPAIGN_PLEDGES)) -ne 0 ]; then
    echo "growth.sh: SIZES ($SIZES) must rise and be multiples of CAMPAIGN_PLEDGES ($CAMPAIGN_PLEDGES)" >&2
    exit 2
  fi
  previous=$size
done

# shellcheck source=bench/compare/lib.sh
source "$(dirname "$0")/lib.sh"   # log, die, bounded, find_binary, load, loaded; fg_pid

# --- Everything this script starts, so that the trap can stop it ------------------------------
work=""       # temp dir: the node's data, token, logs, results
node_pid=""   # the running constellationd

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  if [ -n "$fg_pid" ]; then kill -TERM "$fg_pid" 2>/dev/null || true; wait "$fg_pid" 2>/dev/null || true; fi
  stop_node
  if [ -n "$work" ]; then
    if [ "$KEEP" = "1" ]; then log "kept $work"; else rm -rf "$work"; fi
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM


now() { date +%s.%N; }
since() { awk -v s="$1" -v e="$(now)" 'BEGIN { printf "%.2f", e - s }'; }
# proc_kb FIELD: the node's /proc status field (VmRSS, VmHWM) in kB.
proc_kb() { awk -v f="$1:" '$1 == f { print $2 }' "/proc/$node_pid/status"; }

# --- The node (as run.sh starts it: init, run on 127.0.0.1:0, --port-file, the admin token) ---
node_dir=""
node_port=""
token_file=""

init_node() {
  node_dir="$work/node"
  token_file="$work/admin.token"
  "$daemon" init --data-dir "$node_dir" --name "Growth" --admin-token-file "$token_file" >/dev/null
  # The CLI reads the token from the environment (not argv) and no config file of the user's.
  CONSTELLATION_TOKEN=$(cat "$token_file")
  export CONSTELLATION_TOKEN
  export CONSTELLATION_CONFIG="$work/cli-config.toml"
}

# probe: one CLI call that must succeed for the node to count as serving: GetGroup (and the
# group's teams) once a group exists, GetNodeInfo before.
probe() {
  if [ -n "$group" ]; then
    bounded "$work/probe.out" "$work/probe.err" "$cli" --endpoint "127.0.0.1:$node_port" \
      group show "$group" -o json
  else
    bounded "$work/probe.out" "$work/probe.err" "$cli" --endpoint "127.0.0.1:$node_port" \
      node info -o json
  fi
}

# run_node: starts the node and waits until it serves (port file, then a successful probe,
# polled every 100 ms). Sets start_port_s and start_serving_s (seconds since the start).
run_node() {
  local began
  rm -f "$work/port"
  began=$(now)
  "$daemon" run --data-dir "$node_dir" --listen 127.0.0.1:0 --port-file "$work/port" \
    --metrics-listen off >>"$work/node.log" 2>&1 &
  node_pid=$!
  start_port_s=""
  local deadline=$((SECONDS + START_TIMEOUT))
  while [ "$SECONDS" -lt "$deadline" ]; do
    kill -0 "$node_pid" 2>/dev/null || { tail -20 "$work/node.log" >&2; die "constellationd exited"; }
    if [ -z "$start_port_s" ] && [ -s "$work/port" ]; then
      start_port_s=$(since "$began")
      node_port=$(cat "$work/port")
    fi
    if [ -n "$start_port_s" ] && probe; then
      start_serving_s=$(since "$began")
      return
    fi
    sleep 0.1
  done
  tail -20 "$work/node.log" >&2
  [ ! -s "$work/probe.err" ] || cat "$work/probe.err" >&2
  die "constellationd did not serve within $START_TIMEOUT s"
}

# stop_node: SIGTERM, wait for the exit; sets stop_s.
stop_node() {
  if [ -n "$node_pid" ]; then
    local began
    began=$(now)
    kill -TERM "$node_pid" 2>/dev/null || true
    wait "$node_pid" 2>/dev/null || true
    stop_s=$(since "$began")
    node_pid=""
  fi
}

# load ARGS...: one constellation-load run against the node; its JSON line goes to
# $work/load.out (not through a pipe: the run stays in this shell, where the trap can stop it).

# result KEY VALUE...: appends {"size": N, KEY: VALUE, ...} (numbers) to the results and stderr.
result() {
  # shellcheck disable=SC2016  # $size and the keys are jq's variables
  local args=(--argjson size "$size") filter='{size: $size'
  while [ "$#" -gt 0 ]; do
    args+=(--argjson "$1" "${2:-null}")
    filter+=", $1: \$$1"
    shift 2
  done
  jq -n -c "${args[@]}" "$filter}" | tee -a "$work/results.jsonl" >&2
}

# --- One step of growth -----------------------------------------------------------------------
group=""
first_campaign=""
count=0          # pledges in the group
events=0         # events in the group (GetGroup), at the last size
raw_bytes=0      # signed bytes (event + signature) of the first `raw_events` events
raw_events=0

fill_to() {
  local target=$1 ops=0 seconds=0 rate first_rate="" last_rate began
  began=$(now)
  while [ "$count" -lt "$target" ]; do
    load --mode fill --clients "$FILL_CLIENTS" --count "$CAMPAIGN_PLEDGES" ${group:+--group "$group"}
    [ "$(loaded errors)" = "0" ] || log "warning: $(loaded errors) failed writes"
    group=$(loaded group)
    [ -n "$first_campaign" ] || first_campaign=$(loaded campaign)
    ops=$((ops + $(loaded ops)))
    seconds=$(awk -v a="$seconds" -v b="$(loaded seconds)" 'BEGIN { print a + b }')
    count=$((count + $(loaded ops)))
    last_rate=$(loaded ops_per_s)
    [ -n "$first_rate" ] || first_rate=$last_rate
    if [ $(((count / CAMPAIGN_PLEDGES) % 10)) -eq 0 ] || [ "$count" -ge "$target" ]; then
      log "filled $count of $target ($last_rate pledges/s in this campaign, p99 $(loaded p99_ms) ms)"
    fi
    jq -c --argjson n "$count" '{filled: $n, ops_per_s, p50_ms, p99_ms, errors}' "$work/load.out" \
      >>"$work/fill.jsonl"
  done
  rate=$(awk -v n="$ops" -v t="$seconds" 'BEGIN { printf "%.1f", n / t }')
  result fill_ops "$ops" fill_seconds "$seconds" fill_rate "$rate" fill_first_rate "$first_rate" \
    fill_last_rate "$last_rate" fill_wall_seconds "$(since "$began")"
}

# query NAME ARGS...: QUERY_LISTS lists of the first campaign, one client.
query() {
  local name=$1
  shift
  load --mode query --clients 1 --count "$QUERY_LISTS" --seconds 3600 --group "$group" \
    --campaign "$first_campaign" --expect "$CAMPAIGN_PLEDGES" "$@"
  [ "$(loaded errors)" = "0" ] || die "query $name: $(loaded errors) failed lists"
  result "${name}_p50" "$(loaded p50_ms)" "${name}_p99" "$(loaded p99_ms)" \
    "${name}_max" "$(loaded max_ms)" "${name}_lists" "$(loaded ops)"
}

# count_raw: adds the signed bytes (decoded event + signature) of the events after raw_events.
count_raw() {
  local began added
  began=$(now)
  bounded "$work/events.json" "$work/events.err" "$cli" --endpoint "127.0.0.1:$node_port" \
    group events "$group" --after "$raw_events" -o json --timeout 1800s ||
    { cat "$work/events.err" >&2; die "constellation group events failed"; }
  # Base64 length to bytes: 3 per 4 characters, less the padding.
  added=$(grep -o '"\(event\|signature\)_base64": *"[A-Za-z0-9+/=]*"' "$work/events.json" |
    awk -F'"' '{ s = $4; n = length(s) / 4 * 3; if (s ~ /==$/) n -= 2; else if (s ~ /=$/) n -= 1
                 if ($2 == "event_base64") e++; b += n } END { printf "%d %d\n", b, e }')
  rm -f "$work/events.json"
  raw_bytes=$((raw_bytes + ${added% *}))
  raw_events=$((raw_events + ${added#* }))
  log "signed bytes of $raw_events events: $raw_bytes (counted in $(since "$began") s)"
}

grow() {
  local disk rss_fill hwm_fill rss_start raw raw_exact
  log "growing to $size pledges"
  fill_to "$size"
  rss_fill=$(proc_kb VmRSS)
  hwm_fill=$(proc_kb VmHWM)
  stop_node
  disk=$(du -sb "$node_dir" | cut -f1)
  log "$size pledges: VmRSS $rss_fill kB (peak $hwm_fill kB) after the fill; stopped in $stop_s s; $disk bytes on disk"
  run_node
  rss_start=$(proc_kb VmRSS)
  events=$(jq -r '.event_count // .events // empty' "$work/probe.out")
  log "restarted: port file after $start_port_s s, serving after $start_serving_s s; VmRSS $rss_start kB; $events events"
  result events "$events" stop_s "$stop_s" start_port_s "$start_port_s" \
    start_serving_s "$start_serving_s" rss_fill_kb "$rss_fill" hwm_fill_kb "$hwm_fill" \
    rss_start_kb "$rss_start" disk_bytes "$disk"
  query query_default
  query query_1000 --page-size 1000
  result rss_query_kb "$(proc_kb VmRSS)"
  if [ "$size" -le "$RAW_EXACT_MAX" ]; then count_raw; fi
  if [ "$raw_events" -ge "$events" ]; then
    raw=$raw_bytes
    raw_exact=true
  else
    # Estimated: the events not counted at the bytes per event of those counted (the same kinds
    # of event: almost all are pledges).
    raw=$(awk -v b="$raw_bytes" -v n="$raw_events" -v e="$events" 'BEGIN { printf "%.0f", b / n * e }')
    raw_exact=false
  fi
  result raw_bytes "$raw" raw_exact "$raw_exact" raw_counted_events "$raw_events"
}

# --- The table: one column per size ------------------------------------------------------------
# val SIZE KEY: the value recorded for SIZE (the last one).
val() {
  jq -r --argjson s "$1" --arg k "$2" 'select(.size == $s and has($k)) | (.[$k] | if . == null then "nan" else . end)' \
    "$work/results.jsonl" | tail -1
}
fmt() { awk -v v="$1" -v f="$2" 'BEGIN { if (v == "" || v == "nan" || v == "null") print "—"; else printf f, v }'; }
# row LABEL CELL-COMMAND...: one table row; the command prints the cell of the size $1.
row() {
  local label=$1 s line
  shift
  line="| $label |"
  for s in $SIZES; do line+=" $("$@" "$s") |"; done
  echo "$line"
}
mib() { fmt "$(awk -v k="$1" 'BEGIN { print k / 1024 }')" %.0f; }

cell_events() { fmt "$(val "$1" events)" %.0f; }
cell_fill() {
  local prev="" s
  for s in $SIZES; do [ "$s" = "$1" ] && break; prev=$s; done
  echo "$(fmt "$(val "$1" fill_rate)" %.0f) (${prev:-0}→$1)"
}
cell_fill_ends() { echo "$(fmt "$(val "$1" fill_first_rate)" %.0f) → $(fmt "$(val "$1" fill_last_rate)" %.0f)"; }
cell_query() { echo "$(fmt "$(val "$1" "${2}_p50")" %.1f) / $(fmt "$(val "$1" "${2}_p99")" %.1f)"; }
cell_query_default() { cell_query "$1" query_default; }
cell_query_1000() { cell_query "$1" query_1000; }
cell_stop() { fmt "$(val "$1" stop_s)" %.2f; }
cell_start() { echo "$(fmt "$(val "$1" start_serving_s)" %.2f) ($(fmt "$(val "$1" start_port_s)" %.2f))"; }
cell_rss_fill() { echo "$(mib "$(val "$1" rss_fill_kb)") ($(mib "$(val "$1" hwm_fill_kb)"))"; }
cell_rss_start() { mib "$(val "$1" rss_start_kb)"; }
cell_rss_per_event() {
  fmt "$(awk -v k="$(val "$1" rss_start_kb)" -v e="$(val "$1" events)" 'BEGIN { print k * 1024 / e }')" %.0f
}
# Between this size and the one before (the growth, without the node's fixed memory).
cell_rss_per_added_event() {
  local prev="" s
  for s in $SIZES; do [ "$s" = "$1" ] && break; prev=$s; done
  if [ -z "$prev" ]; then echo "—"; return; fi
  fmt "$(awk -v k="$(val "$1" rss_start_kb)" -v kp="$(val "$prev" rss_start_kb)" \
    -v e="$(val "$1" events)" -v ep="$(val "$prev" events)" 'BEGIN { print (k - kp) * 1024 / (e - ep) }')" %.0f
}
cell_disk() { fmt "$(awk -v b="$(val "$1" disk_bytes)" 'BEGIN { print b / 1048576 }')" %.1f; }
cell_raw() {
  local exact
  exact=$(val "$1" raw_exact)
  echo "$(fmt "$(awk -v b="$(val "$1" raw_bytes)" 'BEGIN { print b / 1048576 }')" %.1f)$([ "$exact" = "true" ] || echo " (est.)")"
}
cell_raw_per_event() {
  fmt "$(awk -v b="$(val "$1" raw_bytes)" -v e="$(val "$1" events)" 'BEGIN { print b / e }')" %.0f
}
cell_ratio() {
  fmt "$(awk -v d="$(val "$1" disk_bytes)" -v b="$(val "$1" raw_bytes)" 'BEGIN { print d / b }')" %.2f
}

print_table() {
  local header="| pledges in the group |" rule="|---|" s
  for s in $SIZES; do header+=" $s |"; rule+="---|"; done
  echo
  echo "One node grown in place; pledges in campaigns of $CAMPAIGN_PLEDGES; the query lists the first"
  echo "campaign (the same $CAMPAIGN_PLEDGES pledges at every size), $QUERY_LISTS lists per cell, 1 client."
  echo
  echo "$header"
  echo "$rule"
  row "events in the group (GetGroup)" cell_events
  row "ingest, pledges/s while writing ($FILL_CLIENTS clients, \`RecordPledge\`; this step)" cell_fill
  row "ingest, first → last campaign of the step, pledges/s" cell_fill_ends
  row "one campaign's $CAMPAIGN_PLEDGES pledges, default pages, p50 / p99 ms" cell_query_default
  row "the same in pages of 1000, p50 / p99 ms" cell_query_1000
  row "stop (SIGTERM until exit), s" cell_stop
  row "restart until \`group show\` answers (until the port file), s" cell_start
  row "VmRSS after the fill (VmHWM), MiB" cell_rss_fill
  row "VmRSS after the restart, serving, MiB" cell_rss_start
  row "resident bytes per event after the restart" cell_rss_per_event
  row "the same per event added since the size before" cell_rss_per_added_event
  row "data directory (\`du -sb\`, node stopped), MiB" cell_disk
  row "signed events (event + signature bytes), MiB" cell_raw
  row "signed bytes per event" cell_raw_per_event
  row "disk ÷ signed bytes" cell_ratio
  echo
  echo "Machine: $(nproc) × $(lscpu | awk -F': +' '/^Model name/ { print $2; exit }'), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), kernel $(uname -r); constellationd $("$daemon" version 2>/dev/null | awk '{print $NF}'); load average $load_before at start, $(cut -d' ' -f1-3 /proc/loadavg) at end (other work on the machine shows here)."
  if [ "$raw_events" -lt "$events" ]; then
    echo "(est.): signed bytes counted for the first $raw_events events (up to RAW_EXACT_MAX=$RAW_EXACT_MAX pledges), the rest estimated at the same bytes per event."
  fi
}

main() {
  local started
  started=$(date +%s)
  command -v jq >/dev/null || die "jq is needed (apt-get install jq)"
  daemon=$(find_binary constellationd)
  load_tool=$(find_binary constellation-load)
  cli=$(find_binary constellation)
  work=$(mktemp -d -t constellation-growth-XXXXXX)
  : >"$work/results.jsonl"
  load_before=$(cut -d' ' -f1-3 /proc/loadavg)
  log "SIZES='$SIZES' CAMPAIGN_PLEDGES=$CAMPAIGN_PLEDGES FILL_CLIENTS=$FILL_CLIENTS QUERY_LISTS=$QUERY_LISTS RAW_EXACT_MAX=$RAW_EXACT_MAX BIN_DIR=$BIN_DIR ($work)"
  init_node
  run_node
  log "constellationd on 127.0.0.1:$node_port ($node_dir), serving after $start_serving_s s"
  for size in $SIZES; do grow; done
  print_table
  log "done in $(($(date +%s) - started)) s"
}

main

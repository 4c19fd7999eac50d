#!/usr/bin/env bash
# bench/compare/run.sh: Constellation side by side with "a shared PostgreSQL that one of us
# hosts" (issue 10), on this machine, in one run. See bench/compare/README.md.
#
#   bench/compare/run.sh [BIN_DIR]        # QUICK=1 for a ~3-minute smoke run
#
# It installs PostgreSQL (and RocksDB's db_bench) from Debian if missing, starts a private
# PostgreSQL cluster and fresh constellationd nodes on loopback in temporary directories, runs
# the same work against both (durable single-row writes at 1/8/32 clients; one campaign's
# pledges read by an indexed query / ListPledges), interleaved and repeated, measures the
# machine's limits (Ed25519 sign and verify per core, RocksDB synced writes), prints one
# markdown table on stdout (progress and raw results go to stderr) and stops everything it
# started.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)

# --- Knobs (README.md) ------------------------------------------------------------------------
QUICK=${QUICK:-0}
if [ "$QUICK" = "1" ]; then
  SECONDS_PER_RUN=${SECONDS_PER_RUN:-3}
  REPS=${REPS:-1}
  CAMPAIGN_PLEDGES=${CAMPAIGN_PLEDGES:-2000}
  READ_TOTAL=${READ_TOTAL:-20000}
  LIMIT_SECONDS=${LIMIT_SECONDS:-2}
else
  SECONDS_PER_RUN=${SECONDS_PER_RUN:-20}
  REPS=${REPS:-3}
  CAMPAIGN_PLEDGES=${CAMPAIGN_PLEDGES:-10000}
  READ_TOTAL=${READ_TOTAL:-200000}
  LIMIT_SECONDS=${LIMIT_SECONDS:-10}
fi
CLIENTS=${CLIENTS:-"1 8 32"}
FILL_CLIENTS=${FILL_CLIENTS:-32}
INGEST_BATCH=${INGEST_BATCH:-500}
BIN_DIR=${1:-${BIN_DIR:-$repo/../build-bench}}

if [ "$READ_TOTAL" -lt "$CAMPAIGN_PLEDGES" ]; then
  echo "run.sh: READ_TOTAL ($READ_TOTAL) must be at least CAMPAIGN_PLEDGES ($CAMPAIGN_PLEDGES)" >&2
  exit 2
fi

# shellcheck source=bench/compare/lib.sh
source "$(dirname "$0")/lib.sh"   # log, die, bounded, find_binary, load, loaded; fg_pid

# --- Everything this script starts, so that the trap can stop it ------------------------------
work=""          # temp dir: node data, pgbench logs, db_bench database
pg_root=""       # temp dir owned by the postgres user when run as root (postgres refuses root)
pg_bin=""
pg_started=0
node_pid=""      # the running constellationd

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  if [ -n "$fg_pid" ]; then kill -TERM "$fg_pid" 2>/dev/null || true; wait "$fg_pid" 2>/dev/null || true; fi
  stop_node
  if [ "$pg_started" = "1" ]; then
    as_pg "$pg_bin/pg_ctl" -D "$pg_root/data" -m fast -w stop >/dev/null 2>&1 || true
  fi
  if [ -n "$pg_root" ]; then rm -rf "$pg_root"; fi
  if [ -n "$work" ]; then rm -rf "$work"; fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- Set-up: packages, binaries ---------------------------------------------------------------
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

find_pg_bin() {
  local dir found=""
  for dir in /usr/lib/postgresql/*/bin; do [ -x "$dir/pg_ctl" ] && found=$dir; done
  echo "$found"   # the glob sorts 15 before 16; a single version is the usual case
}

install_packages() {
  local missing=()
  pg_bin=$(find_pg_bin)
  if [ -z "$pg_bin" ] || [ ! -x "$pg_bin/pg_ctl" ] || [ ! -x "$pg_bin/pgbench" ]; then
    missing+=(postgresql postgresql-contrib)   # pgbench ships in postgresql-15 itself
  fi
  command -v db_bench >/dev/null || missing+=(rocksdb-tools)   # db_bench
  command -v jq >/dev/null || missing+=(jq)
  if [ "${#missing[@]}" -eq 0 ]; then return; fi
  log "installing ${missing[*]} (Debian packages)"
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get update -qq
  as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  pg_bin=$(find_pg_bin)
  [ -n "$pg_bin" ] || die "PostgreSQL did not install"
  # Debian's package creates and starts a system cluster (15/main on port 5432). This script
  # started it by installing it, so it stops it: nothing may keep running after the benchmark.
  if command -v pg_lsclusters >/dev/null; then
    pg_lsclusters -h 2>/dev/null | while read -r version name _port status _rest; do
      if [ "$status" = "online" ]; then
        log "stopping the system cluster $version/$name that the install started"
        as_root pg_ctlcluster "$version" "$name" stop || true
      fi
    done
  fi
}

# A TCP port on 127.0.0.1 that nothing listens on (nothing answers a connect).
free_port() {
  local port
  for _ in $(seq 1 100); do
    port=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return; fi
  done
  die "no free port found"
}

# --- PostgreSQL: a private cluster on loopback ------------------------------------------------
# postgres refuses to run as root: as root, the cluster belongs to the postgres system user.
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_port=""
psql_bench() { "$pg_bin/psql" -X -q -h 127.0.0.1 -p "$pg_port" -U postgres -d bench "$@"; }

start_postgres() {
  pg_root=$(mktemp -d -t constellation-compare-pg-XXXXXX)
  if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || die "no postgres system user (the postgresql package makes it)"
    chown postgres: "$pg_root"
  fi
  pg_port=$(free_port)
  as_pg "$pg_bin/initdb" -D "$pg_root/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 \
    >"$pg_root/initdb.log" 2>&1 || { cat "$pg_root/initdb.log" >&2; die "initdb failed"; }
  # Loopback only, no shared socket directory; durability as shipped (stated explicitly).
  cat >>"$pg_root/data/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $pg_port
unix_socket_directories = '$pg_root'
fsync = on
synchronous_commit = on
full_page_writes = on
EOF
  as_pg "$pg_bin/pg_ctl" -D "$pg_root/data" -l "$pg_root/postgres.log" -w -t 60 start >/dev/null ||
    { cat "$pg_root/postgres.log" >&2; die "postgres did not start"; }
  pg_started=1
  "$pg_bin/createdb" -h 127.0.0.1 -p "$pg_port" -U postgres bench
  psql_bench -f "$here/schema.sql"
  log "PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$pg_port ($pg_root)"
}

# Prints the latencies (ms) of the successful transactions in pgbench's per-transaction logs
# PREFIX.* (field 3: the transaction's time in microseconds), one a line.
pgbench_latencies() { cat "$1".* | awk '$3 ~ /^[0-9]+$/ { printf "%.3f\n", $3 / 1000 }'; }

# Nearest-rank percentile P (0..100) of the numbers on stdin.
percentile() {
  sort -g | awk -v p="$1" '{ v[NR] = $1 } END {
    if (NR == 0) { print 0; exit }
    r = int(p / 100 * NR); if (r < p / 100 * NR) r++; if (r < 1) r = 1; print v[r] }'
}

# pg_cell NAME SCRIPT CLIENTS: one pgbench run; appends a JSON line like constellation-load's.
pg_cell() {
  local name=$1 script=$2 clients=$3 threads prefix out
  threads=$(( clients < $(nproc) ? clients : $(nproc) ))
  prefix="$work/pglog-$name-$clients"
  rm -f "$prefix".*
  out="$work/pgbench.out"
  bounded "$out" "$work/pgbench.err" "$pg_bin/pgbench" -n -M prepared -h 127.0.0.1 -p "$pg_port" \
    -U postgres -c "$clients" -j "$threads" -T "$SECONDS_PER_RUN" -f "$script" \
    --log --log-prefix="$prefix" bench ||
    { cat "$work/pgbench.err" >&2; die "pgbench failed ($name, $clients clients)"; }
  local tps failed ops
  tps=$(awk '/^tps = / { print $3; exit }' "$out")
  failed=$(awk -F'[: ]+' '/^number of failed transactions/ { print $5; exit }' "$out")
  ops=$(awk -F': ' '/^number of transactions actually processed/ { split($2, a, "/"); print a[1]; exit }' "$out")
  pgbench_latencies "$prefix" >"$work/lat"
  printf '{"system":"postgresql","mode":"%s","clients":%d,"ops":%s,"errors":%s,"ops_per_s":%s,"p50_ms":%s,"p90_ms":%s,"p99_ms":%s,"max_ms":%s}\n' \
    "$name" "$clients" "${ops:-0}" "${failed:-0}" "${tps:-0}" \
    "$(percentile 50 <"$work/lat")" "$(percentile 90 <"$work/lat")" \
    "$(percentile 99 <"$work/lat")" "$(percentile 100 <"$work/lat")" | tee -a "$work/results.jsonl" >&2
  rm -f "$prefix".*
}

# --- Constellation: a fresh node on loopback --------------------------------------------------
node_port=""
node_dir=""

start_node() {
  node_dir="$work/node-$1"
  "$daemon" init --data-dir "$node_dir" --name "Compare $1" \
    --admin-token-file "$work/admin-$1.token" >/dev/null
  rm -f "$work/port"
  "$daemon" run --data-dir "$node_dir" --listen 127.0.0.1:0 --port-file "$work/port" \
    --metrics-listen off >>"$work/node-$1.log" 2>&1 &
  node_pid=$!
  for _ in $(seq 1 300); do [ -s "$work/port" ] && break; sleep 0.1; done
  [ -s "$work/port" ] || { tail -20 "$work/node-$1.log" >&2; die "constellationd did not start"; }
  node_port=$(cat "$work/port")
  token_file="$work/admin-$1.token"
  log "constellationd ($1) on 127.0.0.1:$node_port ($node_dir)"
}

stop_node() {
  if [ -n "$node_pid" ]; then
    kill -TERM "$node_pid" 2>/dev/null || true
    wait "$node_pid" 2>/dev/null || true
    node_pid=""
  fi
}

# load ARGS...: one constellation-load run against the node; its JSON line goes to
# $work/load.out (not through a pipe: the run stays in this shell, where the trap can stop it).

# c_cell NAME CLIENTS ARGS...: one constellation-load run; appends its JSON line to the results.
c_cell() {
  local name=$1 clients=$2
  shift 2
  load --clients "$clients" --seconds "$SECONDS_PER_RUN" --count 100000000 "$@"
  jq -c --arg name "$name" '{system: "constellation", mode: $name} + del(.mode)' \
    "$work/load.out" | tee -a "$work/results.jsonl" >&2
}

# --- Results ---------------------------------------------------------------------------------
# value SYSTEM MODE CLIENTS FIELD: the median over the repetitions of FIELD.
value() {
  jq -r --arg s "$1" --arg m "$2" --argjson c "$3" --arg f "$4" \
    'select(.system == $s and .mode == $m and .clients == $c) | .[$f]' "$work/results.jsonl" |
    sort -g | awk '{ v[NR] = $1 } END {
      if (NR == 0) { print "nan"; exit }
      if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# range SYSTEM MODE CLIENTS FIELD: "min–max" over the repetitions (empty for one repetition).
range() {
  jq -r --arg s "$1" --arg m "$2" --argjson c "$3" --arg f "$4" \
    'select(.system == $s and .mode == $m and .clients == $c) | .[$f]' "$work/results.jsonl" |
    sort -g | awk -v fmt="$5" '{ v[NR] = $1 } END {
      if (NR > 1) printf " (" fmt "–" fmt ")", v[1], v[NR] }'
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 == 0 || a == "nan" || b == "nan") print "—"; else printf "%.2f", a / b }'; }
fmt() { awk -v v="$1" -v f="$2" 'BEGIN { if (v == "nan") print "—"; else printf f, v }'; }

# --- The phases ------------------------------------------------------------------------------
phase_writes() {
  log "durable single writes: clients $CLIENTS, $SECONDS_PER_RUN s per cell, $REPS repetition(s)"
  start_node writes
  local group campaign
  load --mode fill --clients 1 --count 1   # founds the group, opens the campaign
  group=$(loaded group)
  campaign=$(loaded campaign)
  for rep in $(seq 1 "$REPS"); do
    for clients in $CLIENTS; do
      log "rep $rep/$REPS, $clients client(s): PostgreSQL, then Constellation"
      pg_cell write "$here/insert.pgbench" "$clients"
      # PostgreSQL's deferred writes (a checkpoint) are not to land in Constellation's cell.
      psql_bench -c 'CHECKPOINT' >/dev/null
      c_cell write "$clients" --mode write --group "$group" --campaign "$campaign"
    done
    # Bulk ingest: one organisation importing its pledge book through the batch API
    # (RecordPledges, the node's largest batch), one client.
    log "rep $rep/$REPS: bulk ingest, batches of $INGEST_BATCH"
    c_cell ingest 1 --mode batch --batch-size "$INGEST_BATCH" --group "$group" \
      --campaign "$campaign"
  done
  stop_node
}

phase_reads() {
  local others=$((READ_TOTAL - CAMPAIGN_PLEDGES)) started elapsed
  log "read data: $READ_TOTAL pledges in campaigns of $CAMPAIGN_PLEDGES, in both systems"
  started=$(date +%s.%N)
  psql_bench -v total="$READ_TOTAL" -v campaign_pledges="$CAMPAIGN_PLEDGES" -f "$here/load.sql"
  log "PostgreSQL loaded in $(awk -v s="$started" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }') s"

  # A fresh node: the read data alone, every campaign in one group (as in the table).
  start_node reads
  # Each fill run opens a campaign in the group (the first founds the group); the last one is
  # the campaign the query reads, as in load.sql.
  # The ingest rate counts the timed writes only (not each run's connect and campaign set-up).
  local group="" campaign chunk count=0 fill_ops=0 fill_seconds=0
  started=$(date +%s.%N)
  fill_chunk() {
    load --mode fill --clients "$FILL_CLIENTS" --count "$1" ${group:+--group "$group"}
    group=$(loaded group)
    campaign=$(loaded campaign)
    fill_ops=$((fill_ops + $(loaded ops)))
    fill_seconds=$(awk -v a="$fill_seconds" -v b="$(loaded seconds)" 'BEGIN { print a + b }')
    count=$((count + $1))
    log "filled $count of $READ_TOTAL ($(loaded ops_per_s) pledges/s, $(loaded errors) errors)"
  }
  while [ "$others" -gt 0 ]; do
    chunk=$(( others < CAMPAIGN_PLEDGES ? others : CAMPAIGN_PLEDGES ))
    fill_chunk "$chunk"
    others=$((others - chunk))
  done
  fill_chunk "$CAMPAIGN_PLEDGES"
  elapsed=$(awk -v s="$started" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }')
  fill_rate=$(awk -v n="$fill_ops" -v t="$fill_seconds" 'BEGIN { printf "%.1f", n / t }')
  log "Constellation filled in $elapsed s ($fill_rate pledges/s while writing, $FILL_CLIENTS clients)"
  jq -n -c --argjson r "$fill_rate" --argjson c "$FILL_CLIENTS" \
    '{system: "constellation", mode: "fill", clients: $c, ops_per_s: $r}' >>"$work/results.jsonl"

  log "one campaign's $CAMPAIGN_PLEDGES pledges, 1 client, $SECONDS_PER_RUN s per cell, $REPS repetition(s)"
  for rep in $(seq 1 "$REPS"); do
    log "rep $rep/$REPS: PostgreSQL, then Constellation (default pages, then pages of 1000)"
    pg_cell query "$here/query.pgbench" 1
    c_cell query 1 --mode query --group "$group" --campaign "$campaign" --expect "$CAMPAIGN_PLEDGES"
    # The same list in the largest pages the node serves: how much of it is round trips.
    c_cell query_pages 1 --mode query --group "$group" --campaign "$campaign" \
      --expect "$CAMPAIGN_PLEDGES" --page-size 1000
  done
  stop_node
}

phase_limits() {
  log "machine limits: Ed25519 (core_bench), RocksDB synced writes (db_bench)"
  # Google Benchmark's CPU time per event is the per-core cost; its median over repetitions.
  bounded "$work/core_bench.json" "$work/core_bench.err" "$core_bench" \
    --benchmark_filter='^BM_(SealEvent|VerifyEvent)$' --benchmark_repetitions=3 \
    --benchmark_min_time="$(awk -v s="$LIMIT_SECONDS" 'BEGIN { print s / 6 }')" \
    --benchmark_report_aggregates_only=true --benchmark_format=json ||
    { cat "$work/core_bench.err" >&2; die "core_bench failed"; }
  local bench
  for bench in SealEvent VerifyEvent; do
    jq -c --arg b "BM_$bench" '.benchmarks[] | select(.run_name == $b and .aggregate_name == "median")
      | {system: "limit", mode: $b, clients: 1,
         ops_per_s: (1e9 / (.cpu_time * ({"ns": 1, "us": 1e3, "ms": 1e6, "s": 1e9}[.time_unit])))}' \
      "$work/core_bench.json" | tee -a "$work/results.jsonl" >&2
  done

  # db_bench (Debian's rocksdb-tools): synced writes of 270-byte values (about one signed
  # pledge event), one thread (an fsync each) and 32 (RocksDB's group commit).
  if ! command -v db_bench >/dev/null; then log "no db_bench: RocksDB limit skipped"; return; fi
  local threads rate
  for threads in 1 32; do
    rm -rf "$work/rocksdb"
    bounded "$work/db_bench.out" "$work/db_bench.err" db_bench --db="$work/rocksdb" \
      --benchmarks=fillrandom --sync=1 --threads="$threads" --duration="$LIMIT_SECONDS" \
      --num=10000000 --key_size=32 --value_size=270 --compression_type=none \
      --use_existing_db=0 ||
      { cat "$work/db_bench.err" >&2; die "db_bench failed"; }
    rate=$(awk '/^fillrandom/ { for (i = 1; i <= NF; i++) if ($i == "ops/sec") print $(i - 1) }' \
      "$work/db_bench.out")
    jq -n -c --argjson r "${rate:-0}" --argjson t "$threads" \
      '{system: "limit", mode: "rocksdb_sync", clients: $t, ops_per_s: $r}' |
      tee -a "$work/results.jsonl" >&2
  done
  rm -rf "$work/rocksdb"
}

print_table() {
  local n cores pg c
  cores=$(nproc)
  echo
  echo "Ratio: Constellation ÷ PostgreSQL for throughput, PostgreSQL ÷ Constellation for latency"
  echo "(so above 1 is Constellation better); for a machine limit, Constellation ÷ the limit"
  echo "(the share of it reached). Medians of $REPS, $SECONDS_PER_RUN s per cell, interleaved."
  echo
  echo "| work | PostgreSQL (or machine limit) | Constellation | ratio |"
  echo "|---|---|---|---|"
  for n in $CLIENTS; do
    pg=$(value postgresql write "$n" ops_per_s)
    c=$(value constellation write "$n" ops_per_s)
    echo "| durable single writes, $n client(s), per s | $(fmt "$pg" %.0f)$(range postgresql write "$n" ops_per_s %.0f) tps | $(fmt "$c" %.0f)$(range constellation write "$n" ops_per_s %.0f) pledges | $(ratio "$c" "$pg") |"
  done
  for n in $CLIENTS; do
    pg=$(value postgresql write "$n" p99_ms)
    c=$(value constellation write "$n" p99_ms)
    echo "| durable single write latency p50 / p99, $n client(s), ms | $(fmt "$(value postgresql write "$n" p50_ms)" %.2f) / $(fmt "$pg" %.2f) | $(fmt "$(value constellation write "$n" p50_ms)" %.2f) / $(fmt "$c" %.2f) | $(ratio "$(value postgresql write "$n" p50_ms)" "$(value constellation write "$n" p50_ms)") / $(ratio "$pg" "$c") |"
  done
  pg=$(value postgresql query 1 p50_ms)
  c=$(value constellation query 1 p50_ms)
  echo "| one campaign's $CAMPAIGN_PLEDGES pledges out of $READ_TOTAL, 1 client, p50 ms | $(fmt "$pg" %.2f)$(range postgresql query 1 p50_ms %.2f) (indexed query) | $(fmt "$c" %.2f)$(range constellation query 1 p50_ms %.2f) (SDK \`ListPledges\`) | $(ratio "$pg" "$c") |"
  c=$(value constellation query_pages 1 p50_ms)
  echo "| the same, Constellation in pages of 1000 (\`ListPledgesPage\`), p50 ms | $(fmt "$pg" %.2f) | $(fmt "$c" %.2f)$(range constellation query_pages 1 p50_ms %.2f) | $(ratio "$pg" "$c") |"
  local seal verify fill
  seal=$(value limit BM_SealEvent 1 ops_per_s)
  verify=$(value limit BM_VerifyEvent 1 ops_per_s)
  fill=$(value constellation fill "$FILL_CLIENTS" ops_per_s)
  local ingest all_cores
  ingest=$(value constellation ingest 1 items_per_s)
  all_cores=$(awk -v s="$seal" -v n="$cores" 'BEGIN { print s * n }')
  echo "| bulk ingest (1 client, \`RecordPledges\` batches of $INGEST_BATCH) vs Ed25519 seal on all $cores cores | $(fmt "$seal" %.0f)/s/core × $cores = $(fmt "$all_cores" %.0f)/s | $(fmt "$ingest" %.0f)$(range constellation ingest 1 items_per_s %.0f) pledges/s | $(ratio "$ingest" "$all_cores") |"
  echo "| bulk ingest ($FILL_CLIENTS clients, \`RecordPledge\`) vs Ed25519 seal on all $cores cores | $(fmt "$seal" %.0f)/s/core × $cores = $(fmt "$(awk -v s="$seal" -v n="$cores" 'BEGIN { print s * n }')" %.0f)/s | $(fmt "$fill" %.0f) pledges/s | $(ratio "$fill" "$(awk -v s="$seal" -v n="$cores" 'BEGIN { print s * n }')") |"
  echo "| Ed25519 verify (\`BM_VerifyEvent\`), all $cores cores | $(fmt "$verify" %.0f)/s/core × $cores = $(fmt "$(awk -v s="$verify" -v n="$cores" 'BEGIN { print s * n }')" %.0f)/s | (catch-up: not measured here) | — |"
  for n in 1 32; do
    local rocks
    rocks=$(value limit rocksdb_sync "$n" ops_per_s)
    c=$(value constellation write "$n" ops_per_s)
    echo "| RocksDB synced writes, $n thread(s) (\`db_bench\`) vs durable writes, $n client(s) | $(fmt "$rocks" %.0f)/s | $(fmt "$c" %.0f) pledges/s | $(ratio "$c" "$rocks") |"
  done
  echo
  echo "Machine: $cores × $(lscpu | awk -F': +' '/^Model name/ { print $2; exit }'), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), kernel $(uname -r), $(sed -n 's/^PRETTY_NAME="\(.*\)"$/\1/p' /etc/os-release); PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}'), constellationd $("$daemon" version 2>/dev/null | awk '{print $NF}'), RocksDB $(dpkg-query -W -f='${Version}' 'librocksdb7*' 2>/dev/null | head -c 20 || echo '?'), libsodium $(dpkg-query -W -f='${Version}' libsodium23 2>/dev/null || echo '?'); load average $load_before at start, $(cut -d' ' -f1-3 /proc/loadavg) at end (other work on the machine shows here)."
}

main() {
  local started
  started=$(date +%s)
  install_packages
  daemon=$(find_binary constellationd)
  load_tool=$(find_binary constellation-load)
  core_bench=$(find_binary core_bench)
  work=$(mktemp -d -t constellation-compare-XXXXXX)
  : >"$work/results.jsonl"
  load_before=$(cut -d' ' -f1-3 /proc/loadavg)
  log "QUICK=$QUICK SECONDS_PER_RUN=$SECONDS_PER_RUN REPS=$REPS CLIENTS='$CLIENTS' CAMPAIGN_PLEDGES=$CAMPAIGN_PLEDGES READ_TOTAL=$READ_TOTAL BIN_DIR=$BIN_DIR"
  start_postgres
  phase_writes
  phase_reads
  phase_limits
  print_table
  log "done in $(( $(date +%s) - started )) s"
}

main

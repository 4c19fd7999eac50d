# shellcheck shell=bash disable=SC2154
# bench/compare/lib.sh: what run.sh and growth.sh share. Source it after setting `work` (the
# run's temporary directory, or ""), `BIN_DIR`, and, before `load`, `load_tool`, `node_port`
# and `token_file`. `fg_pid` is the bounded command running now (the scripts' cleanup traps
# stop it).
fg_pid=""

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# Runs a bounded command with its output in files, in the background, so that a signal reaches
# the trap at once (which then stops it) instead of after the command ends.
# bounded OUT ERR CMD...; returns the command's exit status.
bounded() {
  local out=$1 err=$2 status=0
  shift 2
  "$@" >"$out" 2>"$err" &
  fg_pid=$!
  wait "$fg_pid" || status=$?
  fg_pid=""
  return "$status"
}

# A binary of the build: BIN_DIR/NAME, or where the CMake build puts it.
find_binary() {
  local name=$1 candidate
  for candidate in "$BIN_DIR/$name" "$BIN_DIR/server/app/$name" "$BIN_DIR/bench/$name" \
    "$BIN_DIR/cli/$name"; do
    if [ -x "$candidate" ]; then echo "$candidate"; return 0; fi
  done
  die "no $name in $BIN_DIR (build it: see bench/compare/README.md)"
}

# constellation-load against the node, its JSON line in $work/load.out (loaded KEY reads it).
load() {
  bounded "$work/load.out" "$work/load.err" "$load_tool" --endpoint "127.0.0.1:$node_port" \
    --token-file "$token_file" "$@" ||
    { cat "$work/load.err" >&2; die "constellation-load $* failed"; }
  if grep -q "first error" "$work/load.err"; then grep "first error" "$work/load.err" >&2; fi
}
loaded() { jq -r ".$1" "$work/load.out"; }

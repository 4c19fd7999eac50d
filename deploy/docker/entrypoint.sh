#!/bin/sh
# Entry point of the node image (deploy/docker/Dockerfile): creates the node on first start,
# then serves it. The environment says who the node is:
#   CONSTELLATION_ORG_NAME    the organisation's display name (needed on first start)
#   CONSTELLATION_ADVERTISE   host:port the other members' nodes reach this one at
#   CONSTELLATION_LISTEN      host:port to listen on (default 0.0.0.0:7400)
#   CONSTELLATION_DATA_DIR    the node's data directory (default /var/lib/constellation, a volume)
# On first start the admin token is written to $CONSTELLATION_DATA_DIR/admin.token (mode 0600):
#   docker compose exec riverside sh -c 'cat /var/lib/constellation/admin.token'
# Extra arguments are passed to `constellationd run` (e.g. --port-file FILE).
set -eu
data="${CONSTELLATION_DATA_DIR:-/var/lib/constellation}"
listen="${CONSTELLATION_LISTEN:-0.0.0.0:7400}"
daemon="${CONSTELLATIOND:-constellationd}"

if [ ! -e "$data/org.key" ]; then
  : "${CONSTELLATION_ORG_NAME:?set CONSTELLATION_ORG_NAME: the node is created on first start}"
  advertise=""
  if [ -n "${CONSTELLATION_ADVERTISE:-}" ]; then advertise="--advertise $CONSTELLATION_ADVERTISE"; fi
  # shellcheck disable=SC2086
  "$daemon" init --data-dir "$data" --name "$CONSTELLATION_ORG_NAME" --listen "$listen" \
    $advertise --admin-token-file "$data/admin.token" >/dev/null
  echo "constellation-entrypoint: created the node of $CONSTELLATION_ORG_NAME in $data" \
       "(admin token in $data/admin.token)" >&2
fi
exec "$daemon" run --data-dir "$data" --listen "$listen" "$@"

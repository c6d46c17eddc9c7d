#!/usr/bin/env bash
# Builds stand-ins for the official postgres, redis, memcached, caddy, node, prometheus and exporter images on a machine without a registry
# (see README.md). Idempotent: the Debian base is made once, image builds are cached by Docker.
# Prints the `export ...=...` lines that point the compose runtime at the stand-ins.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
base=zero-standin/debian:bookworm
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"

if ! docker image inspect "$base" >/dev/null 2>&1; then
  rootfs="$(mktemp -d)"
  trap 'rm -rf "$rootfs"' EXIT
  echo "debootstrap: a minimal Debian bookworm for $base (about 30 s)..." >&2
  debootstrap --variant=minbase bookworm "$rootfs" "$mirror" >/dev/null
  tar -C "$rootfs" -c . | docker import - "$base" >/dev/null
fi

# Quiet unless a build fails (the client's legacy-builder notice is noise here).
build() {
  local log
  log="$(mktemp)"
  docker build -q "$@" >"$log" 2>&1 || { cat "$log" >&2; rm -f "$log"; return 1; }
  rm -f "$log"
}

# The images are independent (each its own apt-get): built side by side, the nine took 1 min 31 s instead of 2 min 16 s
# on the project's 2-core machine with none of them. Every build is waited for; any failure fails the script.
pids=()
started() { pids+=("$!"); }
build -t zero-standin/postgres:15 --build-arg BASE="$base" "$here/postgres" & started
build -t zero-standin/redis:7 --build-arg BASE="$base" "$here/redis" & started
build -t zero-standin/caddy:2 --build-arg BASE="$base" "$here/caddy" & started
build -t zero-standin/memcached:1.6 --build-arg BASE="$base" "$here/memcached" & started
# The monitoring profile's Prometheus and exporters, from Debian's packages.
build -t zero-standin/prometheus:2 --build-arg BASE="$base" "$here/prometheus" & started
build -t zero-standin/postgres-exporter:0.11 --build-arg BASE="$base" "$here/postgres-exporter" & started
build -t zero-standin/redis-exporter:1 --build-arg BASE="$base" "$here/redis-exporter" & started

# node: the host's node binary needs only glibc and libstdc++, which the base has. maildev (the fifth-service
# example, docs/stack.md) comes from the npm registry on it, so after it.
(
  context="$(mktemp -d)"
  trap 'rm -rf "$context"' EXIT
  cp "$here/node/Dockerfile" "$context/"
  cp "$(command -v node)" "$context/node"
  cp -r "$(dirname "$(readlink -f "$(command -v npm)")")/.." "$context/npm"
  # The host's CA bundle, so npm inside trusts what the host trusts (e.g. a proxy in front of the registry).
  cp /etc/ssl/certs/ca-certificates.crt "$context/ca-certificates.crt"
  build -t zero-standin/node:host --build-arg BASE="$base" "$context"
  build -t zero-standin/maildev:3 --build-arg NODE_IMAGE=zero-standin/node:host "$here/maildev"
) & started

failed=0
for pid in "${pids[@]}"; do wait "$pid" || failed=1; done
[ "$failed" -eq 0 ] || { echo "building the stand-in images failed (see above)" >&2; exit 1; }

echo "export POSTGRES_IMAGE=zero-standin/postgres:15 REDIS_IMAGE=zero-standin/redis:7 NODE_IMAGE=zero-standin/node:host MAILDEV_IMAGE=zero-standin/maildev:3 PROMETHEUS_IMAGE=zero-standin/prometheus:2 POSTGRES_EXPORTER_IMAGE=zero-standin/postgres-exporter:0.11 REDIS_EXPORTER_IMAGE=zero-standin/redis-exporter:1 CADDY_IMAGE=zero-standin/caddy:2 MEMCACHED_IMAGE=zero-standin/memcached:1.6"

#!/usr/bin/env bash
# Installs the system packages the tests use, on a fresh machine (CI runs as root).
# Debian packages: bpftool (node preflight compares its probes with bpftool's),
# prometheus (promtool validates and unit-tests the generated alert rules); for the
# integration harness's KubeEdge half (docs/harness.md): iproute2 (edge nodes' network
# namespaces), xz-utils (unpacks cloudcore/hollow-edgecore), curl (MetaServer queries).
set -euo pipefail
need=()
command -v bpftool >/dev/null 2>&1 || [ -x /usr/sbin/bpftool ] || need+=(bpftool)
command -v promtool >/dev/null 2>&1 || need+=(prometheus)
command -v jq >/dev/null 2>&1 || need+=(jq)
command -v ip >/dev/null 2>&1 || [ -x /usr/sbin/ip ] || [ -x /sbin/ip ] || need+=(iproute2)
command -v xz >/dev/null 2>&1 || need+=(xz-utils)
command -v curl >/dev/null 2>&1 || need+=(curl)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "ci-deps: missing ${need[*]}; install them as root (apt-get install ${need[*]})" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  # The prometheus package starts a server where systemd runs; the tests need only promtool.
  systemctl disable --now prometheus >/dev/null 2>&1 || true
fi

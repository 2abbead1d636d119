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
# The standalone binaries (make binaries, binary-test): qemu runs the arm64 Node (its code cache,
# its tests) with Debian's arm64 C and C++ libraries; binutils strips the arm64 runtime.
command -v qemu-aarch64-static >/dev/null 2>&1 || need+=(qemu-user-static)
[ -e /usr/aarch64-linux-gnu/lib/libstdc++.so.6 ] || need+=(libc6-arm64-cross libstdc++6-arm64-cross libgcc-s1-arm64-cross)
command -v aarch64-linux-gnu-strip >/dev/null 2>&1 || need+=(binutils-aarch64-linux-gnu)
# kec dashboard's browser tests drive Debian's chromium with playwright-core (no browser download).
command -v chromium >/dev/null 2>&1 || need+=(chromium)
# kec completion's scripts are loaded by the real shells in its test.
command -v zsh >/dev/null 2>&1 || need+=(zsh)
command -v fish >/dev/null 2>&1 || need+=(fish)
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

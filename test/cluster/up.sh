#!/usr/bin/env bash
# Starts a harness cluster by hand (builds binaries on first use) and prints
# `export KUBECONFIG=...`. Usage: eval "$(test/cluster/up.sh)"   [--dir DIR] [--no-seed]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
export PATH="$root/node_modules/.bin:$PATH"
exec node "$root/test/cluster/cli.ts" up "$@"

#!/usr/bin/env bash
# Stops the harness cluster started by up.sh and removes its state. [--dir DIR]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
export PATH="$root/node_modules/.bin:$PATH"
exec node "$root/test/cluster/cli.ts" down "$@"

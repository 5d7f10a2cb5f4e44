#!/usr/bin/env bash
# Install, build, and run flowprobe's main job on its embedded default: `explain` on the bundled examples.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/node.sh
ensure_node
npm ci --no-fund --loglevel=error
npm run --silent build
exec node dist/src/cli/main.js explain -f examples/ "$@"

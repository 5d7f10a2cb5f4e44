#!/usr/bin/env bash
# Install, build, and run flowprobe's main job on its embedded default: `explain` on the bundled examples.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/node.sh
ensure_node
npm ci --no-fund --loglevel=error
npm run --silent build
status=0
node dist/cli/flowprobe.mjs explain -f examples/ "$@" || status=$?
if [[ $status -eq 1 ]]; then
  # explain exits 1 when a declared flow contradicts the policies: the examples carry such mistakes
  # on purpose (examples/README.md), so here that is the expected result, not a failure of the command.
  echo
  echo "quickstart: explain exited 1 because it found the examples' deliberate mistakes (see examples/README.md)."
  exit 0
fi
exit "$status"

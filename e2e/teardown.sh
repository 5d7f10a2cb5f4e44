#!/usr/bin/env bash
# Deletes the kind cluster e2e/setup.sh created (nothing else). Safe to run when it does not exist.
set -euo pipefail

readonly CLUSTER="${FLOWPROBE_E2E_CLUSTER:-flowprobe-e2e}"

if kind get clusters 2>/dev/null | grep -qx "$CLUSTER"; then
  kind delete cluster --name "$CLUSTER"
else
  echo "teardown.sh: no kind cluster $CLUSTER"
fi

#!/usr/bin/env bash
# Saves what explains a failed e2e run into DIR: the operator's and probe pods' state and logs, the
# ConnectivityTests with their status, NetworkPolicies and events. Never fails the job itself.
#
#   e2e/collect-logs.sh DIR
set -uo pipefail

readonly DIR="${1:?usage: $0 DIR}"
mkdir -p "$DIR"

save() {
  local file="$1"
  shift
  "$@" >"$DIR/$file" 2>&1 || echo "collect-logs.sh: '$*' failed (see $file)" >&2
}

save nodes.txt kubectl get nodes -o wide
save pods.txt kubectl get pods -A -o wide
save events.txt kubectl get events -A --sort-by=.lastTimestamp
save operator-describe.txt kubectl -n flowprobe describe deployment,pods -l app.kubernetes.io/name=flowprobe
save operator-logs.txt kubectl -n flowprobe logs -l app.kubernetes.io/name=flowprobe --all-containers --prefix --tail=-1
save connectivitytests.yaml kubectl get connectivitytests -A -o yaml
save networkpolicies.yaml kubectl get networkpolicies -A -o yaml
save probe-pods-describe.txt kubectl describe pods -A -l flowprobe.dev/run-id
save probe-pods-logs.txt kubectl logs -A -l flowprobe.dev/run-id --all-containers --prefix --tail=-1
save workloads-describe.txt kubectl describe pods -n production -n monitoring
exit 0

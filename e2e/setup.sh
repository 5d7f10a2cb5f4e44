#!/usr/bin/env bash
# Creates the kind cluster for one CNI, builds the operator image from this checkout, loads it and the
# probe image into the nodes, installs flowprobe with `kubectl apply -k e2e/overlay` and waits until the
# operator is ready. Then: KUBECONFIG=... FLOWPROBE_E2E_CNI=CNI npm run e2e; e2e/teardown.sh.
#
#   e2e/setup.sh kindnet|calico|flannel
#
# Needs docker, kind and kubectl. kind writes the cluster's credentials to $KUBECONFIG (default
# ~/.kube/config). CI runs this (.github/workflows/ci.yaml); it is not run on development machines.
set -euo pipefail
cd "$(dirname "$0")/.."

readonly CLUSTER="${FLOWPROBE_E2E_CLUSTER:-flowprobe-e2e}"
readonly IMAGE=flowprobe:e2e
readonly PROBE_IMAGE=busybox:1.37.0 # the operator's default --probe-image, also the fixtures' workloads
readonly CALICO_VERSION=v3.29.1
readonly FLANNEL_VERSION=v0.26.3
readonly CNI_PLUGINS_VERSION=v1.6.2
readonly WAIT=300s

usage() {
  echo "usage: $0 kindnet|calico|flannel" >&2
  exit 2
}

need_tools() {
  local tool
  for tool in docker kind kubectl; do
    command -v "$tool" >/dev/null || {
      echo "setup.sh: $tool not found on PATH" >&2
      exit 1
    }
  done
}

# kind's nodes carry only the CNI plugins kindnet uses; flannel delegates to `bridge`.
install_bridge_plugin() {
  local tgz node
  tgz="$(mktemp)"
  curl -fsSL -o "$tgz" \
    "https://github.com/containernetworking/plugins/releases/download/${CNI_PLUGINS_VERSION}/cni-plugins-linux-amd64-${CNI_PLUGINS_VERSION}.tgz"
  for node in $(kind get nodes --name "$CLUSTER"); do
    docker exec -i "$node" tar -xz -C /opt/cni/bin --wildcards '*bridge' <"$tgz"
  done
  rm -f "$tgz"
}

install_cni() {
  case "$1" in
    kindnet) ;; # kind installs it
    calico)
      kubectl apply -f "https://raw.githubusercontent.com/projectcalico/calico/${CALICO_VERSION}/manifests/calico.yaml"
      kubectl -n kube-system rollout status daemonset/calico-node --timeout="$WAIT"
      ;;
    flannel)
      install_bridge_plugin
      kubectl apply -f "https://github.com/flannel-io/flannel/releases/download/${FLANNEL_VERSION}/kube-flannel.yml"
      kubectl -n kube-flannel rollout status daemonset/kube-flannel-ds --timeout="$WAIT"
      ;;
  esac
}

main() {
  (($# == 1)) || usage
  local cni="$1"
  case "$cni" in kindnet | calico | flannel) ;; *) usage ;; esac
  need_tools

  kind create cluster --name "$CLUSTER" --config "e2e/kind/${cni}.yaml"
  install_cni "$cni"
  kubectl wait --for=condition=Ready nodes --all --timeout="$WAIT"

  docker build -t "$IMAGE" .
  docker pull "$PROBE_IMAGE"
  kind load docker-image --name "$CLUSTER" "$IMAGE" "$PROBE_IMAGE"

  kubectl apply -k e2e/overlay
  kubectl wait --for=condition=Established crd/connectivitytests.flowprobe.dev --timeout="$WAIT"
  kubectl -n flowprobe rollout status deployment/flowprobe-operator --timeout="$WAIT"
  kubectl -n flowprobe wait --for=condition=Available deployment/flowprobe-operator --timeout="$WAIT"
  echo "setup.sh: kind cluster $CLUSTER ($cni) is up with the flowprobe operator ready"
}

main "$@"

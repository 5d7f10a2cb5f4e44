#!/usr/bin/env bash
# Creates the kind cluster for one CNI, builds the operator image from this checkout, loads it and the
# probe image into the nodes, installs flowprobe with `kubectl apply -k e2e/overlay` and waits until the
# operator is ready. Then: KUBECONFIG=... FLOWPROBE_E2E_CNI=CNI npm run e2e; e2e/teardown.sh.
#
#   e2e/setup.sh kindnet|calico|flannel|cnp
#
# cnp: flannel plus kube-network-policies' build that enforces ClusterNetworkPolicy tiers (e2e/kind/cnp.yaml),
# with the ClusterNetworkPolicy CRD of network-policy-api v0.2.0; e2e/cluster-policies.e2e.ts runs there.
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
# network-policy-api v0.2.0 (ClusterNetworkPolicy v1alpha2, standard channel) and the kube-network-policies
# commit whose install-cnp.yaml runs registry.k8s.io/networking/kube-network-policies:v1.1.1-npa-v1alpha2.
readonly NPA_CRD=https://raw.githubusercontent.com/kubernetes-sigs/network-policy-api/v0.2.0/config/crd/standard/policy.networking.k8s.io_clusternetworkpolicies.yaml
readonly KNP_CNP=https://raw.githubusercontent.com/kubernetes-sigs/kube-network-policies/5f81cc376ba79a4c1aba1cacb34a4c59b6bf2f8d/install-cnp.yaml
readonly WAIT=300s
# The nodes' platform: CI runs on amd64 (the kind and CNI plugin downloads below are amd64 too).
readonly PLATFORM=linux/amd64

usage() {
  echo "usage: $0 kindnet|kindnet-dual|calico|flannel|cnp" >&2
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

# Docker 29 uses the containerd image store by default. There `docker save` of a pulled multi-platform
# image writes an index whose other platforms' content is missing, and `kind load docker-image` (ctr import
# --all-platforms) fails with "content digest ... not found" (kubernetes-sigs/kind#3795, #3996;
# antrea-io/antrea#7792). Saving the nodes' platform only and loading that archive works with either image
# store; it is kind's documented workaround (kubernetes-sigs/kind#4247).
load_images() {
  local image archive
  for image in "$@"; do
    archive="$WORK_DIR/image.tar"
    save_image "$image" "$archive"
    kind load image-archive "$archive" --name "$CLUSTER"
    rm -f "$archive"
  done
}

# `docker save --platform` needs Docker 28 (API 1.48). An older client does not know the flag, an older
# daemon refuses it; both predate the containerd image store default, where a pulled image holds one
# platform and a whole save loads fine. Any other failure stops the setup.
save_image() {
  local image="$1" archive="$2" err
  if err="$(docker save --platform "$PLATFORM" -o "$archive" "$image" 2>&1)"; then
    return 0
  fi
  case "$err" in
    *"unknown flag: --platform"* | *'"--platform" requires API version'*)
      echo "setup.sh: this docker cannot save one platform; saving $image whole" >&2
      docker save -o "$archive" "$image"
      ;;
    *)
      echo "$err" >&2
      return 1
      ;;
  esac
}

install_cni() {
  case "$1" in
    kindnet | kindnet-dual) ;; # kind installs it (kindnet-dual: e2e/kind/kindnet-dual.yaml, dual-stack)
    calico)
      kubectl apply -f "https://raw.githubusercontent.com/projectcalico/calico/${CALICO_VERSION}/manifests/calico.yaml"
      kubectl -n kube-system rollout status daemonset/calico-node --timeout="$WAIT"
      ;;
    flannel)
      install_flannel
      ;;
    cnp)
      install_flannel
      kubectl apply -f "$NPA_CRD"
      kubectl wait --for=condition=Established crd/clusternetworkpolicies.policy.networking.k8s.io --timeout="$WAIT"
      kubectl apply -f "$KNP_CNP"
      kubectl -n kube-system rollout status daemonset/kube-network-policies --timeout="$WAIT"
      ;;
  esac
}

install_flannel() {
  install_bridge_plugin
  kubectl apply -f "https://github.com/flannel-io/flannel/releases/download/${FLANNEL_VERSION}/kube-flannel.yml"
  kubectl -n kube-flannel rollout status daemonset/kube-flannel-ds --timeout="$WAIT"
}

main() {
  (($# == 1)) || usage
  local cni="$1"
  case "$cni" in kindnet | kindnet-dual | calico | flannel | cnp) ;; *) usage ;; esac
  need_tools
  WORK_DIR="$(mktemp -d)"
  trap 'rm -rf "$WORK_DIR"' EXIT

  kind create cluster --name "$CLUSTER" --config "e2e/kind/${cni}.yaml"
  install_cni "$cni"
  kubectl wait --for=condition=Ready nodes --all --timeout="$WAIT"

  docker build -t "$IMAGE" .
  docker pull "$PROBE_IMAGE"
  load_images "$IMAGE" "$PROBE_IMAGE"

  kubectl apply -k e2e/overlay
  kubectl wait --for=condition=Established crd/connectivitytests.flowprobe.dev \
    crd/clusterconnectivitytests.flowprobe.dev --timeout="$WAIT"
  kubectl -n flowprobe rollout status deployment/flowprobe-operator --timeout="$WAIT"
  kubectl -n flowprobe wait --for=condition=Available deployment/flowprobe-operator --timeout="$WAIT"
  echo "setup.sh: kind cluster $CLUSTER ($cni) is up with the flowprobe operator ready"
}

main "$@"

#!/usr/bin/env bash
# Install everything the tests need on a fresh Debian machine, then run the full suite (type check, lint,
# format check, every test layer that this machine can run).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/node.sh

if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
  need=()
  command -v ip >/dev/null || need+=(iproute2)
  command -v nft >/dev/null || need+=(nftables)
  command -v dnsmasq >/dev/null || need+=(dnsmasq-base)
  command -v dpkg-source >/dev/null || need+=(dpkg-dev)
  command -v make >/dev/null && command -v gcc >/dev/null || need+=(build-essential)
  command -v promtool >/dev/null || need+=(prometheus)
  command -v shellcheck >/dev/null || need+=(shellcheck)
  # The browser layer: Debian's chromium, driven by playwright-core (which never downloads a browser).
  command -v chromium >/dev/null || need+=(chromium)
  if ((${#need[@]})); then
    echo "test.sh: installing ${need[*]}" >&2
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >&2
  fi
  # The real-network layer must run where it can: a missing prerequisite is then a failure, not a skip.
  export FLOWPROBE_REQUIRE_NETNS=1
  export FLOWPROBE_REQUIRE_PROMTOOL=1
  export FLOWPROBE_REQUIRE_SHELLCHECK=1
  export FLOWPROBE_REQUIRE_CHROMIUM=1
  FLOWPROBE_BUSYBOX="$(bash scripts/build-busybox.sh)"
  export FLOWPROBE_BUSYBOX
fi

ensure_node
npm ci --no-fund --loglevel=error
# The e2e suite against the local FAKE cluster (no KUBECONFIG here), then type check, lint, format check
# and every test layer; the unit suite runs last so that its closing line counts the whole suite.
npm run e2e
# The dual-stack scenario skips itself on the single-stack cluster above; it runs on the FAKE's dual-stack mode.
npm run e2e:dual
npm test

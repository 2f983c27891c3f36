#!/usr/bin/env bash
# Runs a command with the project's toolchain: Node >= 22.12 and the pinned pnpm.
#
# wrangler refuses Node < 22.12, and many machines (CI included) ship Node 20 with npm.
# The npm registry serves Node itself, so an older machine gets Node 24 and pnpm in the
# ignored folder .toolchain/. Dependencies are installed again only when the lockfile
# changed, so a second run costs a few milliseconds.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
toolchain="$root/.toolchain"
cd "$root"

# wrangler makes no outbound attempt with these set.
export WRANGLER_SEND_METRICS=false
export CLOUDFLARE_CF_FETCH_ENABLED=false

pnpm_version="$(sed -n 's/.*"packageManager": *"pnpm@\([^"]*\)".*/\1/p' package.json)"
node_major=24

node_is_recent() {
  "$1" -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 22 || (a === 22 && b >= 12) ? 0 : 1)' 2>/dev/null
}

install_into_toolchain() {
  echo "vigil: installing $* into .toolchain/ (once)" >&2
  mkdir -p "$toolchain"
  [ -f "$toolchain/package.json" ] || echo '{ "private": true }' >"$toolchain/package.json"
  npm install --prefix "$toolchain" --no-audit --no-fund --loglevel=error "$@" >&2
}

if ! command -v node >/dev/null || ! node_is_recent node; then
  if [ ! -x "$toolchain/node_modules/.bin/node" ] || ! node_is_recent "$toolchain/node_modules/.bin/node"; then
    install_into_toolchain "node@$node_major"
  fi
  export PATH="$toolchain/node_modules/.bin:$PATH"
fi

if [ "$(pnpm --version 2>/dev/null || true)" != "$pnpm_version" ]; then
  if [ "$("$toolchain/node_modules/.bin/pnpm" --version 2>/dev/null || true)" != "$pnpm_version" ]; then
    install_into_toolchain "pnpm@$pnpm_version"
  fi
  export PATH="$toolchain/node_modules/.bin:$PATH"
fi

# Install dependencies when the lockfile (or a manifest) changed since the last install.
stamp="$root/node_modules/.vigil-install-stamp"
manifests_fingerprint() {
  { cat pnpm-lock.yaml pnpm-workspace.yaml package.json packages/*/package.json workers/*/package.json test/package.json bench/package.json 2>/dev/null || true; } | sha256sum | cut -d' ' -f1
}
fingerprint="$(manifests_fingerprint)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$fingerprint" ]; then
  echo "vigil: installing dependencies" >&2
  if [ "${CI:-}" = "true" ]; then
    pnpm install --frozen-lockfile --reporter=append-only >&2
  else
    pnpm install --reporter=append-only >&2
  fi
  manifests_fingerprint >"$stamp"
fi

export PATH="$root/node_modules/.bin:$PATH"
exec "$@"

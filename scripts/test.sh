#!/usr/bin/env bash
# `npm test`: everything that must hold before a change lands. Runs under scripts/toolchain.sh.
set -euo pipefail
export TURBO_TELEMETRY_DISABLED=1 TURBO_NO_UPDATE_NOTIFIER=1 DO_NOT_TRACK=1
turbo=(turbo run --concurrency=2 --output-logs=errors-only)

step() { printf '\n== %s\n' "$*"; }

step "generated Env types match wrangler.toml (wrangler types --check)"
"${turbo[@]}" types:check
step "typecheck"
"${turbo[@]}" typecheck
step "lint and format (biome)"
biome check .
step "unit and integration tests (vitest, in workerd where they need D1 and Queues)"
turbo run --concurrency=1 test
step "deploy bundles and config (wrangler deploy --dry-run)"
"${turbo[@]}" deploy:check
step "end-to-end: the four Workers under wrangler dev"
pnpm --filter @vigil/e2e e2e
step "incident drill: a scripted outage through the real HTTP APIs (npm run drill)"
node scripts/drill.mjs

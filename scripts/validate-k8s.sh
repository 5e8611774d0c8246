#!/usr/bin/env bash
# Validates deploy/k8s: every manifest against the Kubernetes API schemas (the kubernetes-models
# npm package, pinned in deploy/k8s/validate/package-lock.json), then Flick's own rules (roles,
# probes on the management port, disruption budgets, env names the node reads). Installs node + npm
# when missing.
set -euo pipefail
"$(dirname "$0")/install-deps.sh" --node
cd "$(dirname "$0")/../deploy/k8s/validate"
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
exec node --test

#!/usr/bin/env bash
# Offline checks of deploy/: Dockerfile lint, Kubernetes objects against their schemas (and kustomize renders them),
# Prometheus rules checked and unit-tested, dashboards valid and reading only metrics /metrics exposes.
# Needs node/npm, kubectl and promtool (Debian: nodejs npm kubernetes-client prometheus). Exit 0 when every check passes.
set -euo pipefail
cd "$(dirname "$0")"
npm ci --no-audit --no-fund --loglevel=error >/dev/null
status=0
step() { echo "== $1"; shift; "$@" || status=1; }
step "Dockerfile lint" ./node_modules/.bin/dockerfilelint ../Dockerfile
step "Kubernetes objects" node validate-manifests.mjs
step "kustomize build" sh -c 'kubectl kustomize ../kubernetes >/dev/null && echo "ok   kustomization renders"'
step "promtool check rules" promtool check rules ../prometheus/agentregistry.rules.yaml
step "promtool test rules" sh -c 'cd ../prometheus && promtool test rules agentregistry.rules.test.yaml'
step "Grafana dashboards and rule metrics" node validate-dashboards.mjs
exit "$status"

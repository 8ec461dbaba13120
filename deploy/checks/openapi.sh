#!/usr/bin/env bash
# Lints the OpenAPI document the registry serves: starts the built host on a throw-away SQLite database, fetches
# /openapi/v1.json and runs redocly lint on it. Run after a build (dotnet build or dotnet test). Exit 0 when it passes.
set -euo pipefail
cd "$(dirname "$0")"
[ -d node_modules ] || npm ci --no-audit --no-fund --loglevel=error >/dev/null
dll=$(ls -t ../../src/AgentRegistry/bin/*/net10.0/agentregistry.dll | head -n 1)
work=$(mktemp -d)
port=$((20000 + RANDOM % 20000))
Database__ConnectionString="Data Source=$work/openapi.db" Identity__BootstrapAdminPassword="lint-$RANDOM$RANDOM" \
  Logging__LogLevel__Default=Warning dotnet "$dll" --urls "http://127.0.0.1:$port" >"$work/host.log" 2>&1 &
host=$!
trap 'kill $host 2>/dev/null || true; rm -rf "$work"' EXIT
# Fetched beside redocly.yaml: the ignore file (.redocly.lint-ignore.yaml) names the document by this relative path.
mkdir -p build
rm -f build/openapi.json
for _ in $(seq 1 120); do curl -fs -o build/openapi.json "http://127.0.0.1:$port/openapi/v1.json" && break; sleep 1; done
[ -s build/openapi.json ] || { echo "the registry did not serve /openapi/v1.json"; cat "$work/host.log"; exit 1; }
echo "== OpenAPI lint"
./node_modules/.bin/redocly lint build/openapi.json --config redocly.yaml --format=stylish

#!/usr/bin/env bash
# The whole system on this machine in one command: the Waldur emulator, the registry (SQLite under ./data/demo/),
# and a sample agent trained on the launch checklist, published, ordered by a customer in Waldur, with a widget.
# Prints the URLs and the operator's credentials; Ctrl-C stops both servers.
#   scripts/demo.sh [registry port, default 5000] [emulator port, default 5081]
set -euo pipefail
cd "$(dirname "$0")/.."
port=${1:-5000}
waldur_port=${2:-5081}
registry="http://127.0.0.1:$port"
waldur="http://127.0.0.1:$waldur_port"
data=data/demo
log=$data/logs

echo "Building (the first time takes a few minutes) ..."
dotnet build src/AgentRegistry --configuration Release --nologo --verbosity quiet
dotnet build tools/WaldurEmulator --configuration Release --nologo --verbosity quiet

rm -rf "$data" && mkdir -p "$log"
pids=()
stop() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap stop EXIT INT TERM

wait_for() {   # any HTTP answer will do
  for _ in $(seq 1 120); do curl -s -o /dev/null "$1" && return 0; sleep 0.5; done
  echo "error: $1 did not answer within 60 s; see $log/" >&2
  exit 1
}

dotnet tools/WaldurEmulator/bin/Release/net10.0/WaldurEmulator.dll --urls "$waldur" >"$log/waldur.log" 2>&1 &
pids+=($!)
wait_for "$waldur/api/users/me/"
# The organisation in Waldur that sells the agents.
provider=$(curl -fs -X POST -H "Content-Type: application/json" -d '{"name": "Agents Provider"}' "$waldur/emulator/customers" \
  | sed -n 's/.*"uuid": *"\([0-9a-f]*\)".*/\1/p')

password="demo-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
# Webhooks are refused unless protected: the hooks the demo points at the registry carry this token.
webhook_token="$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
export Database__ConnectionString="Data Source=$data/agentregistry.db" \
  Identity__BootstrapAdminEmail=admin@localhost Identity__BootstrapAdminPassword="$password" \
  Waldur__ApiUrl="$waldur/api/" Waldur__Token=emulator-token \
  Waldur__Marketplace__ProviderCustomerUuid="$provider" Waldur__Marketplace__PublicUrl="$registry" \
  Waldur__Marketplace__PollSeconds=10 Waldur__Webhooks__Token="$webhook_token" Logging__LogLevel__Default=Warning
dotnet src/AgentRegistry/bin/Release/net10.0/agentregistry.dll --urls "$registry" >"$log/registry.log" 2>&1 &
pids+=($!)
wait_for "$registry/health/live"

dotnet src/AgentRegistry/bin/Release/net10.0/agentregistry.dll demo --url "$registry" --waldur-url "$waldur" \
  --seed tests/AgentRegistry.Tests/Knowledge/Fixtures/seed.txt
cat <<TEXT
  Operator sign-in:  admin@localhost / $password   (at $registry/login)
  Smoke test:        dotnet src/AgentRegistry/bin/Release/net10.0/agentregistry.dll e2e --smoke --url $registry --webhook-token $webhook_token
  Logs:              $log/

Press Ctrl-C to stop the registry and the emulator.
TEXT
wait

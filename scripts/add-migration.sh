#!/usr/bin/env bash
# Adds a migration to both providers' migration sets: ./scripts/add-migration.sh <Name>
set -euo pipefail
name=${1:?usage: scripts/add-migration.sh <MigrationName>}
cd "$(dirname "$0")/../src/AgentRegistry"
command -v dotnet-ef >/dev/null || export PATH="$PATH:$HOME/.dotnet/tools"
for provider in Sqlite Postgres; do
  dotnet ef migrations add "$name" --context "${provider}RegistryDb" \
    --output-dir "Infrastructure/Migrations/$provider" \
    --namespace "AgentRegistry.Infrastructure.Migrations.$provider"
done
# dotnet ef places model snapshots by namespace; keep them beside their migrations.
if [ -d AgentRegistry ]; then
  for provider in Sqlite Postgres; do
    mv "AgentRegistry/Infrastructure/Migrations/$provider/${provider}RegistryDbModelSnapshot.cs" "Infrastructure/Migrations/$provider/"
  done
  rm -rf AgentRegistry
fi

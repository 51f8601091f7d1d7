#!/usr/bin/env bash
# test.sh is the project's one test command (README, and .ci/run): it installs what the
# tests need, then runs every Go test.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
go vet ./...
go test -count=1 -timeout 60m ./...

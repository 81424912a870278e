#!/usr/bin/env bash
# The whole test suite: installs missing system packages, runs vitest, and
# ends with one line `N passed, N failed, N skipped`.
set -uo pipefail
cd "$(dirname "$0")/.."
[ -d node_modules ] || npm ci --no-audit --no-fund || exit 1
bash scripts/env/system-deps.sh || exit 1
mkdir -p .ci
rm -f .ci/report.json
npx vitest run --reporter=default --reporter=json --outputFile.json=.ci/report.json "$@"
node scripts/ci/summary.mjs .ci/report.json

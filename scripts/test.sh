#!/usr/bin/env bash
# The whole test suite: installs missing system packages, runs vitest, and
# ends with one line `N passed, N failed, N skipped`.
set -uo pipefail
cd "$(dirname "$0")/.."
[ -d node_modules ] || npm ci --no-audit --no-fund || exit 1
bash scripts/env/system-deps.sh || exit 1
# Tests run the `vieter` command from the bundle; build it from the current sources.
node scripts/build.mjs || exit 1
# The agent's container tests: Podman's Docker API and a base image with makepkg
# (if this fails, those tests try again and fail with the reason).
bash scripts/env/podman.sh start --hold $$ >/dev/null && bash scripts/env/builder-image.sh >/dev/null
trap 'bash scripts/env/podman.sh release $$' EXIT
mkdir -p .ci
rm -f .ci/report.json
npx vitest run --reporter=default --reporter=json --outputFile.json=.ci/report.json "$@"
node scripts/ci/summary.mjs .ci/report.json

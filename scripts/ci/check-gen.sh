#!/usr/bin/env bash
# Fails when gen/ differs from what `buf generate` writes for proto/.
set -euo pipefail
cd "$(dirname "$0")/../.."
npx buf generate
if [ -n "$(git status --porcelain -- gen)" ]; then
  echo "gen/ is stale: run 'npm run generate' and commit the result" >&2
  git --no-pager diff --stat -- gen >&2
  git status --porcelain -- gen >&2
  exit 1
fi
echo "gen/ is up to date"

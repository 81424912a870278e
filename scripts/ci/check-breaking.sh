#!/usr/bin/env bash
# Fails when proto/ breaks the API of the previous commit (buf breaking, FILE rules).
set -euo pipefail
cd "$(dirname "$0")/../.."
if ! git rev-parse -q --verify HEAD~1 >/dev/null || ! git cat-file -e HEAD~1:buf.yaml 2>/dev/null; then
  echo "buf breaking: no previous commit with buf.yaml to compare against"
  exit 0
fi
npx buf breaking --against ".git#ref=HEAD~1"
echo "buf breaking: no breaking change against HEAD~1"

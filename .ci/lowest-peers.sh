#!/usr/bin/env bash
# Each recipe's and host's tests again, with its peer dependency at the lowest major its package.json
# claims (the newest release of that major), in a scratch clone: a peer range claims only what a test
# installs (welcome-email runs on nodemailer 7 in its own tests, through the nodemailer-7 alias). Writes .ci/results/vitest-lowest-peers.json, which the summary counts.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
git clone --quiet "$repo" "$scratch/repo"
cd "$scratch/repo"
# The lowest claimed major of each SDK or engine (keep in step with the packages' peerDependencies).
cat >> pnpm-workspace.yaml <<'YAML'

overrides:
  "@segment/analytics-node": "^2.1.0"
  stripe: "^17.0.0"
  bullmq: "~6.0.0"
  "@opentelemetry/api": "~1.3.0"
YAML
pnpm install --no-frozen-lockfile --prefer-offline >/dev/null
for pair in segment:@segment/analytics-node stripe:stripe \
  bullmq:bullmq opentelemetry:@opentelemetry/api; do
  node -p "'${pair#*:} ' + require('./packages/${pair%%:*}/node_modules/${pair#*:}/package.json').version"
done
mkdir -p "$repo/.ci/results"
pnpm exec vitest run --config vitest.workspace.ts \
  --project segment --project stripe --project bullmq --project opentelemetry \
  --reporter=default --reporter=json --outputFile.json="$repo/.ci/results/vitest-lowest-peers.json"

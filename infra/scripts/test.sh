#!/usr/bin/env bash
# The test command: `npm run test:all` runs this script (and .ci/run runs that).
#
#  1. installs dependencies when node_modules is missing
#  2. makes PostgreSQL and NATS available (infra/scripts/infra.sh), and Chromium for
#     the console's browser tests (infra/scripts/infra.sh chromium)
#  3. checks the formatting (Prettier, `npm run format` fixes it)
#  4. npx turbo run lint typecheck test --continue=never
#
# The tests create their own databases, so there is no migrate or seed step.
# Exit status: turbo's (0 when everything passed).
set -euo pipefail

# shellcheck source=infra/scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$SIMPUL_ROOT"

simpul_ensure_deps test

simpul_log test "infrastructure: running infra/scripts/infra.sh"
bash infra/scripts/infra.sh || simpul_die test "PostgreSQL or NATS is not available (see above)"
simpul_log test "browser: running infra/scripts/infra.sh chromium"
bash infra/scripts/infra.sh chromium || simpul_die test "Chromium is not available for the console's browser tests (see above)"

status=0
simpul_log test "formatting: npx prettier --check . (npm run format fixes it)"
npx prettier --check . --log-level warn || { status=$?; simpul_log test "some files are not formatted (listed above)"; }
simpul_log test "running: npx turbo run lint typecheck test --continue=never"
npx turbo run lint typecheck test --continue=never || status=$?
# One total over every workspace's vitest JSON report (written by vitest.shared.ts).
node -e '
  const fs = require("fs"), path = require("path");
  let passed = 0, failed = 0, skipped = 0;
  for (const dir of ["apps", "packages", "examples"].flatMap((d) => fs.readdirSync(d).map((n) => path.join(d, n))).concat(["e2e"])) {
    const file = path.join(dir, ".vitest-results.json");
    if (!fs.existsSync(file)) continue;
    const r = JSON.parse(fs.readFileSync(file, "utf8"));
    passed += r.numPassedTests; failed += r.numFailedTests; skipped += r.numPendingTests + (r.numTodoTests || 0);
  }
  console.log(`Tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
' || true
if ((status == 0)); then
  simpul_log test "lint, typecheck and test passed"
else
  simpul_log test "lint, typecheck or test failed (exit status $status; see above)"
fi
exit "$status"

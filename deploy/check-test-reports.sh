#!/usr/bin/env bash
# Fails when the Surefire reports under the given root show a skipped test, or show no test at all.
# A skip is a claim nobody checked: a test that cannot run must fail and say what to install.
#   deploy/check-test-reports.sh [ROOT]      (default: the repository root)
set -euo pipefail
ROOT="${1:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
exec /usr/bin/env python3 - "$ROOT" <<'PY'
import glob, os, sys
import xml.etree.ElementTree as ET

root = sys.argv[1]
reports = [p for p in glob.glob(os.path.join(root, "**", "target", "surefire-reports", "TEST-*.xml"), recursive=True)
           if "/node_modules/" not in p]
tests = skipped = 0
named = []
for path in sorted(reports):
    suite = ET.parse(path).getroot()
    tests += int(suite.get("tests", 0))
    for case in suite.iter("testcase"):
        skip = case.find("skipped")
        if skip is not None:
            skipped += 1
            why = (skip.get("message") or skip.text or "no reason given").strip().splitlines()[0]
            named.append(f"  {case.get('classname')}.{case.get('name')}: {why}")
    # a class whose set-up was skipped as a whole reports the count only
    counted = int(suite.get("skipped", 0))
    listed = sum(1 for c in suite.iter("testcase") if c.find("skipped") is not None)
    if counted > listed:
        skipped += counted - listed
        named.append(f"  {suite.get('name')}: {counted - listed} skipped ({os.path.relpath(path, root)})")
if not reports:
    print("test reports: no Surefire report found under " + root + "; did mvn verify run any test?", file=sys.stderr)
    sys.exit(1)
if skipped:
    print(f"test reports: {skipped} of {tests} tests were SKIPPED; a skipped test proves nothing. Each must run"
          " (install what it names) or fail:", file=sys.stderr)
    print("\n".join(named), file=sys.stderr)
    sys.exit(1)
print(f"test reports: {tests} tests in {len(reports)} classes, none skipped")
PY

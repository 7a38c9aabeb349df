#!/usr/bin/env python3
"""Count test cases from meson's testlog.json: TAP subtests individually,
other tests as one case each; plus any extra TAP files (scripts/check.sh).
Prints "N passed, N failed, N skipped"."""
import json
import re
import sys

passed = failed = skipped = 0
with open(sys.argv[1], encoding="utf-8") as f:
    for line in f:
        line = line.strip()
        if not line:
            continue
        t = json.loads(line)
        out = t.get("stdout") or ""
        tap = [l for l in out.splitlines() if re.match(r"^(not )?ok\b", l)]
        if tap:
            for l in tap:
                if re.search(r"#\s*skip", l, re.I):
                    skipped += 1
                elif l.startswith("not ok"):
                    failed += 1
                else:
                    passed += 1
            # A TAP binary that crashed or exited non-zero after its subtests still fails.
            if t.get("result") in ("FAIL", "TIMEOUT", "ERROR") and not any(
                l.startswith("not ok") for l in tap
            ):
                failed += 1
            continue
        r = t.get("result")
        if r in ("OK", "EXPECTEDFAIL"):
            passed += 1
        elif r == "SKIP":
            skipped += 1
        else:
            failed += 1
for extra in sys.argv[2:]:
    with open(extra, encoding="utf-8") as f:
        for l in f:
            if re.search(r"#\s*skip", l, re.I) and re.match(r"^(not )?ok\b", l):
                skipped += 1
            elif l.startswith("not ok"):
                failed += 1
            elif re.match(r"^ok\b", l):
                passed += 1
print(f"{passed} passed, {failed} failed, {skipped} skipped")
sys.exit(1 if failed else 0)

#!/usr/bin/env python3
"""Per-test durations from a .trx (the test results file dotnet test writes): the slowest tests and, per xUnit
collection, the summed time of its tests. xUnit runs the tests of one collection one after another and separate
collections side by side, so a collection's total is the least wall time it can take; the longest one bounds the run.

The .trx does not name collections; they are read from the sources: a class marked [Collection(X.Name)] belongs to the
collection whose CollectionDefinition is X (its Name constant), any other class is a collection of its own.

Usage: test-durations.py RESULTS.trx [SOURCE_ROOT] [N]"""
import re
import sys
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path

NS = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}


def seconds(text):
    # hh:mm:ss.fffffff
    h, m, s = text.split(":")
    return int(h) * 3600 + int(m) * 60 + float(s)


def collections(root):
    """class name -> collection name, from [Collection(X.Name)] and X's Name constant."""
    names, members = {}, {}
    for path in Path(root).rglob("*.cs"):
        if "/obj/" in str(path) or "/bin/" in str(path):
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        for m in re.finditer(r"\[CollectionDefinition\(Name\)\]\s*public\s+(?:sealed\s+)?class\s+(\w+)[^{]*\{[^}]*?const\s+string\s+Name\s*=\s*\"([^\"]+)\"", text):
            names[m.group(1)] = m.group(2)
        for m in re.finditer(r"\[Collection\((\w+)\.Name\)\]\s*(?:\[[^\]]*\]\s*)*public\s+(?:sealed\s+)?(?:partial\s+)?class\s+(\w+)", text):
            members[m.group(2)] = m.group(1)
    return {cls: names.get(definition, definition) for cls, definition in members.items()}


def main():
    trx = sys.argv[1]
    source_root = sys.argv[2] if len(sys.argv) > 2 else "tests"
    top = int(sys.argv[3]) if len(sys.argv) > 3 else 15
    tree = ET.parse(trx)
    classes = {}
    for test in tree.getroot().iterfind(".//t:UnitTest", NS):
        method = test.find("t:TestMethod", NS)
        if method is not None:
            classes[test.get("id")] = method.get("className", "?")
    membership = collections(source_root)
    results = []
    for r in tree.getroot().iterfind(".//t:UnitTestResult", NS):
        if r.get("duration") is None:
            continue
        cls = classes.get(r.get("testId"), "?")
        results.append((seconds(r.get("duration")), r.get("testName", "?"), cls))
    if not results:
        print("no test durations in " + trx)
        return
    print(f"== the {min(top, len(results))} slowest tests (of {len(results)}; seconds)")
    for d, name, _ in sorted(results, reverse=True)[:top]:
        print(f"  {d:8.1f}  {name}")
    per = defaultdict(lambda: [0.0, 0])
    for d, _, cls in results:
        short = cls.rsplit(".", 1)[-1]
        key = membership.get(short)
        key = f"collection {key}" if key else f"class {short}"
        per[key][0] += d
        per[key][1] += 1
    print(f"== time per collection (tests run one after another within one; the {top} longest; seconds)")
    for key, (d, n) in sorted(per.items(), key=lambda kv: -kv[1][0])[:top]:
        print(f"  {d:8.1f}  {key} ({n} tests)")
    print(f"  {sum(d for d, _, _ in results):8.1f}  all tests summed")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""The JSON Schema editors use (scenarios/schema/scenario.schema.json) and dcisim's parser must
not drift apart: every shipped scenario (scenarios/suite/*.json, *.jsonc, comments removed as
dcisim removes them) validates against the schema, and a few documents are judged alike by both:
a "$schema" string is accepted, an unknown top-level member, an unknown step, a step with two
keywords and a "$schema" that is not a string are refused. python3-jsonschema (Debian) validates."""

import argparse
import glob
import json
import os
import sys
import tempfile

sys.dont_write_bytecode = True  # nothing written into the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import scratch_suite  # noqa: E402

try:
    import jsonschema
except ImportError:
    print("scenario_schema_check: SKIP: python3-jsonschema is not installed (scripts/setup installs it)")
    sys.exit(77)


def strip_comments(text):
    """JSON with // and /* */ comments -> JSON (strings are left alone)."""
    out, i, in_string = [], 0, False
    while i < len(text):
        c = text[i]
        if in_string:
            out.append(c)
            if c == "\\" and i + 1 < len(text):
                out.append(text[i + 1])
                i += 1
            elif c == '"':
                in_string = False
        elif c == '"':
            in_string = True
            out.append(c)
        elif text.startswith("//", i):
            while i < len(text) and text[i] != "\n":
                i += 1
            continue
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            i = len(text) if end < 0 else end + 2
            out.append(" ")
            continue
        else:
            out.append(c)
        i += 1
    return "".join(out)


def validator_for(root):
    with open(os.path.join(root, "scenarios", "schema", "scenario.schema.json"), encoding="utf-8") as f:
        schema = json.load(f)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def schema_errors(validator, document):
    return [f"{'/' + '/'.join(str(p) for p in e.absolute_path)}: {e.message}" for e in validator.iter_errors(document)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dcisim", required=True)
    parser.add_argument("--root", required=True)
    args = parser.parse_args()
    validator = validator_for(args.root)

    files = sorted(glob.glob(os.path.join(args.root, "scenarios", folder, "**", pattern), recursive=True)
                   for folder in ("suite", "faults") for pattern in ("*.json", "*.jsonc"))
    files = sorted(f for group in files for f in group)
    if not files:
        print("scenario_schema_check: FAIL: no shipped scenario found", file=sys.stderr)
        return 1
    failures = 0
    for path in files:
        with open(path, encoding="utf-8") as f:
            document = json.loads(strip_comments(f.read()))
        for error in schema_errors(validator, document):
            print(f"scenario_schema_check: {os.path.relpath(path, args.root)}: {error}", file=sys.stderr)
            failures += 1
    print(f"scenario_schema_check: {len(files)} shipped scenarios checked against the schema, {failures} errors")

    base = json.loads(strip_comments(scratch_suite.STORY.replace("%NAME%", "judged").replace("%STATUS%", "processing")))
    cases = [
        ("a $schema string", dict(base, **{"$schema": "../schema/scenario.schema.json"}), True),
        ("a $schema number", dict(base, **{"$schema": 3}), False),
        ("an unknown member", dict(base, colour="blue"), False),
        ("an unknown step", dict(base, steps=[{"pya": {"client": "alice"}}]), False),
        ("two keywords in one step", dict(base, steps=[{"register": {"as": "a"}, "advance": "1h"}]), False),
    ]
    with tempfile.TemporaryDirectory(prefix="dcisim-schema-") as work:
        for label, document, accepted in cases:
            by_schema = not schema_errors(validator, document)
            path = os.path.join(work, "suite", "judged.json")
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w", encoding="utf-8") as f:
                json.dump(document, f)
            done = scratch_suite.run_dcisim(args.dcisim, ["run", path, "--out", os.path.join(work, "out"), "--quiet"])
            by_dcisim = done.returncode == 0
            verdict = "accepted" if accepted else "refused"
            if by_schema != accepted or by_dcisim != accepted:
                print(f"scenario_schema_check: {label}: expected {verdict} by both, the schema "
                      f"{'accepts' if by_schema else 'refuses'} it and dcisim exits {done.returncode}\n"
                      f"{done.stdout}{done.stderr}", file=sys.stderr)
                failures += 1
            else:
                print(f"scenario_schema_check: {label}: {verdict} by the schema and by dcisim")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

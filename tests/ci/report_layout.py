#!/usr/bin/env python3
"""report.html of a long scenario in headless Chromium: a scenario of ~80 steps over a year of
virtual time, three clients and services (payments, charges, operations, suspensions, tasks),
failing at its last step, is run with dcisim; scripts/check-report-render --layout then renders
the report, saves a screenshot (SCREENSHOT, default beside the report) and measures every label
of every timeline: none may overlap another or stick out of its timeline. The failure's details
must come first, with the step as written, and the journal must fold repeated polls."""

import argparse
import json
import os
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True  # nothing written into the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import scratch_suite  # noqa: E402

TARIFF = {"name": "i9-ams-with-a-rather-long-tariff-name", "location": "Amsterdam",
          "configuration": "i9-9900K-64Gb-2x1024NVMe", "os": ["Debian 12"],
          "prices": {"1": "100.00", "3": "285.00"}, "setup_fee": "20.00", "addons": {"ipv4": "3.00"}}


def long_scenario():
    steps = []
    clients = ["alice-with-a-long-client-name", "bob", "carol"]
    for i, client in enumerate(clients):
        steps.append({"register": {"as": client}})
        steps.append({"pay": {"client": client, "amount": "1000.00" if i == 0 else "130.00",
                              "external_id": f"gateway-payment-with-a-long-id-{i}"}})
        steps.append({"order": {"client": client, "tariff": TARIFF["name"], "os": "Debian 12",
                                "as": f"service-{i}", "addons": {"ipv4": 1}}})
        steps.append({"advance": ["1m", "7m", "25m"][i]})
    steps.append({"fault": {"kind": "unavailable", "count": 3, "path": "/api/dci"}})
    steps.append({"advance": "1h"})
    for month in range(14):
        steps.append({"advance": "31d" if month % 3 else "2d"})
        steps.append({"expect": {"open_tasks": 0}})
        steps.append({"run": "sync"})
        if month == 4:
            steps.append({"pay": {"client": "bob", "amount": "500.00"}})
        if month == 2:
            steps.append({"suspend": {"service": "service-0", "by": "admin"}})
            steps.append({"advance": "90s"})
            steps.append({"resume": {"service": "service-0", "by": "admin"}})
    steps.append({"expect": {"service": "service-0", "status": "deleted", "note": "fails on purpose"}})
    return {"name": "a long year of three clients", "tags": ["layout"],
            "fixture": {"tariffs": [TARIFF]}, "steps": steps}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dcisim", required=True)
    parser.add_argument("--root", required=True)
    parser.add_argument("--out", help="folder for the report and its screenshot (default: a temporary one)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="dcisim-layout-") as work:
        out = args.out or os.path.join(work, "out")
        suite = os.path.join(work, "suite")
        os.makedirs(suite)
        scenario = long_scenario()
        # The last expect says nothing of a note: move it out of the arguments.
        scenario["steps"][-1] = {"expect": {"service": "service-0", "status": "ordered"}, "note": "fails on purpose"}
        path = os.path.join(suite, "long-year.json")
        with open(path, "w", encoding="utf-8") as f:
            f.write("{\n")
            f.write('  "name": ' + json.dumps(scenario["name"]) + ', "tags": ["layout"],\n')
            f.write('  "fixture": ' + json.dumps(scenario["fixture"]) + ",\n")
            f.write('  "steps": [\n')
            f.write(",\n".join("    " + json.dumps(step) for step in scenario["steps"]))
            f.write("\n  ]\n}\n")
        done = scratch_suite.run_dcisim(args.dcisim, ["run", path, "--out", out, "--quiet"], timeout_s=300)
        if done.returncode != 1:
            print(f"report_layout: dcisim run exited {done.returncode}, expected 1 (one failure):\n{done.stdout}{done.stderr}",
                  file=sys.stderr)
            return 1
        last = len(scenario["steps"]) - 1
        render = subprocess.run([os.path.join(args.root, "scripts", "check-report-render"), "--layout",
                                 os.path.join(out, "report.html"), f"Failed at step {last}", "The step as written",
                                 f"long-year.json:{last + 5}:", "a long year of three clients"],
                                capture_output=True, text=True, timeout=600)
        sys.stdout.write(render.stdout)
        sys.stderr.write(render.stderr)
        return render.returncode


if __name__ == "__main__":
    sys.exit(main())

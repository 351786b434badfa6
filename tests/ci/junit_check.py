#!/usr/bin/env python3
"""junit.xml as CI systems take it.

--mode xsd: `xmllint --schema` with the JUnit XSD Jenkins' xunit plugin validates reports with
(../shared/schemas/junit-10.xsd, read from there, never copied into the project): the default
(strict) junit.xml of a run with a pass, a failure and a broken file, and of the shipped suite,
must validate; the extended flavor must not (it carries what that schema refuses, which shows the
check bites). Exits 77 (skipped) with a message when the XSD or xmllint is absent.

--mode readers: reads both flavors the way GitLab (lib/gitlab/ci/parsers/test/junit.rb), GitHub
reporters (mikepenz/action-junit-report, dorny/test-reporter's java-junit) and Jenkins' junit
plugin read them, and checks what each would show: every test case once with its status, the
failure message naming file:line:column, the time as a number, and, in the extended flavor, the
file and line they annotate.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

sys.dont_write_bytecode = True  # nothing written into the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import scratch_suite  # noqa: E402

SKIP = 77
GITLAB_MAX_BYTES = 30 * 1024 * 1024


def fail(message):
    print("junit_check: FAIL: " + message, file=sys.stderr)
    sys.exit(1)


def check(condition, message):
    if not condition:
        fail(message)


def run_flavors(dcisim, work):
    paths = scratch_suite.write_suite(work)
    reports = {}
    for flavor in ("strict", "extended"):
        out = os.path.join(work, "out-" + flavor)
        done = scratch_suite.run_dcisim(dcisim, ["run", os.path.join(work, "suite"), "--out", out,
                                                 "--junit-flavor", flavor, "--quiet"])
        check(done.returncode == 2, f"dcisim run ({flavor}) exited {done.returncode}, expected 2:\n"
                                    f"{done.stdout}{done.stderr}")
        reports[flavor] = os.path.join(out, "junit.xml")
    return paths, reports


def xmllint(xsd, report):
    return subprocess.run(["xmllint", "--noout", "--schema", xsd, report], capture_output=True, text=True)


def mode_xsd(args, work):
    if not os.path.isfile(args.xsd):
        print(f"junit_check: SKIP: {args.xsd} is absent (the JUnit XSD lives beside the project in shared/schemas)")
        return SKIP
    if shutil.which("xmllint") is None:
        print("junit_check: SKIP: xmllint is not installed (scripts/setup installs libxml2-utils)")
        return SKIP
    _, reports = run_flavors(args.dcisim, work)
    strict = xmllint(args.xsd, reports["strict"])
    check(strict.returncode == 0, "the strict junit.xml fails the XSD:\n" + strict.stderr)
    print("junit_check: strict junit.xml validates: " + strict.stderr.strip())
    extended = xmllint(args.xsd, reports["extended"])
    check(extended.returncode != 0, "the extended junit.xml passes the XSD, so the check proves nothing")
    print("junit_check: extended junit.xml is refused, as documented: " + extended.stderr.strip().splitlines()[0])
    suite_out = os.path.join(work, "out-suite")
    done = scratch_suite.run_dcisim(args.dcisim, ["run", os.path.join(args.root, "scenarios", "suite"),
                                                  "--out", suite_out, "--quiet", "-j", "2"], timeout_s=600)
    check(done.returncode == 0, f"the shipped suite failed ({done.returncode}):\n{done.stdout}{done.stderr}")
    shipped = xmllint(args.xsd, os.path.join(suite_out, "junit.xml"))
    check(shipped.returncode == 0, "the shipped suite's junit.xml fails the XSD:\n" + shipped.stderr)
    print("junit_check: the shipped suite's junit.xml validates")
    return 0


# ---- readers ------------------------------------------------------------------------------------

def gitlab_cases(root):
    """GitLab: one top-level testsuites, any nesting of testsuite; status from the child element;
    shown: suite, classname, name, file, time, the failure text followed by system-out."""
    cases = []

    def walk(node):
        for suite in node.findall("testsuite"):
            for case in suite.findall("testcase"):
                status = "success"
                output = None
                for element, name in (("failure", "failed"), ("error", "error"), ("skipped", "skipped")):
                    found = case.find(element)
                    if found is not None:
                        status, output = name, (found.text or "")
                        break
                system_out = case.find("system-out")
                if output is not None and system_out is not None and status != "skipped":
                    output += "\n\nSystem Out:\n\n" + (system_out.text or "")
                cases.append({"suite": suite.get("name"), "classname": case.get("classname"), "name": case.get("name"),
                              "file": case.get("file"), "time": float(case.get("time")), "status": status,
                              "output": output})
            walk(suite)

    walk(root if root.tag == "testsuites" else ET.Element("root", {}, [root]))
    return cases


def mikepenz_annotations(root):
    """mikepenz/action-junit-report: message from failure@message (else error@message, else the
    text); file and line from testcase@file/@line, failure@file/@line, testsuite@file/@line, else
    the last dot-part of the classname and a `<file>...:<line>` found in the failure text."""
    annotations = []
    for suite in root.iter("testsuite"):
        for case in suite.findall("testcase"):
            failure = case.find("failure")
            error = case.find("error")
            problem = failure if failure is not None else error
            if problem is None:
                continue
            stack = (problem.text or "").strip()
            message = (problem.get("message") or stack or case.get("name")).strip()
            file = case.get("file") or problem.get("file") or suite.get("file")
            line = case.get("line") or problem.get("line") or suite.get("line")
            file_name = file or (case.get("classname") or case.get("name")).split(".")[-1]
            if not (file and line):
                found = re.findall(" [^ ]*" + re.escape(file_name) + r".*?:\d+", stack)
                line = found[-1].split(":")[-1] if found else line or "1"
            annotations.append({"path": file_name, "line": int(line), "title": case.get("name"), "message": message})
    return annotations


def dorny_cases(root):
    """dorny/test-reporter (java-junit): testsuite@time and testcase@time as numbers, the failure
    or error with its message and text."""
    cases = []
    for suite in root.iter("testsuite"):
        float(suite.get("time", "0"))
        for case in suite.findall("testcase"):
            problem = case.find("failure") if case.find("failure") is not None else case.find("error")
            cases.append({"name": case.get("name"), "time": float(case.get("time", "0")),
                          "result": "failed" if problem is not None else "success",
                          "message": None if problem is None else problem.get("message"),
                          "details": None if problem is None else problem.text})
    return cases


def jenkins_cases(root):
    """Jenkins' junit plugin: testsuite (nested too) with testcase children: className, name, a
    duration that parses, failure/error with message and stack trace, skipped."""
    cases = []
    for suite in root.iter("testsuite"):
        for case in suite.findall("testcase"):
            float(case.get("time", "0"))
            problem = case.find("failure") if case.find("failure") is not None else case.find("error")
            cases.append({"id": f"{case.get('classname')}.{case.get('name')}",
                          "failed": problem is not None,
                          "message": None if problem is None else problem.get("message")})
    return cases


def mode_readers(args, work):
    paths, reports = run_flavors(args.dcisim, work)
    wrong, broken = paths["fails"], paths["broken"]
    key = f"{wrong}:{scratch_suite.FAILING_KEY[0]}:{scratch_suite.FAILING_KEY[1]}"
    broken_at = f"{broken}:{scratch_suite.BROKEN_KEY[0]}:{scratch_suite.BROKEN_KEY[1]}"
    expected_status = {"passes": "success", "fails": "failed", "broken": "error"}
    for flavor, report in reports.items():
        check(os.path.getsize(report) < GITLAB_MAX_BYTES, f"{flavor}: over GitLab's 30 MB")
        root = ET.parse(report).getroot()

        cases = gitlab_cases(root)
        check(sorted(c["name"] for c in cases) == sorted(expected_status), f"{flavor}: GitLab reads {cases}")
        check(len({(c["classname"], c["name"]) for c in cases}) == len(cases), f"{flavor}: duplicates (GitLab drops them)")
        for case in cases:
            check(case["status"] == expected_status[case["name"]], f"{flavor}: GitLab: {case['name']} is {case['status']}")
            check(case["suite"] == "suite" and case["classname"] == "suite", f"{flavor}: GitLab suite {case}")
        failed = next(c for c in cases if c["name"] == "fails")
        check(f"step 3 at {wrong}:{scratch_suite.FAILING_STEP[0]}:{scratch_suite.FAILING_STEP[1]}" in failed["output"],
              f"{flavor}: GitLab's failure text does not name the step's place:\n{failed['output']}")
        check("System Out:\n\nfile: " + key in failed["output"], f"{flavor}: GitLab's system output lacks the place")
        if flavor == "extended":
            check(failed["file"] == wrong, f"extended: GitLab's file column is {failed['file']}")
        print(f"junit_check: {flavor}: GitLab reads {len(cases)} cases with their statuses and places")

        annotations = {a["title"]: a for a in mikepenz_annotations(root)}
        check(set(annotations) == {"fails", "broken"}, f"{flavor}: mikepenz annotates {sorted(annotations)}")
        check(annotations["fails"]["message"].startswith(key + ": step 3 (expect"),
              f"{flavor}: mikepenz's message is {annotations['fails']['message']}")
        check(annotations["broken"]["message"].startswith(broken_at + ": invalid scenario file"),
              f"{flavor}: mikepenz's message is {annotations['broken']['message']}")
        # Without file attributes (strict) it still finds the lines in the failure text, but
        # names the file after the classname: GitHub users want extended, or dcisim's own annotations.
        check(annotations["fails"]["line"] == scratch_suite.FAILING_KEY[0], f"{flavor}: mikepenz's line {annotations['fails']}")
        check(annotations["broken"]["line"] == scratch_suite.BROKEN_KEY[0], f"{flavor}: mikepenz's line {annotations['broken']}")
        if flavor == "extended":
            check((annotations["fails"]["path"], annotations["fails"]["line"]) == (wrong, scratch_suite.FAILING_KEY[0]),
                  f"extended: mikepenz annotates {annotations['fails']}")
            check((annotations["broken"]["path"], annotations["broken"]["line"]) == (broken, scratch_suite.BROKEN_KEY[0]),
                  f"extended: mikepenz annotates {annotations['broken']}")
        print(f"junit_check: {flavor}: mikepenz/action-junit-report annotates " +
              ", ".join(f"{a['path']}:{a['line']}" for a in annotations.values()))

        dorny = {c["name"]: c for c in dorny_cases(root)}
        check(dorny["fails"]["result"] == "failed" and dorny["fails"]["message"].startswith(key),
              f"{flavor}: dorny reads {dorny['fails']}")
        check(dorny["passes"]["result"] == "success", f"{flavor}: dorny reads {dorny['passes']}")
        jenkins = {c["id"]: c for c in jenkins_cases(root)}
        check(set(jenkins) == {"suite.passes", "suite.fails", "suite.broken"}, f"{flavor}: Jenkins reads {sorted(jenkins)}")
        check(jenkins["suite.broken"]["failed"] and jenkins["suite.broken"]["message"].startswith(broken_at),
              f"{flavor}: Jenkins reads {jenkins['suite.broken']}")
        print(f"junit_check: {flavor}: dorny/test-reporter and Jenkins' junit plugin read the same outcomes")
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mode", choices=["xsd", "readers"], required=True)
    parser.add_argument("--dcisim", required=True)
    parser.add_argument("--root", required=True, help="the project's source folder")
    parser.add_argument("--xsd", help="default: ROOT/../shared/schemas/junit-10.xsd")
    args = parser.parse_args()
    args.xsd = args.xsd or os.path.join(args.root, "..", "shared", "schemas", "junit-10.xsd")
    with tempfile.TemporaryDirectory(prefix="dcisim-junit-") as work:
        return mode_xsd(args, work) if args.mode == "xsd" else mode_readers(args, work)


if __name__ == "__main__":
    sys.exit(main())

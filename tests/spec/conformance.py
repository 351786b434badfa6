#!/usr/bin/env python3
"""Spec conformance: every emulator route that ISPsystem's OpenAPI files describe (auth v4 and
IPmanager v3) is called through the public HTTP interface of `dcisim serve`, and each answer is
validated against that spec's response schema (JSON Schema, $refs resolved in the spec).

    conformance.py --dcisim build/bin/dcisim --root <project root>

The specs are read from <root>/../shared/dci6/specs/ (auth_v4_api.yaml, ipmgr_api.json). When they
are absent (CI clones only the project) the test is SKIPPED: exit code 77, one line saying why.
Needs Debian's python3-jsonschema and python3-yaml (scripts/setup installs them).

Coverage is checked too: the emulator's own OpenAPI document (GET /mockdci/v1/openapi.json) lists
its routes; every one under /api/auth/v4, /api/ip/v3 or /api/dci/v3/ipmgr that the spec describes
must have been called here, so a new route cannot go unchecked.

Error answers: IPmanager's spec gives the platform's error shape {"error": {"code","msg","value"}}
and it is checked as is. auth v4's spec gives a flat {"error": string, "code": int}, which
contradicts ISPsystem's API guide and ISPsystem's own client (both read error.code and error.msg):
the emulator answers the platform shape everywhere, so auth v4 errors are checked against
IPmanager's ErrorSchema instead (docs/EMULATOR.md, "Spec conformance").
"""
import argparse
import json
import os
import re
import subprocess
import sys
import urllib.error
import urllib.request
import warnings

SKIP = 77
TIMEOUT_S = 10  # every request and the start of the server; a hang fails the test


def load_specs(root):
    specs_dir = os.path.normpath(os.path.join(root, "..", "shared", "dci6", "specs"))
    auth_path = os.path.join(specs_dir, "auth_v4_api.yaml")
    ipmgr_path = os.path.join(specs_dir, "ipmgr_api.json")
    missing = [p for p in (auth_path, ipmgr_path) if not os.path.isfile(p)]
    if missing:
        print("SKIPPED: ISPsystem's OpenAPI files are not here (%s): this checkout has no ../shared/dci6/specs "
              "(CI clones only the project)" % ", ".join(missing))
        sys.exit(SKIP)
    try:
        import jsonschema  # noqa: F401
        import yaml
    except ImportError as e:
        print("FAILED: %s: install Debian's python3-jsonschema and python3-yaml (scripts/setup does)" % e)
        sys.exit(1)
    with open(auth_path) as f:
        auth = yaml.safe_load(f)
    with open(ipmgr_path) as f:
        ipmgr = json.load(f)
    return {"auth": to_json_schema(auth), "ipmgr": to_json_schema(ipmgr)}


def to_json_schema(node):
    """OpenAPI 3.0 schema objects -> JSON Schema: `nullable: true` admits null."""
    if isinstance(node, dict):
        out = {k: to_json_schema(v) for k, v in node.items()}
        if out.pop("nullable", False) is True and "type" in out:
            out["type"] = [out["type"], "null"] if isinstance(out["type"], str) else out["type"] + ["null"]
        return out
    if isinstance(node, list):
        return [to_json_schema(v) for v in node]
    return node


def resolve(spec, node):
    while isinstance(node, dict) and "$ref" in node:
        target = spec
        for part in node["$ref"].lstrip("#/").split("/"):
            target = target[part]
        node = target
    return node


def validate(spec, schema, instance):
    import jsonschema
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        resolver = jsonschema.RefResolver(base_uri="", referrer=spec)
        validator = jsonschema.Draft7Validator(schema, resolver=resolver)
        return sorted(validator.iter_errors(instance), key=lambda e: list(e.absolute_path))


class Emulator:
    def __init__(self, dcisim):
        self.process = subprocess.Popen(
            [dcisim, "serve", "--port", "0", "--clock", "virtual", "--control-token", "conformance"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self.process.stdout.readline().strip()
        found = re.match(r"dcisim serve: listening on (http://\S+)$", line)
        if not found:
            self.stop()
            raise RuntimeError("dcisim serve did not start: %r %s" % (line, self.process.stderr.read()))
        self.base = found.group(1)
        self.opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

    def call(self, method, path, body=None, token=None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.base + path, data=data, method=method)
        request.add_header("Content-Type", "application/json")
        if token:
            request.add_header("x-xsrf-token", token)
        try:
            with self.opener.open(request, timeout=TIMEOUT_S) as response:
                status, text = response.status, response.read().decode()
        except urllib.error.HTTPError as e:
            status, text = e.code, e.read().decode()
        try:
            return status, json.loads(text)
        except ValueError:
            return status, text

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=TIMEOUT_S)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


class Checker:
    """Calls the emulator, checks the status and the spec's schema, records what was covered."""

    def __init__(self, emulator, specs):
        self.emulator = emulator
        self.specs = specs
        self.covered = set()  # (spec name, method, spec path)
        self.failures = []
        self.checked = 0

    def check(self, spec_name, method, spec_path, path, expected_status, body=None, token=None):
        status, answer = self.emulator.call(method, path, body, token)
        where = "%s %s (%s %s)" % (method, path, spec_name, spec_path)
        self.checked += 1
        if status != expected_status:
            self.failures.append("%s: status %s, expected %s: %s" % (where, status, expected_status, answer))
            return answer
        self.covered.add((spec_name, method.lower(), spec_path))
        spec = self.specs[spec_name]
        responses = spec["paths"][spec_path][method.lower()]["responses"]
        response = responses.get(str(status)) or responses.get("default")
        if spec_name == "auth" and status >= 400:
            # The platform's error shape (see the module comment), from IPmanager's spec.
            spec = self.specs["ipmgr"]
            response = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorSchema"}}}}
        if response is None:
            self.failures.append("%s: the spec lists no response %s" % (where, status))
            return answer
        response = resolve(spec, response)
        schema = response.get("content", {}).get("application/json", {}).get("schema")
        if schema is None:
            self.failures.append("%s: the spec's response %s has no JSON schema" % (where, status))
            return answer
        for error in validate(spec, schema, answer):
            pointer = "/" + "/".join(str(p) for p in error.absolute_path)
            self.failures.append("%s: answer %s: %s" % (where, pointer, error.message))
        return answer


def exercise_auth(c):
    a = "auth"
    login = {"email": "admin@example.com", "password": "secret"}
    admin = c.check(a, "POST", "/public/token", "/api/auth/v4/public/token", 201, login)["token"]
    c.check(a, "POST", "/public/token", "/auth/v4/public/token", 400, {"email": "admin@example.com", "password": "x"})
    c.check(a, "GET", "/user", "/api/auth/v4/user", 401)
    c.check(a, "GET", "/user", "/api/auth/v4/user?where=id%20GT%200&orderby=email%20desc&limit=0,10", 200, token=admin)
    created = c.check(a, "POST", "/user", "/auth/v4/user",
                      201, {"email": "client@example.com", "full_name": "Client", "password": "password-1",
                            "roles": ["@user"]}, admin)
    user_id = str(created.get("id"))
    c.check(a, "POST", "/user", "/api/auth/v4/user", 400, {"email": "x@example.com", "password": "short"}, admin)
    c.check(a, "GET", "/user/{user_id}", "/api/auth/v4/user/" + user_id, 200, token=admin)
    c.check(a, "GET", "/user/{user_id}", "/api/auth/v4/user/client@example.com", 200, token=admin)
    c.check(a, "GET", "/user/{user_id}", "/api/auth/v4/user/999", 404, token=admin)
    c.check(a, "POST", "/user/{user_id}", "/api/auth/v4/user/" + user_id, 200, {"full_name": "Client One", "lang": "ru"}, admin)
    c.check(a, "POST", "/user/{user_id}/password", "/api/auth/v4/user/" + user_id + "/password", 200,
            {"password": "password-2"}, admin)
    c.check(a, "POST", "/user/{user_id}/suspend", "/api/auth/v4/user/" + user_id + "/suspend", 200, {}, admin)
    c.check(a, "POST", "/user/{user_id}/resume", "/api/auth/v4/user/" + user_id + "/resume", 200, {}, admin)
    key = c.check(a, "POST", "/user/{user_id}/key", "/api/auth/v4/user/client@example.com/key", 201, {}, admin)
    user = c.check(a, "POST", "/public/key", "/api/auth/v4/public/key", 201, {"key": key.get("key")})["token"]
    c.check(a, "POST", "/public/key", "/auth/v4/public/key", 401, {"key": key.get("key")})
    c.check(a, "GET", "/self", "/api/auth/v4/self", 200, token=user)
    c.check(a, "POST", "/self", "/api/auth/v4/self", 200, {"full_name": "Me"}, user)
    c.check(a, "POST", "/self/password", "/api/auth/v4/self/password", 403,
            {"old_password": "wrong", "password": "password-3"}, user)
    c.check(a, "POST", "/self/password", "/api/auth/v4/self/password", 200,
            {"old_password": "password-2", "password": "password-3"}, user)
    c.check(a, "POST", "/self/key", "/api/auth/v4/self/key", 201, {}, user)
    made = c.check(a, "POST", "/token", "/api/auth/v4/token", 201,
                   {"expires_at": "2030-01-01 00:00:00", "description": "billing"}, admin)
    c.check(a, "POST", "/token", "/api/auth/v4/token", 400, {"expires_at": "2000-01-01 00:00:00"}, admin)
    c.check(a, "DELETE", "/token/{token_id}", "/api/auth/v4/token/%s" % made.get("id"), 200, token=admin)
    c.check(a, "DELETE", "/token/{token_id}", "/auth/v4/token/%s" % made.get("id"), 404, token=admin)
    c.check(a, "DELETE", "/user/{user_id}", "/api/auth/v4/user/1", 400, token=admin)
    c.check(a, "DELETE", "/user/{user_id}", "/api/auth/v4/user/" + user_id, 200, token=admin)
    return admin


def exercise_ipmgr(c, admin, base):
    i = "ipmgr"
    c.check(i, "GET", "/ippool", base + "/ippool?orderby=name%20asc", 200, token=admin)
    c.check(i, "GET", "/ippool/{pool_id}", base + "/ippool/1", 200, token=admin)
    c.check(i, "GET", "/ippool/{pool_id}", base + "/ippool/999", 404, token=admin)
    allocated = c.check(i, "POST", "/ippool/{pool_id}/ip", base + "/ippool/1/ip", 200,
                        {"family": "ipv4", "domain": "conformance.example", "note": "spec"}, admin)
    c.check(i, "POST", "/ippool/{pool_id}/ip", base + "/ippool/1/ip", 400, {"family": "ipv5"}, admin)
    ip_id = str(allocated.get("id"))
    c.check(i, "GET", "/ipnet", base + "/ipnet?where=family%20EQ%202", 200, token=admin)
    c.check(i, "GET", "/ipnet/{net_id}", base + "/ipnet/1", 200, token=admin)
    c.check(i, "GET", "/ip", base + "/ip?limit=0,100", 200, token=admin)
    c.check(i, "GET", "/ip/{ip_id}", base + "/ip/" + ip_id, 200, token=admin)
    c.check(i, "POST", "/ip/{ip_id}", base + "/ip/" + ip_id, 200, {"note": "edited", "locked": True}, admin)
    c.check(i, "POST", "/ip/{ip_id}", base + "/ip/" + ip_id, 400, {"gateway": "x"}, admin)
    c.check(i, "DELETE", "/ip/{ip_id}", base + "/ip/" + ip_id, 200, token=admin)
    c.check(i, "DELETE", "/ip/{ip_id}", base + "/ip/" + ip_id, 404, token=admin)


def spec_path_of(spec, path):
    """The spec's path template for one of the emulator's paths ("/user/{user_id}" for
    "/user/{user_id}"), matching parameters to parameters, or None."""
    segments = path.strip("/").split("/")
    for candidate in spec["paths"]:
        parts = candidate.strip("/").split("/")
        if len(parts) != len(segments):
            continue
        if all(p == s or (p.startswith("{") and s.startswith("{")) for p, s in zip(parts, segments)):
            return candidate
    return None


def check_coverage(c):
    status, document = c.emulator.call("GET", "/mockdci/v1/openapi.json")
    if status != 200 or not isinstance(document, dict):
        c.failures.append("GET /mockdci/v1/openapi.json: status %s" % status)
        return 0
    services = [("/api/auth/v4", "auth"), ("/api/ip/v3", "ipmgr"), ("/api/dci/v3/ipmgr", "ipmgr")]
    described = 0
    for path, operations in sorted(document["paths"].items()):
        for prefix, spec_name in services:
            if not path.startswith(prefix + "/"):
                continue
            spec_path = spec_path_of(c.specs[spec_name], path[len(prefix):])
            for method in sorted(operations):
                if spec_path is None or method not in c.specs[spec_name]["paths"][spec_path]:
                    print("note: %s %s is not in ISPsystem's %s spec (not checked)" % (method.upper(), path, spec_name))
                    continue
                described += 1
                if (spec_name, method, spec_path) not in c.covered:
                    c.failures.append("%s %s is described by the %s spec (%s) but no conformance call checks it"
                                      % (method.upper(), path, spec_name, spec_path))
    return described


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dcisim", required=True)
    parser.add_argument("--root", required=True)
    args = parser.parse_args()
    specs = load_specs(args.root)
    emulator = Emulator(args.dcisim)
    try:
        c = Checker(emulator, specs)
        admin = exercise_auth(c)
        for base in ("/api/ip/v3", "/ip/v3", "/api/dci/v3/ipmgr"):
            exercise_ipmgr(c, admin, base)
        described = check_coverage(c)
    finally:
        emulator.stop()
    for failure in c.failures:
        print("FAILED: " + failure)
    print("conformance: %d calls checked against the specs, %d emulator routes described by them, %d problems"
          % (c.checked, described, len(c.failures)))
    return 1 if c.failures else 0


if __name__ == "__main__":
    sys.exit(main())

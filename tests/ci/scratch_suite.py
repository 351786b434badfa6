"""A scratch suite for the CI checks: one scenario that passes, one that fails at an expectation
(its "status" key on line 11, column 17; the step on line 10, column 5) and one broken file (its
"advance" key on line 2, column 13), and a helper that runs `dcisim run` on it."""

import os
import subprocess

STORY = """{
  "name": "%NAME%",
  "tags": ["smoke"],
  "fixture": {"tariffs": [{"name": "i9-ams", "location": "Amsterdam", "configuration": "i9-9900K-64Gb-2x1024NVMe",
                            "os": ["Debian 12"], "prices": {"1": "100.00"}}]},
  "steps": [
    {"register": {"as": "alice"}},
    {"pay": {"client": "alice", "amount": "100.00"}},
    {"order": {"client": "alice", "tariff": "i9-ams", "os": "Debian 12", "as": "s1"}},
    {"expect": {"service": "s1",
                "status": "%STATUS%"}},
    {"advance": "1h"}
  ]
}
"""

BROKEN = '{"name": "broken", "fixture": {"tariffs": []},\n "steps": [{"advance": "soon"}]}\n'

FAILING_KEY = (11, 17)
FAILING_STEP = (10, 5)
BROKEN_KEY = (2, 13)


def write_suite(root):
    """Writes root/suite/{ok,wrong,broken}.json; returns {name: path}."""
    suite = os.path.join(root, "suite")
    os.makedirs(suite, exist_ok=True)
    files = {
        "passes": ("ok.json", STORY.replace("%NAME%", "passes").replace("%STATUS%", "processing")),
        "fails": ("wrong.json", STORY.replace("%NAME%", "fails").replace("%STATUS%", "active")),
        "broken": ("broken.json", BROKEN),
    }
    paths = {}
    for name, (file, text) in files.items():
        path = os.path.join(suite, file)
        with open(path, "w", encoding="utf-8") as out:
            out.write(text)
        paths[name] = path
    return paths


def run_dcisim(dcisim, args, timeout_s=120):
    env = dict(os.environ)
    env.pop("GITHUB_ACTIONS", None)
    return subprocess.run([dcisim, *args], capture_output=True, text=True, timeout=timeout_s, env=env)

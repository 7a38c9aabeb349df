#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Check mxc's JSON Schemas (schemas/*.json). Prints TAP.

    check-schemas.py [SOURCE_ROOT]

* every schema is a valid draft 2020-12 schema and the files match
  schemas/generate.py;
* schemas/schema-version.json names files that exist;
* every upstream config (tests/data/upstream/*/config.json) validates
  against the dev schema, as upstream requires of all of its configs
  (including those the runtime refuses for semantic reasons), and against
  the schema for its own `version` -- except that a config using the 0.8
  directional network fields below 0.8 must be rejected by its version's
  schema, as the parser's version gate rejects it;
* a set of configs written here is accepted or rejected as expected.

Needs python3-jsonschema (Debian package; jsonschema >= 4.0).
"""

import copy
import glob
import json
import os
import re
import subprocess
import sys

try:
    from jsonschema import Draft202012Validator
except ImportError:  # pragma: no cover - a missing dependency fails loudly
    print("1..1")
    print("not ok 1 - python3-jsonschema is installed "
          "(apt-get install python3-jsonschema)")
    sys.exit(1)

ROOT = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else
                       os.path.join(os.path.dirname(__file__), "..", ".."))
SCHEMAS = os.path.join(ROOT, "schemas")
UPSTREAM_DIRS = [os.path.join(ROOT, "tests", "data", "upstream"),
                 "/work/shared/upstream-configs"]

# Values for the {{PLACEHOLDER}} tokens upstream's test scripts fill in.
PLACEHOLDERS = {
    "ADDRESS": "1.1.1.1",
    "ALLOWED_PORT": "8080",
    "LISTENER_PORT": "7777",
    "PORT": "443",
    "PROXY_HOST": "proxy.test",
    "PROXY_PORT": "3128",
    "ROOT": "/tmp/mxc-fixture",
    "SUBNET": "1.1.1.0/24",
}

results = []


def check(ok, name, diag=None):
    results.append((bool(ok), name, diag))


def load_json(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def version_key(v):
    """Schema file version for a config `version` (None: the dev schema)."""
    m = re.match(r"^(\d+)\.(\d+)\.(\d+)", v or "")
    if not m:
        return None
    mm = (int(m.group(1)), int(m.group(2)))
    return {(0, 6): "0.6.0-alpha", (0, 7): "0.7.0-alpha",
            (0, 8): "0.8.0-alpha", (0, 9): "0.9.0-dev"}.get(mm)


def first_error(validator, instance):
    errs = sorted(validator.iter_errors(instance), key=lambda e: list(e.path))
    if not errs:
        return None
    e = errs[0]
    where = "/".join(str(p) for p in e.path) or "(root)"
    return "%s: %s" % (where, e.message[:300])


# ---- schema files ---------------------------------------------------------

meta = None
try:
    meta = load_json(os.path.join(SCHEMAS, "schema-version.json"))
    files = meta["schemaFiles"]
    ok = (meta["min"] == "0.6.0-alpha" and meta["stableLatest"] == "0.8.0-alpha"
          and meta["maxSupported"] == "0.9.0-alpha"
          and meta["devSchemaFile"] in files
          and all(os.path.isfile(os.path.join(SCHEMAS, f)) for f in files.values()))
    check(ok, "schema-version.json is consistent")
except (OSError, ValueError, KeyError) as e:
    check(False, "schema-version.json is consistent", str(e))
    files = {}

validators = {}
for ver, fname in sorted(files.items()):
    path = os.path.join(SCHEMAS, fname)
    try:
        s = load_json(path)
        Draft202012Validator.check_schema(s)
        ok = (s.get("$id") == "https://mxc.invalid/schemas/mxc-config.schema.%s.json" % ver
              and s.get("additionalProperties") is False)
        validators[ver] = Draft202012Validator(s)
        check(ok, "%s is a valid draft 2020-12 schema with $id" % fname)
    except Exception as e:  # noqa: BLE001 - report any failure as TAP
        check(False, "%s is a valid draft 2020-12 schema with $id" % fname, str(e))

gen = os.path.join(SCHEMAS, "generate.py")
p = subprocess.run([sys.executable, gen, "--check"], capture_output=True, text=True)
check(p.returncode == 0, "schema files match schemas/generate.py", p.stderr.strip())

DEV = meta["devSchemaFile"] if meta else "0.9.0-dev"

PRE08 = ["0.6.0-alpha", "0.7.0-alpha"]


def uses_directional(c):
    """Does a config use a field the parser gates on version >= 0.8?"""
    net = c.get("network") or {}
    pcs = [c.get("processContainer") or {}, c.get("appContainer") or {}]
    return ("egress" in net or "ingress" in net or "runtimeConfig" in c
            or any("network" in pc for pc in pcs))


# ---- upstream configs -------------------------------------------------------

updir = next((d for d in UPSTREAM_DIRS if os.path.isdir(d)), None)
configs = sorted(glob.glob(os.path.join(updir, "*", "config.json"))) if updir else []
if not configs:
    results.append((True, "upstream configs # SKIP none found", None))
for path in configs:
    case = os.path.basename(os.path.dirname(path))
    with open(path, encoding="utf-8") as f:
        text = f.read()
    text = re.sub(r"\{\{([A-Z0-9_]+)\}\}",
                  lambda m: PLACEHOLDERS.get(m.group(1), "placeholder"), text)
    try:
        cfg = json.loads(text)
    except ValueError as e:
        check(False, "upstream %s parses as JSON" % case, str(e))
        continue
    # Upstream's own check: every config is valid against the dev schema.
    v = validators.get(DEV)
    err = first_error(v, cfg) if v else "no schema for %s" % DEV
    check(err is None, "upstream %s is valid against %s" % (case, DEV), err)
    ver = version_key(cfg.get("version") if isinstance(cfg, dict) else None)
    if ver is None or ver == DEV:
        continue
    # The schema for its own version. The one expected difference: the 0.8
    # directional fields below 0.8, which the parser's version gate refuses.
    v = validators.get(ver)
    if ver in PRE08 and uses_directional(cfg):
        ok = v is not None and first_error(v, cfg) is not None
        check(ok, "upstream %s (directional fields below 0.8) is rejected by %s"
              % (case, ver))
    else:
        err = first_error(v, cfg) if v else "no schema for %s" % ver
        check(err is None, "upstream %s is valid against %s" % (case, ver), err)

# ---- configs written here ---------------------------------------------------

BASE = {"version": "0.6.0-alpha", "process": {"commandLine": "echo hi"}}
ALL = ["0.6.0-alpha", "0.7.0-alpha", "0.8.0-alpha", "0.9.0-dev"]
POST08 = ALL[2:]


def cfg(**over):
    c = copy.deepcopy(BASE)
    c.update(over)
    return c


DIRECTIONAL = {
    "network.egress": cfg(network={"egress": {"default": "deny"}}),
    "network.ingress": cfg(network={"ingress": {"default": "deny"}}),
    "runtimeConfig": cfg(runtimeConfig={"networkProxy": "http://127.0.0.1:3128"}),
    "processContainer.network": cfg(processContainer={"network": {"allowedProxyPeer": "x"}}),
    "appContainer.network": cfg(appContainer={"network": None}),
}

VALID = [
    ("minimal config", ALL, BASE),
    ("config without version", ALL, {"process": {"commandLine": "true"}}),
    ("containment namespaces (mxc extension)", ALL, cfg(containment="namespaces")),
    ("deprecated containment appcontainer", ALL, cfg(containment="appcontainer")),
    ("deprecated containment macos_sandbox", ALL, cfg(containment="macos_sandbox")),
    ("deprecated keys appContainer and macos_sandbox", ALL,
     cfg(appContainer={"leastPrivilege": True}, macos_sandbox={"guiAccess": False})),
    ("null for every optional field", ALL, {
        "$schema": None, "_comment": None, "version": None, "containerId": None,
        "containment": None, "lifecycle": None, "filesystem": None, "fallback": None,
        "network": None, "ui": None, "processContainer": None, "lxc": None,
        "seatbelt": None, "experimental": None,
        "process": {"commandLine": "x", "cwd": None, "env": None, "timeout": None}}),
    ("nulls inside nested objects", ALL, cfg(
        lifecycle={"destroyOnExit": None, "preservePolicy": None},
        filesystem={"readwritePaths": None, "readonlyPaths": None, "deniedPaths": None},
        network={"defaultPolicy": None, "proxy": {"localhost": None, "url": None}},
        ui={"clipboard": None})),
    ("_comment takes any value", ALL, cfg(_comment={"a": [1, 2]})),
    ("timeout 0 and 4294967295", ALL, cfg(process={"commandLine": "x", "timeout": 4294967295})),
    ("experimental is open at every level", ALL, cfg(experimental={
        "unknownFeature": {"x": 1}, "test": {"message": "m", "extra": True},
        "isolation_session": {"unrecognizedSetting": 1}})),
    ("proxy localhost 65535", ALL, cfg(network={"defaultPolicy": "allow",
                                              "proxy": {"localhost": 65535}})),
    ("state-aware keys parse (refused later by the parser)", ALL,
     cfg(phase="exec", sandboxId="wsb:x", correlationVector="cv")),
]
for field, c in DIRECTIONAL.items():
    VALID.append(("directional %s at 0.8+" % field, POST08, c))
VALID.append(("0.8 egress rules with ports", POST08, cfg(network={"egress": {
    "default": "deny",
    "allow": [{"to": [{"cidr": "10.0.0.0/8", "except": ["10.1.0.0/16"]}],
               "ports": [{"protocol": "tcp", "port": 443, "endPort": 444}]}],
    "deny": None}})))

INVALID = [
    ("unknown top-level key", ALL, cfg(fileSystem={})),
    ("unknown key in process", ALL, cfg(process={"commandLine": "x", "bogus": 1})),
    ("unknown key in network.proxy", ALL, cfg(network={"proxy": {"unexpected": 1}})),
    ("unknown key in processContainer.ui", ALL,
     cfg(processContainer={"ui": {"isolation": "container", "x": 1}})),
    ("ui.isolation at top-level ui", ALL, cfg(ui={"isolation": "desktop"})),
    ("pre-0.4 key script", ALL, {"script": "echo", "process": {"commandLine": "x"}}),
    ("bad containment value", ALL, cfg(containment="docker")),
    ("bad defaultPolicy value", ALL, cfg(network={"defaultPolicy": "outbound"})),
    ("bad clipboard value", ALL, cfg(ui={"clipboard": "readwrite"})),
    ("timeout 4294967296", ALL, cfg(process={"commandLine": "x", "timeout": 4294967296})),
    ("timeout -1", ALL, cfg(process={"commandLine": "x", "timeout": -1})),
    ("timeout as string", ALL, cfg(process={"commandLine": "x", "timeout": "5"})),
    ("proxy localhost 0", ALL, cfg(network={"proxy": {"localhost": 0}})),
    ("proxy localhost 65536", ALL, cfg(network={"proxy": {"localhost": 65536}})),
    ("env is a string", ALL, cfg(process={"commandLine": "x", "env": "A=1"})),
    ("process missing", ALL, {"version": "0.8.0-alpha"}),
    ("process null", ALL, {"process": None}),
    ("empty commandLine", ALL, cfg(process={"commandLine": ""})),
    ("experimental.seatbelt (moved to stable)", ALL,
     cfg(experimental={"seatbelt": {"guiAccess": True}})),
    ("experimental.wslc port mapping udp", ALL, cfg(experimental={"wslc": {"portMappings": [
        {"windowsPort": 80, "containerPort": 80, "protocol": "udp"}]}})),
    ("root is not an object", ALL, ["process"]),
    ("egress rule port 0", POST08, cfg(network={"egress": {"allow": [
        {"ports": [{"port": 0}]}]}})),
    ("egress rule endPort 70000", POST08, cfg(network={"egress": {"allow": [
        {"ports": [{"port": 1, "endPort": 70000}]}]}})),
    ("egress rule empty to", POST08, cfg(network={"egress": {"allow": [{"to": []}]}})),
    ("egress peer without cidr", POST08, cfg(network={"egress": {"allow": [
        {"to": [{"except": []}]}]}})),
    ("egress bad protocol", POST08, cfg(network={"egress": {"allow": [
        {"ports": [{"protocol": "sctp"}]}]}})),
    ("ingress unknown key", POST08, cfg(network={"ingress": {"egress": "deny"}})),
]
for field, c in DIRECTIONAL.items():
    INVALID.append(("directional %s below 0.8" % field, PRE08, c))

for name, vers, c in VALID:
    for ver in vers:
        v = validators.get(ver)
        err = first_error(v, c) if v else "no schema"
        check(err is None, "%s: accepted by %s" % (name, ver), err)
for name, vers, c in INVALID:
    for ver in vers:
        v = validators.get(ver)
        ok = v is not None and first_error(v, c) is not None
        check(ok, "%s: rejected by %s" % (name, ver))

# ---- report -----------------------------------------------------------------

print("1..%d" % len(results))
failed = 0
for i, (ok, name, diag) in enumerate(results, 1):
    print("%s %d - %s" % ("ok" if ok else "not ok", i, name))
    if not ok:
        failed += 1
        if diag:
            for line in str(diag).splitlines():
                print("# " + line)
if failed:
    print("# %d of %d failed" % (failed, len(results)))
sys.exit(1 if failed else 0)

#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Generate mxc's JSON Schemas for the MXC config format.

The schemas describe what mxc's config parser accepts (docs/config.md). They
were written for mxc from the config-format facts; they are not upstream's
files. Run from anywhere:

    python3 schemas/generate.py          # rewrite the files
    python3 schemas/generate.py --check  # exit 1 if a file is out of date

The per-version files share one model. They differ in the `version`
examples and description, and in whether the 0.8 directional network fields
(network.egress, network.ingress, runtimeConfig, processContainer.network)
are listed. tests/schema/check-schemas.py validates them.
"""

import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ID_BASE = "https://mxc.invalid/schemas/"
DRAFT = "https://json-schema.org/draft/2020-12/schema"

VERSIONS = ["0.6.0-alpha", "0.7.0-alpha", "0.8.0-alpha", "0.9.0-dev"]
DIRECTIONAL_FROM = (0, 8)

U16_PORT = {"minimum": 1, "maximum": 65535}
U32 = {"minimum": 0, "maximum": 4294967295}


def nullable(t, **kw):
    """A scalar or array type that also accepts null."""
    d = {"type": [t, "null"]}
    d.update(kw)
    return d


def nenum(values, **kw):
    d = {"type": ["string", "null"], "enum": list(values) + [None]}
    d.update(kw)
    return d


def nref(name, **kw):
    d = {"anyOf": [{"$ref": "#/$defs/" + name}, {"type": "null"}]}
    d.update(kw)
    return d


def nstrings(**kw):
    return nullable("array", items={"type": "string"}, **kw)


def closed(props, required=None, **kw):
    d = {"type": "object"}
    d.update(kw)
    if required:
        d["required"] = required
    d["properties"] = props
    d["additionalProperties"] = False
    return d


def open_obj(props, **kw):
    """An object under `experimental`: unknown keys are ignored by mxc."""
    d = {"type": "object"}
    d.update(kw)
    d["properties"] = props
    return d


CONTAINMENT = [
    "process", "processcontainer", "lxc", "seatbelt", "bubblewrap", "vm",
    "windows_sandbox", "microvm", "hyperlight", "wslc", "isolation_session",
    "appcontainer", "macos_sandbox", "namespaces",
]


def defs(directional):
    d = {}
    d["Lifecycle"] = closed({
        "destroyOnExit": nullable("boolean", description=(
            "Destroy the container after the run. Default true. Used by "
            "upstream's LXC backend; ignored by mxc on Linux.")),
        "preservePolicy": nullable("boolean", description=(
            "Keep network/filesystem policy after the run. Default false. "
            "Used by upstream's LXC backend; ignored by mxc on Linux.")),
    }, description="Container lifecycle. Accepted and ignored by mxc on Linux.")

    d["Process"] = closed({
        "commandLine": nullable("string", minLength=1, description=(
            "Shell command string, run as `/bin/sh -c <commandLine>`. "
            "Required and non-empty at run time (unless a command is given on "
            "the mxc command line); must not contain NUL.")),
        "cwd": nullable("string", description=(
            "Working directory inside the sandbox. An explicit value must "
            "exist inside the sandbox or the run fails. Omitted: the "
            "caller's cwd if visible inside the sandbox, else `/`.")),
        "env": nstrings(description=(
            "`KEY=VALUE` entries. The environment starts empty; entries are "
            "split at the first `=`; entries without `=` or with an empty "
            "key are dropped. PWD is set to the actual cwd; no PATH is added.")),
        "timeout": nullable("integer", **U32, description=(
            "Wall-clock limit in milliseconds (u32); 0 or absent means none. "
            "On expiry every process of the sandbox is killed and mxc exits "
            "255 with an error envelope of code `timeout`.")),
    }, description="The one command to run.")

    d["Filesystem"] = closed({
        "readwritePaths": nstrings(description="Host paths bound read-write at the same path."),
        "readonlyPaths": nstrings(description="Host paths bound read-only at the same path."),
        "deniedPaths": nstrings(description=(
            "Paths masked inside the sandbox (files with /dev/null, "
            "directories with an empty read-only tmpfs), resolved through "
            "symlinks.")),
    }, description=(
        "Filesystem policy on top of mxc's read-only baseline. Entries must "
        "be non-blank and contain no NUL or `\"` (checked by the parser, not "
        "by this schema). The deepest entry wins; the same string in several "
        "lists keeps the most restrictive (denied > readonly > readwrite)."))

    d["Fallback"] = closed({
        "allowDaclMutation": nullable("boolean", description=(
            "Windows ProcessContainer DACL fallback consent. Default true. "
            "Ignored by mxc on Linux.")),
    }, description="Windows-only. Accepted and ignored by mxc on Linux.")

    d["Proxy"] = closed({
        "localhost": nullable("integer", **U16_PORT, description=(
            "Proxy at 127.0.0.1:<port>.")),
        "builtinTestServer": nullable("boolean", description=(
            "Upstream's testing-only proxy; must be true when present and "
            "alone.")),
        "url": nullable("string", description=(
            "http/https proxy URL with host and explicit non-default port.")),
    }, description=(
        "Legacy proxy. Give exactly one form. Refused by mxc's namespaces "
        "backend for now (error names the field)."))

    net = {
        "defaultPolicy": nenum(["allow", "block"], description=(
            "Legacy outbound default; absent means `block`. `block` without "
            "host lists or proxy: own network namespace with only loopback. "
            "`allow`: host network (at schema >= 0.8 only together with "
            "`allowLocalNetwork: true`).")),
        "enforcementMode": nenum(["capabilities", "firewall", "both"], description=(
            "Legacy enforcement mechanism; absent means `capabilities`.")),
        "allowLocalNetwork": nullable("boolean", description=(
            "Legacy inbound/local-network permission; default false.")),
        "allowedHosts": nstrings(description=(
            "Legacy allow list (hostnames, IPs, CIDRs). Refused by mxc for now "
            "when non-empty.")),
        "blockedHosts": nstrings(description=(
            "Legacy block list. Refused by mxc for now when non-empty.")),
        "proxy": nref("Proxy"),
    }
    if directional:
        net["egress"] = nref("Egress", description="0.8 outbound policy (schema >= 0.8).")
        net["ingress"] = nref("Ingress", description="0.8 inbound policy (schema >= 0.8).")
        netdesc = (
            "Network policy: either the legacy fields (defaultPolicy, "
            "enforcementMode, allowLocalNetwork, allowedHosts, blockedHosts, "
            "proxy) or the 0.8 directional fields (egress, ingress, "
            "runtimeConfig.networkProxy), never both. With no legacy field "
            "and a version >= 0.8 the directional deny defaults apply.")
    else:
        netdesc = (
            "Network policy (legacy fields). The directional fields "
            "`egress` and `ingress` need schema version 0.8 or later.")
    d["Network"] = closed(net, description=netdesc)

    if directional:
        d["Egress"] = closed({
            "default": nenum(["allow", "deny"], description="Default `deny`."),
            "allow": nullable("array", items={"$ref": "#/$defs/NetworkRule"}),
            "deny": nullable("array", items={"$ref": "#/$defs/NetworkRule"}),
        }, description=(
            "Outbound policy. mxc: `default: deny` with no rules gives an own "
            "network namespace with only loopback; rules and "
            "`default: allow` are refused for now."))
        d["Ingress"] = closed({
            "default": nenum(["allow", "deny"], description="Default `deny`; `allow` is refused."),
            "hostLoopback": nenum(["allow", "deny"], description="Default `deny`; `allow` is refused."),
        }, description="Inbound policy.")
        d["NetworkRule"] = closed({
            "to": nullable("array", minItems=1, items={"$ref": "#/$defs/NetworkPeer"},
                           description="Destinations; omitted matches every destination."),
            "ports": nullable("array", minItems=1, items={"$ref": "#/$defs/NetworkPort"},
                              description="Protocol/port selectors; omitted matches all."),
        })
        d["NetworkPeer"] = closed({
            "cidr": {"type": "string", "description": "IPv4 or IPv6 network in CIDR form (host bits zero); no DNS names."},
            "except": nstrings(description="CIDRs of the same family inside `cidr`, carved out of it."),
        }, required=["cidr"])
        d["NetworkPort"] = closed({
            "protocol": nenum(["tcp", "udp", "icmp", "any"], description="Default `any`."),
            "port": nullable("integer", **U16_PORT),
            "endPort": nullable("integer", **U16_PORT, description=(
                "Inclusive range end; requires `port` and must be >= `port`.")),
        })
        d["RuntimeConfig"] = closed({
            "networkProxy": nullable("string", description=(
                "Loopback HTTP(S) proxy URL (host localhost, 127.0.0.1 or "
                "[::1]). Refused by mxc's namespaces backend for now.")),
        }, description="0.8 runtime settings (schema >= 0.8).")
        d["ProcessContainerNetwork"] = closed({
            "allowedProxyPeer": nullable("string"),
        }, description="Windows PSEC proxy peer (schema >= 0.8). Ignored on Linux.")

    d["Ui"] = closed({
        "disable": nullable("boolean", description="Default true."),
        "clipboard": nenum(["none", "read", "write", "all"], description="Default `none`."),
        "injection": nullable("boolean", description="Default false."),
    }, description="Windows/macOS UI policy. Accepted and ignored by mxc on Linux.")

    d["ProcessContainerUi"] = closed({
        "isolation": nenum(["desktop", "handles", "atoms", "container"]),
        "desktopSystemControl": nullable("boolean"),
        "systemSettings": nullable("string", description="`all`, `parameters`, `display` or `none`; other strings act as `none`."),
        "ime": nullable("boolean"),
    })
    d["CaptureDenials"] = closed({
        "mode": nenum(["block", "allow"]),
        "outputPath": nullable("string"),
        "retainEtl": nullable("boolean"),
    })
    pc = {
        "leastPrivilege": nullable("boolean"),
        "learningMode": nullable("boolean"),
        "capabilities": nstrings(description=(
            "AppContainer capabilities; no commas; `learningModeLogging` and "
            "`permissiveLearningMode` are reserved.")),
        "captureDenials": nref("CaptureDenials"),
    }
    if directional:
        pc["network"] = nref("ProcessContainerNetwork")
    pc["ui"] = nref("ProcessContainerUi")
    d["ProcessContainer"] = closed(pc, description=(
        "Windows ProcessContainer settings (deprecated alias key: "
        "`appContainer`). Only allowed with containment `processcontainer` "
        "or `appcontainer`, which mxc refuses on Linux."))

    d["Lxc"] = closed({
        "distribution": nullable("string"),
        "release": nullable("string"),
    }, description=(
        "LXC rootfs. Only allowed with `containment: \"lxc\"`, which mxc "
        "refuses for now."))

    d["Seatbelt"] = closed({
        "profileOverride": nullable("string"),
        "guiAccess": nullable("boolean"),
        "launchMethod": nenum(["exec", "open"]),
        "nestedPty": nullable("boolean"),
        "keychainAccess": nullable("boolean"),
        "extraMachLookups": nstrings(),
    }, description=(
        "macOS Seatbelt settings (deprecated alias key: `macos_sandbox`). "
        "Only allowed with containment `seatbelt`/`macos_sandbox`, which mxc "
        "refuses on Linux."))

    moved = {"not": {}, "description": (
        "Rejected: moved to the stable section; use top-level `seatbelt`.")}
    d["Experimental"] = open_obj({
        "test": nullable("object", properties={"message": nullable("string")}),
        "telemetry": nullable("object", properties={"enabled": nullable("boolean")}),
        "windows_sandbox": nullable("object", properties={
            "idleTimeoutMs": nullable("integer", minimum=0),
            "idleTimeout": {"description": "Legacy spelling of idleTimeoutMs."},
            "daemonPipeName": nullable("string"),
        }),
        "wslc": nullable("object", properties={
            "targetOs": nullable("string"),
            "image": nullable("string"),
            "imageTarPath": nullable("string"),
            "cpuCount": nullable("integer", minimum=0),
            "memoryMb": nullable("integer", minimum=0),
            "gpu": nullable("boolean"),
            "storagePath": nullable("string"),
            "portMappings": nullable("array", items={"$ref": "#/$defs/PortMapping"}),
            "provision": nullable("object", properties={
                "image": nullable("string"),
                "imageTarPath": nullable("string"),
            }),
        }),
        "isolation_session": nullable("object", properties={
            "provision": nullable("object", properties={"appId": nullable("string")}),
        }),
        "seatbelt": moved,
        "macos_sandbox": moved,
    }, description=(
        "Experimental features. Open: unknown keys at any depth are "
        "ignored. Parsed always; applied only with --experimental. mxc on "
        "Linux applies none of them."))
    d["Limits"] = closed({
        "memoryMiB": nullable("integer", minimum=16, maximum=16777216, description=(
            "Memory of the whole sandbox in MiB (cgroup). Default min(4096, RAM/2).")),
        "processes": nullable("integer", minimum=1, maximum=4194304, description=(
            "Processes and threads of the workload at once (cgroup pids, RLIMIT_NPROC). "
            "Default 1024.")),
        "cpuPercent": nullable("integer", minimum=1, maximum=100000, description=(
            "CPU quota in percent of one CPU (cgroup cpu). Default: none.")),
        "cpuSeconds": nullable("integer", minimum=1, maximum=4294967295, description=(
            "CPU time of each process in seconds (RLIMIT_CPU). Default: none.")),
        "openFiles": nullable("integer", minimum=16, maximum=1048576, description=(
            "Open files per process (RLIMIT_NOFILE). Default 1024.")),
        "fileSizeMiB": nullable("integer", minimum=1, maximum=1073741824, description=(
            "Largest file a process may write, in MiB (RLIMIT_FSIZE). Default: none.")),
        "tmpMiB": nullable("integer", minimum=1, maximum=16777216, description=(
            "Size of the private /tmp and of /dev/shm, each, in MiB. Default min(1024, RAM/4).")),
    }, description=(
        "mxc extension (upstream rejects this key): resource limits. null means the "
        "default. A limit that cannot be enforced on the host is refused (exit 255)."))
    d["PortMapping"] = {
        "type": "object",
        "required": ["windowsPort", "containerPort"],
        "properties": {
            "windowsPort": {"type": "integer", **U16_PORT},
            "containerPort": {"type": "integer", **U16_PORT},
            "protocol": nenum(["tcp"]),
        },
    }
    return d


def schema(version):
    mm = tuple(int(x) for x in version.split("-")[0].split(".")[:2])
    directional = mm >= DIRECTIONAL_FROM
    series = "%d.%d" % mm

    props = {
        "$schema": nullable("string", description="Editor hint; ignored."),
        "_comment": {"description": "Any JSON value; ignored."},
        "version": nullable("string", examples=[version], description=(
            "Config schema version, strict semver MAJOR.MINOR.PATCH[-pre]. "
            "Accepted range: >=0.6, <=0.9 on MAJOR.MINOR (e.g. %s, %s.0, "
            "%s.3). Absent, null or \"\" is accepted as a legacy config. "
            "This file describes the %s series." % (version, series, series, series))),
        "containerId": nullable("string", description="Caller-assigned id."),
        "containment": nenum(CONTAINMENT, description=(
            "Backend or abstract intent. On Linux mxc runs omitted, "
            "`process` and `namespaces` (mxc extension) in its own "
            "namespace sandbox; every other value is refused at run time "
            "(exit 255). `appcontainer` and `macos_sandbox` are deprecated "
            "spellings of `processcontainer` and `seatbelt`.")),
        "phase": nenum(["provision", "start", "exec", "stop", "deprovision"], description=(
            "State-aware lifecycle phase. Always rejected by mxc (one-shot "
            "requests only).")),
        "sandboxId": nullable("string", description="State-aware only; always rejected by mxc."),
        "correlationVector": nullable("string", description="State-aware only; always rejected by mxc."),
        "lifecycle": nref("Lifecycle"),
        "process": {"$ref": "#/$defs/Process"},
        "filesystem": nref("Filesystem"),
        "fallback": nref("Fallback"),
        "network": nref("Network"),
    }
    if directional:
        props["runtimeConfig"] = nref("RuntimeConfig")
    props["ui"] = nref("Ui")
    props["processContainer"] = nref("ProcessContainer")
    props["appContainer"] = nref("ProcessContainer", description=(
        "Deprecated alias of `processContainer`."))
    props["lxc"] = nref("Lxc")
    props["seatbelt"] = nref("Seatbelt")
    props["macos_sandbox"] = nref("Seatbelt", description="Deprecated alias of `seatbelt`.")
    props["experimental"] = nref("Experimental")
    props["limits"] = nref("Limits")

    gate = ("The 0.8 directional fields network.egress, network.ingress, "
            "runtimeConfig and processContainer.network are listed here; the "
            "parser accepts them only when `version` is 0.8 or later (an "
            "absent version counts as older)."
            if directional else
            "The 0.8 directional fields network.egress, network.ingress, "
            "runtimeConfig and processContainer.network are not allowed in "
            "this version.")
    desc = (
        "MXC config, schema %s, as accepted by mxc's parser (written for "
        "mxc; not upstream's file). mxc's parser is a superset parser: every "
        "version accepts every field of the newest wire model except the "
        "version-gated directional network fields. %s The stable surface is "
        "closed at every level; `experimental` is open. null means absent "
        "for every optional field. Deprecated spellings accepted: keys "
        "`appContainer`, `macos_sandbox`; containment values `appcontainer`, "
        "`macos_sandbox`. "
        "Rules this schema does not express, checked by the parser: the "
        "version must be semver within >=0.6, <=0.9; at most one backend "
        "section (processContainer/appContainer, lxc, seatbelt/macos_sandbox, "
        "experimental.windows_sandbox/wslc/isolation_session), and only the "
        "one belonging to the resolved containment (none for omitted, "
        "`process` or `namespaces` on Linux); legacy and directional network "
        "fields never mixed; proxy guards per backend; filesystem entries "
        "non-blank without NUL or `\"`; process.commandLine required. "
        "mxc extension: containment value `namespaces` selects mxc's own "
        "user/mount/pid/ipc/uts/cgroup namespace sandbox; omitted and "
        "`process` resolve to it on Linux. See docs/config.md."
        % (version, gate))

    return {
        "$schema": DRAFT,
        "$id": ID_BASE + "mxc-config.schema.%s.json" % version,
        "title": "MXC config %s (mxc)" % version,
        "description": desc,
        "type": "object",
        "required": ["process"],
        "properties": props,
        "additionalProperties": False,
        "$defs": defs(directional),
    }


def schema_version():
    return {
        "$comment": (
            "Schema version metadata for mxc. min/maxSupported bound the "
            "accepted config versions (compared on MAJOR.MINOR: >=0.6, "
            "<=0.9); stableLatest is the newest stable schema; devSchemaFile "
            "names the dev schema, used for configs without a version. mxc "
            "has no state-aware lifecycle."),
        "min": "0.6.0-alpha",
        "maxSupported": "0.9.0-alpha",
        "stableLatest": "0.8.0-alpha",
        "devSchemaFile": "0.9.0-dev",
        "supportedRange": ">=0.6, <=0.9",
        "schemaFiles": {v: "mxc-config.schema.%s.json" % v for v in VERSIONS},
    }


def render(obj):
    return json.dumps(obj, indent=2, ensure_ascii=False) + "\n"


def outputs():
    out = {"schema-version.json": render(schema_version())}
    for v in VERSIONS:
        out["mxc-config.schema.%s.json" % v] = render(schema(v))
    return out


def main(argv):
    check = "--check" in argv[1:]
    stale = []
    for name, text in outputs().items():
        path = os.path.join(HERE, name)
        if check:
            try:
                with open(path, encoding="utf-8") as f:
                    if f.read() != text:
                        stale.append(name)
            except FileNotFoundError:
                stale.append(name)
        else:
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
    if stale:
        print("out of date: " + ", ".join(stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

/* SPDX-License-Identifier: MIT */
/* policy: semantic validation in §3.1 order (steps 3-12), one passing and one failing config per
 * rule. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/strv.h"
#include "test-policy-util.h"

#define P  "'process':{'commandLine':'true'}"
#define V8 "'version':'0.8.0-alpha'," P
#define V7 "'version':'0.7.0-alpha'," P
#define GATE                                                                                       \
	"network.egress, network.ingress, runtimeConfig, and processContainer.network require "    \
	"schema version 0.8 or later"
#define MIX                                                                                        \
	"network configuration cannot mix defaultPolicy, enforcementMode, allowLocalNetwork, "     \
	"allowedHosts, blockedHosts, or proxy with egress, ingress, runtimeConfig, or "            \
	"processContainer.network"

static const struct pcase cases[] = {
	/* step 3: directional-field version gate */
	{"gate-08-ok", "{" V8 ",'network':{'egress':{'default':'deny'}}}", 0, NULL, NULL},
	{"gate-07", "{" V7 ",'network':{'egress':{'default':'deny'}}}", 0, GATE, "network.egress"},
	{"gate-absent-version", "{" P ",'network':{'ingress':{'default':'deny'}}}", 0, GATE,
	 "network.ingress"},
	{"gate-runtime-config", "{" V7 ",'runtimeConfig':{}}", 0, GATE, "runtimeConfig"},
	{"gate-pc-network",
	 "{" V7 ",'containment':'processcontainer','processContainer':{'network':{}}}", 0, GATE,
	 "processContainer.network"},
	{"gate-malformed-version-wins", "{'version':'x'," P ",'network':{'egress':{}}}", 0,
	 "Invalid schema version 'x': must be semver (e.g., 'X.Y.Z' or 'X.Y.Z-alpha')", "version"},
	{"gate-before-range", "{'version':'0.5.0'," P ",'network':{'egress':{}}}", 0, GATE,
	 "network.egress"},
	/* step 4 */
	{"phase", "{" P ",'phase':'exec'}", 0,
	 "'phase' is only valid on state-aware lifecycle requests", "phase"},
	{"sandbox-id", "{" P ",'sandboxId':'wsb:1'}", 0,
	 "'sandboxId' is only valid on state-aware lifecycle requests", "sandboxId"},
	{"correlation-vector", "{" P ",'correlationVector':'cv'}", 0,
	 "'correlationVector' is only valid on state-aware lifecycle requests",
	 "correlationVector"},
	{"phase-null-ok", "{" P ",'phase':null,'sandboxId':null}", 0, NULL, NULL},
	{"phase-before-version", "{'version':'0.1.0'," P ",'phase':'start'}", 0,
	 "'phase' is only valid", "phase"},
	/* step 5: version */
	{"version-060", "{'version':'0.6.0-alpha'," P "}", 0, NULL, NULL},
	{"version-062", "{'version':'0.6.2'," P "}", 0, NULL, NULL},
	{"version-dev", "{'version':'0.9.0-dev'," P "}", 0, NULL, NULL},
	{"version-097", "{'version':'0.9.7'," P "}", 0, NULL, NULL},
	{"version-build", "{'version':'0.8.0-alpha.1+build.5'," P "}", 0, NULL, NULL},
	{"version-empty", "{'version':''," P "}", 0, NULL, NULL},
	{"version-old", "{'version':'0.5.0-alpha'," P "}", 0,
	 "Config schema version '0.5.0-alpha' is older than supported (supported: >=0.6, <=0.9). "
	 "Update your config.",
	 "version"},
	{"version-newer", "{'version':'0.10.0-alpha'," P "}", 0,
	 "Config schema version '0.10.0-alpha' is newer than supported (supported: >=0.6, <=0.9). "
	 "Upgrade wxc-exec.",
	 "version"},
	{"version-1", "{'version':'1.0.0'," P "}", 0, "is newer than supported", "version"},
	{"version-major-only", "{'version':'2'," P "}", 0,
	 "Invalid schema version '2': must be semver", "version"},
	{"version-two-parts", "{'version':'0.8'," P "}", 0, "Invalid schema version '0.8'",
	 "version"},
	{"version-v-prefix", "{'version':'v0.8.0'," P "}", 0, "Invalid schema version 'v0.8.0'",
	 "version"},
	{"version-leading-zero", "{'version':'0.08.0'," P "}", 0, "Invalid schema version",
	 "version"},
	{"version-escaped", "{'version':'0.8.0\\n'," P "}", 0, "Invalid schema version '0.8.0\\n'",
	 "version"},
	{"version-before-process", "{'version':'0.4.0-alpha'}", 0, "is older than supported",
	 "version"},
	/* step 6: process */
	{"process-missing", "{'version':'0.8.0'}", 0, "'process' section is required", "process"},
	{"process-null", "{'process':null}", 0, "'process' section is required", "process"},
	{"command-missing", "{'process':{'cwd':'/'}}", 0,
	 "Missing required field: process.commandLine", "process.commandLine"},
	{"command-empty", "{'process':{'commandLine':''}}", 0,
	 "process.commandLine cannot be empty", "process.commandLine"},
	{"command-nul", "{'process':{'commandLine':'a\\u0000b'}}", 0,
	 "process.commandLine must not contain null bytes", "process.commandLine"},
	{"override-no-process", "{'version':'0.8.0'}", T_OVERRIDE, NULL, NULL},
	{"override-empty-no-command", "{'version':'0.8.0','process':{}}", T_OVERRIDE_EMPTY,
	 "no command to run. Provide `process.commandLine` in the policy or pass the command as "
	 "arguments after the config path.",
	 "process.commandLine"},
	{"override-empty-config-command", "{" P "}", T_OVERRIDE_EMPTY, NULL, NULL},
	/* step 7: containment and backend sections */
	{"lxc-ok", "{" P ",'containment':'lxc','lxc':{'distribution':'alpine','release':'3.23'}}",
	 0, NULL, NULL},
	{"lxc-without-containment", "{" P ",'lxc':{'distribution':'alpine','release':'3.23'}}", 0,
	 "Multiple containment backends configured: 'containment' is 'bubblewrap' (no per-backend "
	 "section is defined for this backend), but the config also includes unrelated backend "
	 "section(s): 'lxc'. Only one backend section is allowed; remove the unused section(s).",
	 "containment"},
	{"lxc-with-process", "{" P ",'containment':'process','seatbelt':{}}", 0,
	 "'containment' is 'bubblewrap' (no per-backend section", "containment"},
	{"namespaces-with-lxc", "{" P ",'containment':'namespaces','lxc':{}}", 0,
	 "'containment' is 'namespaces' (no per-backend section", "containment"},
	{"lxc-with-pc", "{" P ",'containment':'lxc','lxc':{},'appContainer':{}}", 0,
	 "Multiple containment backends configured: 'containment' is 'lxc' (allows the 'lxc' "
	 "section), but the config also includes unrelated backend section(s): 'processContainer'. "
	 "Only one",
	 "containment"},
	{"vm-with-wsb", "{" P ",'containment':'vm','experimental':{'windows_sandbox':{}}}", 0,
	 "'containment' is 'vm' (no per-backend section is defined for this backend), but the "
	 "config also includes unrelated backend section(s): 'experimental.windows_sandbox'",
	 "containment"},
	{"wsb-ok",
	 "{" P
	 ",'containment':'windows_sandbox','experimental':{'windows_sandbox':{'idleTimeoutMs':5}}}",
	 0, NULL, NULL},
	{"seatbelt-ok", "{" P ",'containment':'seatbelt','seatbelt':{'launchMethod':'open'}}", 0,
	 NULL, NULL},
	{"experimental-test-not-section",
	 "{" P ",'experimental':{'test':{'message':'m'},'telemetry':{'enabled':false}}}", 0, NULL,
	 NULL},
	{"experimental-seatbelt", "{" P ",'containment':'seatbelt','experimental':{'seatbelt':{}}}",
	 0,
	 "'experimental.seatbelt' has moved to the stable section; use top-level 'seatbelt' "
	 "instead.",
	 "experimental.seatbelt"},
	{"experimental-macos-sandbox", "{" P ",'experimental':{'macos_sandbox':1}}", 0,
	 "'experimental.seatbelt' has moved to the stable section", "experimental.macos_sandbox"},
	/* step 8: processContainer */
	{"caps-ok",
	 "{" P ",'containment':'processcontainer','processContainer':{'capabilities':['"
	 "internetClient']}}",
	 0, NULL, NULL},
	{"caps-comma",
	 "{" P ",'containment':'processcontainer','processContainer':{'capabilities':['a,b']}}", 0,
	 "processContainer.capabilities entry 'a,b' must not contain a comma; provide multiple "
	 "capabilities as separate JSON array entries",
	 "processContainer.capabilities[0]"},
	{"caps-reserved",
	 "{" P ",'containment':'processcontainer','processContainer':{'capabilities':['x','"
	 "LEARNINGMODELOGGING']}}",
	 0,
	 "processContainer.capabilities must not include reserved learning-mode capability "
	 "'LEARNINGMODELOGGING'; use processContainer.learningMode for deny-and-record mode or "
	 "--audit for permissive mode",
	 "processContainer.capabilities[1]"},
	{"caps-reserved-permissive",
	 "{" P ",'containment':'processcontainer','processContainer':{'capabilities':['"
	 "permissiveLearningMode']}}",
	 0, "reserved learning-mode capability 'permissiveLearningMode'",
	 "processContainer.capabilities[0]"},
	{"capture-ok",
	 "{" P ",'containment':'processcontainer','processContainer':{'captureDenials':{'mode':'"
	 "allow','outputPath':'/tmp/mxc-denials.etl'}}}",
	 0, NULL, NULL},
	{"capture-relative",
	 "{" P ",'containment':'processcontainer','processContainer':{'captureDenials':{'"
	 "outputPath':'out.etl'}}}",
	 0, "processContainer.captureDenials.outputPath",
	 "processContainer.captureDenials.outputPath"},
	{"capture-dir",
	 "{" P ",'containment':'processcontainer','processContainer':{'captureDenials':{'"
	 "outputPath':'/tmp'}}}",
	 0, "processContainer.captureDenials.outputPath",
	 "processContainer.captureDenials.outputPath"},
	{"capture-root",
	 "{" P ",'containment':'processcontainer','processContainer':{'captureDenials':{'"
	 "outputPath':'/'}}}",
	 0, "processContainer.captureDenials.outputPath",
	 "processContainer.captureDenials.outputPath"},
	{"capture-no-parent",
	 "{" P ",'containment':'processcontainer','processContainer':{'captureDenials':{'"
	 "outputPath':'/nonexistent-mxc/x.etl'}}}",
	 0, "processContainer.captureDenials.outputPath",
	 "processContainer.captureDenials.outputPath"},
	/* step 9: filesystem strings */
	{"fs-ok",
	 "{" P ",'filesystem':{'readwritePaths':['/tmp'],'readonlyPaths':['/usr'],'deniedPaths':['/"
	 "etc/shadow']}}",
	 0, NULL, NULL},
	{"fs-empty", "{" P ",'filesystem':{'readonlyPaths':['/usr','']}}", 0,
	 "Filesystem path is empty", "filesystem.readonlyPaths[1]"},
	{"fs-blank", "{" P ",'filesystem':{'deniedPaths':[' \\t ']}}", 0,
	 "Filesystem path is empty", "filesystem.deniedPaths[0]"},
	{"fs-quote", "{" P ",'filesystem':{'readwritePaths':['/a\\'b']}}", 0,
	 "Filesystem path '/a\"b' contains invalid character '\"'", "filesystem.readwritePaths[0]"},
	{"fs-nul", "{" P ",'filesystem':{'deniedPaths':['/a\\u0000b']}}", 0,
	 "Filesystem path '/a\\u{0}b' contains an embedded NUL character",
	 "filesystem.deniedPaths"},
	{"fs-relative-ok", "{" P ",'filesystem':{'readonlyPaths':['relative/path','~/x']}}", 0,
	 NULL, NULL},
	/* step 10: network format and legacy proxy */
	{"net-mix", "{" V8 ",'network':{'defaultPolicy':'block','egress':{}}}", 0, MIX, "network"},
	{"net-mix-runtime",
	 "{" V8
	 ",'network':{'allowedHosts':[]},'runtimeConfig':{'networkProxy':'http://127.0.0.1:3128'}}",
	 0, MIX, "network"},
	{"net-legacy-ok",
	 "{" V7 ",'network':{'defaultPolicy':'block','enforcementMode':'firewall','allowedHosts':['"
	 "example.com']}}",
	 0, NULL, NULL},
	{"proxy-builtin-false",
	 "{" P ",'network':{'defaultPolicy':'allow','proxy':{'builtinTestServer':false}}}",
	 T_TESTING, "network.proxy.builtinTestServer must be true when present",
	 "network.proxy.builtinTestServer"},
	{"proxy-builtin-other",
	 "{" P ",'network':{'defaultPolicy':'allow','proxy':{'builtinTestServer':true,'localhost':"
	 "8080}}}",
	 T_TESTING,
	 "When network.proxy.builtinTestServer is true, no other proxy options may be set",
	 "network.proxy"},
	{"proxy-builtin-ok",
	 "{" P ",'network':{'defaultPolicy':'allow','proxy':{'builtinTestServer':true}}}",
	 T_TESTING, NULL, NULL},
	{"proxy-builtin-needs-flag",
	 "{" P ",'network':{'defaultPolicy':'allow','proxy':{'builtinTestServer':true}}}", 0,
	 "network.proxy.builtinTestServer is a testing-only feature and requires the "
	 "--allow-testing-features flag. For production, point network.proxy at a real HTTP proxy "
	 "via 'localhost' or 'url'.",
	 "network.proxy.builtinTestServer"},
	{"proxy-localhost-zero",
	 "{" P ",'network':{'defaultPolicy':'allow','proxy':{'localhost':0}}}", 0,
	 "network.proxy.localhost must be a port between 1 and 65535", "network.proxy.localhost"},
	{"proxy-localhost-ok",
	 "{" P ",'network':{'defaultPolicy':'allow','proxy':{'localhost':8080}}}", 0, NULL, NULL},
	{"proxy-localhost-wins",
	 "{" P ",'network':{'defaultPolicy':'allow','proxy':{'localhost':8080,'url':'bogus'}}}", 0,
	 NULL, NULL},
	{"proxy-empty", "{" P ",'network':{'defaultPolicy':'allow','proxy':{}}}", 0,
	 "network.proxy must specify builtinTestServer, localhost, or url", "network.proxy"},
	{"url-ok",
	 "{" P
	 ",'network':{'defaultPolicy':'allow','proxy':{'url':'http://proxy.example.com:3128'}}}",
	 0, NULL, NULL},
	{"url-ipv6-ok",
	 "{" P ",'network':{'defaultPolicy':'allow','proxy':{'url':'https://[::1]:8443/'}}}", 0,
	 NULL, NULL},
	{"url-relative",
	 "{" P ",'network':{'defaultPolicy':'allow','proxy':{'url':'127.0.0.1:8080'}}}", 0,
	 "network.proxy is invalid: relative URL without a base", "network.proxy.url"},
	{"url-scheme",
	 "{" P ",'network':{'defaultPolicy':'allow','proxy':{'url':'socks5://h:1080'}}}", 0,
	 "network.proxy must use the 'http' or 'https' scheme (got 'socks5'): socks5://h:1080",
	 "network.proxy.url"},
	{"url-scheme-hostport",
	 "{" P ",'network':{'defaultPolicy':'allow','proxy':{'url':'localhost:8080'}}}", 0,
	 "must use the 'http' or 'https' scheme (got 'localhost')", "network.proxy.url"},
	{"url-no-port",
	 "{" P ",'network':{'defaultPolicy':'allow','proxy':{'url':'http://proxy'}}}", 0,
	 "network.proxy must include a port (e.g., http://localhost:8080), got: http://proxy",
	 "network.proxy.url"},
	{"url-default-port-80",
	 "{" P ",'network':{'defaultPolicy':'allow','proxy':{'url':'http://proxy:80'}}}", 0,
	 "network.proxy must include a port", "network.proxy.url"},
	{"url-default-port-443",
	 "{" P ",'network':{'defaultPolicy':'allow','proxy':{'url':'https://proxy:443'}}}", 0,
	 "network.proxy must include a port", "network.proxy.url"},
	{"url-https-80-ok",
	 "{" P ",'network':{'defaultPolicy':'allow','proxy':{'url':'https://proxy:80'}}}", 0, NULL,
	 NULL},
	{"url-bad-port",
	 "{" P ",'network':{'defaultPolicy':'allow','proxy':{'url':'http://proxy:99999'}}}", 0,
	 "network.proxy is invalid: invalid port number", "network.proxy.url"},
	{"url-empty-host",
	 "{" P ",'network':{'defaultPolicy':'allow','proxy':{'url':'http://:8080'}}}", 0,
	 "network.proxy is invalid: empty host", "network.proxy.url"},
	{"url-bad-ipv6",
	 "{" P ",'network':{'defaultPolicy':'allow','proxy':{'url':'http://[::zz]:8080'}}}", 0,
	 "network.proxy is invalid: invalid IPv6 address", "network.proxy.url"},
	/* §6.4 guards: bubblewrap (also omitted/process/namespaces) */
	{"bwrap-credentials",
	 "{" P
	 ",'network':{'defaultPolicy':'allow','proxy':{'url':'http://alice:hunter2@proxy:3128'}}}",
	 0,
	 "network.proxy.url must not carry credentials ('http://***@proxy:3128'). LXC and "
	 "Bubblewrap pass the proxy URL to the sandbox helper as a command-line argument",
	 "network.proxy.url"},
	{"bwrap-external-block", "{" P ",'network':{'proxy':{'url':'http://proxy:3128'}}}", 0,
	 "Bubblewrap: an external network.proxy (url/localhost) cannot be combined with",
	 "network.proxy"},
	{"bwrap-external-lists",
	 "{" P ",'containment':'namespaces','network':{'defaultPolicy':'allow','allowedHosts':['a']"
	 ",'proxy':{'localhost':3128}}}",
	 0, "Bubblewrap: an external network.proxy (url/localhost) cannot be combined with",
	 "network.proxy"},
	{"bwrap-firewall",
	 "{" P ",'containment':'bubblewrap','network':{'defaultPolicy':'allow','enforcementMode':'"
	 "both','proxy':{'url':'http://proxy:3128'}}}",
	 0,
	 "Bubblewrap: network.proxy cannot be combined with network.enforcementMode='firewall' or "
	 "'both'.",
	 "network.enforcementMode"},
	{"bwrap-builtin-block-ok", "{" P ",'network':{'proxy':{'builtinTestServer':true}}}",
	 T_TESTING, NULL, NULL},
	{"proxy-vm",
	 "{" P ",'containment':'vm','network':{'defaultPolicy':'allow','proxy':{'url':'http://"
	 "proxy:3128'}}}",
	 0,
	 "Network proxy is only supported with the 'processcontainer', 'bubblewrap', 'lxc', "
	 "'seatbelt', or 'wslc' containment backends",
	 "network.proxy"},
	{"proxy-microvm", "{" P ",'containment':'microvm','network':{'proxy':{'localhost':1}}}", 0,
	 "Network proxy is only supported with", "network.proxy"},
	{"pc-proxy-ok",
	 "{" P
	 ",'containment':'processcontainer','network':{'proxy':{'url':'http://u:p@proxy:3128'}}}",
	 0, NULL, NULL},
	/* §6.4 guards: LXC */
	{"lxc-proxy-ok",
	 "{" P ",'containment':'lxc','network':{'enforcementMode':'firewall','proxy':{'url':'http:/"
	 "/10.0.3.1:3128'}}}",
	 0, NULL, NULL},
	{"lxc-builtin",
	 "{" P ",'containment':'lxc','network':{'enforcementMode':'firewall','proxy':{'"
	 "builtinTestServer':true}}}",
	 T_TESTING, "LXC: network.proxy.builtinTestServer is not supported; use network.proxy.url",
	 "network.proxy.builtinTestServer"},
	{"lxc-localhost",
	 "{" P ",'containment':'lxc','network':{'enforcementMode':'firewall','proxy':{'localhost':"
	 "3128}}}",
	 0,
	 "LXC: network.proxy.localhost is not reachable from the container network namespace "
	 "(127.0.0.1 is the container loopback); use network.proxy.url with a host routable from "
	 "inside the container",
	 "network.proxy.localhost"},
	{"lxc-loopback",
	 "{" P ",'containment':'lxc','network':{'enforcementMode':'firewall','proxy':{'url':'http:/"
	 "/127.1.2.3:3128'}}}",
	 0, "network.proxy.url host is a loopback address", "network.proxy.url"},
	{"lxc-loopback-name",
	 "{" P ",'containment':'lxc','network':{'enforcementMode':'firewall','proxy':{'url':'http:/"
	 "/LocalHost:3128'}}}",
	 0, "network.proxy.url host is a loopback address", "network.proxy.url"},
	{"lxc-no-firewall",
	 "{" P ",'containment':'lxc','network':{'proxy':{'url':'http://10.0.3.1:3128'}}}", 0,
	 "LXC: network.proxy requires network.enforcementMode='firewall' or 'both'.",
	 "network.enforcementMode"},
	{"lxc-credentials",
	 "{" P ",'containment':'lxc','network':{'enforcementMode':'both','proxy':{'url':'http://"
	 "alice:hunter2@10.0.3.1:3128'}}}",
	 0, "network.proxy.url must not carry credentials ('http://***@10.0.3.1:3128')",
	 "network.proxy.url"},
	/* directional rules (§6.3) */
	{"rule-ok",
	 "{" V8 ",'network':{'egress':{'default':'deny','allow':[{'to':[{'cidr':'10.0.0.0/"
	 "8','except':['10.1.0.0/16']},{'cidr':'2001:db8::/"
	 "32'}],'ports':[{'protocol':'tcp','port':80,'endPort':90},{'protocol':'icmp'}]}],'"
	 "deny':[{'to':[{'cidr':'1.1.1.1'}]}]}}}",
	 0, NULL, NULL},
	{"rule-to-empty", "{" V8 ",'network':{'egress':{'allow':[{'to':[]}]}}}", 0,
	 "network.egress.allow[0].to must contain at least one destination when specified",
	 "network.egress.allow[0].to"},
	{"rule-ports-empty", "{" V8 ",'network':{'egress':{'deny':[{'ports':[]}]}}}", 0,
	 "network.egress.deny[0].ports must contain at least one selector when specified",
	 "network.egress.deny[0].ports"},
	{"rule-host-bits",
	 "{" V8 ",'network':{'egress':{'allow':[{},{'to':[{'cidr':'1.1.1.1/32'},{'cidr':'10.0.0.1/"
	 "8'}]}]}}}",
	 0,
	 "network.egress.allow[1].to[1].cidr must be a valid network CIDR: host part of address "
	 "was not zero",
	 "network.egress.allow[1].to[1].cidr"},
	{"rule-dns-name",
	 "{" V8 ",'network':{'egress':{'allow':[{'to':[{'cidr':'example.com'}]}]}}}", 0,
	 "network.egress.allow[0].to[0].cidr must be a valid network CIDR: ",
	 "network.egress.allow[0].to[0].cidr"},
	{"rule-prefix-too-long",
	 "{" V8 ",'network':{'egress':{'allow':[{'to':[{'cidr':'10.0.0.0/33'}]}]}}}", 0,
	 "must be a valid network CIDR", "network.egress.allow[0].to[0].cidr"},
	{"rule-except-outside",
	 "{" V8 ",'network':{'egress':{'allow':[{'to':[{'cidr':'8.8.0.0/16','except':['8.9.0.0/"
	 "24']}]}]}}}",
	 0,
	 "network.egress.allow[0].to[0].except[0] must be contained within "
	 "network.egress.allow[0].to[0].cidr",
	 "network.egress.allow[0].to[0].except[0]"},
	{"rule-except-family",
	 "{" V8
	 ",'network':{'egress':{'allow':[{'to':[{'cidr':'0.0.0.0/0','except':['::/0']}]}]}}}",
	 0, "must be contained within", "network.egress.allow[0].to[0].except[0]"},
	{"rule-except-invalid",
	 "{" V8
	 ",'network':{'egress':{'allow':[{'to':[{'cidr':'8.8.0.0/16','except':['8.8.8.8/8']}]}]}}}",
	 0,
	 "network.egress.allow[0].to[0].except[0] must be a valid network CIDR: host part of "
	 "address was not zero",
	 "network.egress.allow[0].to[0].except[0]"},
	{"port-zero", "{" V8 ",'network':{'egress':{'allow':[{'ports':[{'port':0}]}]}}}", 0,
	 "network.egress.allow[0].ports[0].port must be between 1 and 65535",
	 "network.egress.allow[0].ports[0].port"},
	{"endport-zero",
	 "{" V8 ",'network':{'egress':{'allow':[{'ports':[{'port':1,'endPort':0}]}]}}}", 0,
	 "network.egress.allow[0].ports[0].endPort must be between 1 and 65535",
	 "network.egress.allow[0].ports[0].endPort"},
	{"endport-no-port", "{" V8 ",'network':{'egress':{'allow':[{'ports':[{'endPort':5}]}]}}}",
	 0, "network.egress.allow[0].ports[0].endPort requires port",
	 "network.egress.allow[0].ports[0].endPort"},
	{"endport-less",
	 "{" V8 ",'network':{'egress':{'allow':[{'ports':[{'protocol':'udp','port':53},{'port':10,'"
	 "endPort':9}]}]}}}",
	 0, "network.egress.allow[0].ports[1].endPort must be greater than or equal to port",
	 "network.egress.allow[0].ports[1].endPort"},
	{"icmp-port",
	 "{" V8 ",'network':{'egress':{'allow':[{'ports':[{'protocol':'icmp','port':1}]}]}}}", 0,
	 "network.egress.allow[0].ports[0] cannot specify port or endPort for protocol='icmp'",
	 "network.egress.allow[0].ports[0]"},
	/* runtimeConfig.networkProxy */
	{"runtime-proxy-ok",
	 "{" V8 ",'network':{'egress':{'default':'deny'},'ingress':{'default':'deny'}},'"
	 "runtimeConfig':{'networkProxy':'http://127.0.0.1:3128'}}",
	 0, NULL, NULL},
	{"runtime-proxy-ipv6-ok", "{" V8 ",'runtimeConfig':{'networkProxy':'http://[::1]:3128'}}",
	 0, NULL, NULL},
	{"runtime-proxy-not-loopback",
	 "{" V8 ",'runtimeConfig':{'networkProxy':'http://127.0.0.2:3128'}}", 0,
	 "runtimeConfig.networkProxy must use localhost, 127.0.0.1, or [::1]",
	 "runtimeConfig.networkProxy"},
	{"runtime-proxy-no-port", "{" V8 ",'runtimeConfig':{'networkProxy':'http://localhost'}}", 0,
	 "runtimeConfig.networkProxy must include a port (e.g., http://localhost:8080), got: "
	 "http://localhost",
	 "runtimeConfig.networkProxy"},
	{"runtime-proxy-egress-allow",
	 "{" V8 ",'network':{'egress':{'default':'allow'}},'runtimeConfig':{'networkProxy':'http://"
	 "localhost:3128'}}",
	 0,
	 "runtimeConfig.networkProxy requires network.egress.default='deny' with no direct allow "
	 "or deny rules",
	 "runtimeConfig.networkProxy"},
	{"runtime-proxy-rules",
	 "{" V8 ",'network':{'egress':{'deny':[{}]}},'runtimeConfig':{'networkProxy':'http://"
	 "localhost:3128'}}",
	 0, "runtimeConfig.networkProxy requires network.egress.default='deny'",
	 "runtimeConfig.networkProxy"},
	/* step 11: experimental checks */
	{"wslc-ports-ok",
	 "{" P ",'containment':'wslc','experimental':{'wslc':{'portMappings':[{'windowsPort':8080,'"
	 "containerPort':80},{'windowsPort':8081,'containerPort':80,'protocol':'tcp'}]}}}",
	 0, NULL, NULL},
	{"wslc-port-zero",
	 "{" P ",'containment':'wslc','experimental':{'wslc':{'portMappings':[{'windowsPort':0,'"
	 "containerPort':80}]}}}",
	 0, "windowsPort", "experimental.wslc.portMappings[0].windowsPort"},
	{"wslc-container-port-zero",
	 "{" P ",'containment':'wslc','experimental':{'wslc':{'portMappings':[{'windowsPort':1,'"
	 "containerPort':0}]}}}",
	 0, "containerPort", "experimental.wslc.portMappings[0].containerPort"},
	{"wslc-port-duplicate",
	 "{" P ",'containment':'wslc','experimental':{'wslc':{'portMappings':[{'windowsPort':8080,'"
	 "containerPort':80},{'windowsPort':8080,'containerPort':81}]}}}",
	 0, "duplicate", "experimental.wslc.portMappings[1]"},
};

START_TEST(test_validate)
{
	run_case(&cases[_i]);
}
END_TEST

static struct mxc_config *must_parse(const char *json, unsigned flags)
{
	struct mxc_config *c = NULL;
	struct mxc_error e;
	char *j = dq(json);
	int r = parse_flags(j, flags, &c, &e);

	ck_assert_msg(r == 0, "parse failed: %s", e.msg);
	free(j);
	return c;
}

START_TEST(test_model_defaults)
{
	struct mxc_config *c =
		must_parse("{'version':'0.7.0-alpha','process':{'commandLine':'echo hi'}}", 0);

	ck_assert(c->has_version && c->version_parsed);
	ck_assert_uint_eq(c->ver_major, 0);
	ck_assert_uint_eq(c->ver_minor, 7);
	ck_assert_str_eq(c->version, "0.7.0-alpha");
	ck_assert_str_eq(c->command_line, "echo hi");
	ck_assert_str_eq(c->cwd, "");
	ck_assert_str_eq(c->container_id, "");
	ck_assert_uint_eq(strv_length(c->env), 0);
	ck_assert_uint_eq(c->timeout_ms, 0);
	ck_assert(c->destroy_on_exit);
	ck_assert(!c->preserve_policy);
	ck_assert_int_eq(c->containment, MXC_CONTAINMENT_UNSET);
	ck_assert_int_eq(c->backend, MXC_BACKEND_NAMESPACES);
	ck_assert_int_eq(c->net.format, MXC_NET_LEGACY);
	ck_assert_int_eq(c->net.default_policy, MXC_NET_BLOCK);
	ck_assert_int_eq(c->net.enforcement_mode, MXC_NET_ENF_CAPABILITIES);
	ck_assert_int_eq(c->net.proxy.kind, MXC_PROXY_NONE);
	policy_free(c);

	c = must_parse("{'version':'0.8.0-alpha','process':{'commandLine':'x'},'network':{}}", 0);
	ck_assert_int_eq(c->net.format, MXC_NET_DIRECTIONAL);
	ck_assert_int_eq(c->net.egress_default, MXC_NET_DENY);
	ck_assert_int_eq(c->net.ingress_default, MXC_NET_DENY);
	ck_assert_int_eq(c->net.host_loopback, MXC_NET_DENY);
	ck_assert_uint_eq(c->net.n_egress_allow, 0);
	policy_free(c);

	c = must_parse("{'process':{'commandLine':'x'}}", 0);
	ck_assert(!c->has_version);
	ck_assert_int_eq(c->net.format, MXC_NET_LEGACY);
	policy_free(c);
}
END_TEST

START_TEST(test_containment_backend)
{
	static const struct {
		const char *value;
		enum mxc_containment c;
		enum mxc_backend_id b;
	} t[] = {
		{"process", MXC_CONTAINMENT_PROCESS, MXC_BACKEND_NAMESPACES},
		{"namespaces", MXC_CONTAINMENT_NAMESPACES, MXC_BACKEND_NAMESPACES},
		{"bubblewrap", MXC_CONTAINMENT_BUBBLEWRAP, MXC_BACKEND_BUBBLEWRAP},
		{"lxc", MXC_CONTAINMENT_LXC, MXC_BACKEND_LXC},
		{"microvm", MXC_CONTAINMENT_MICROVM, MXC_BACKEND_MICROVM},
		{"hyperlight", MXC_CONTAINMENT_HYPERLIGHT, MXC_BACKEND_HYPERLIGHT},
		{"processcontainer", MXC_CONTAINMENT_PROCESSCONTAINER, MXC_BACKEND_LXC_FALLBACK},
		{"appcontainer", MXC_CONTAINMENT_PROCESSCONTAINER, MXC_BACKEND_LXC_FALLBACK},
		{"vm", MXC_CONTAINMENT_VM, MXC_BACKEND_LXC_FALLBACK},
		{"seatbelt", MXC_CONTAINMENT_SEATBELT, MXC_BACKEND_LXC_FALLBACK},
		{"macos_sandbox", MXC_CONTAINMENT_SEATBELT, MXC_BACKEND_LXC_FALLBACK},
		{"windows_sandbox", MXC_CONTAINMENT_WINDOWS_SANDBOX, MXC_BACKEND_LXC_FALLBACK},
		{"wslc", MXC_CONTAINMENT_WSLC, MXC_BACKEND_LXC_FALLBACK},
		{"isolation_session", MXC_CONTAINMENT_ISOLATION_SESSION, MXC_BACKEND_LXC_FALLBACK},
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		char json[128];
		struct mxc_config *c;
		(void)snprintf(json, sizeof(json),
			       "{'process':{'commandLine':'x'},'containment':'%s'}", t[i].value);
		c = must_parse(json, 0);
		ck_assert_int_eq(c->containment, t[i].c);
		ck_assert_int_eq(c->backend, t[i].b);
		policy_free(c);
	}
	ck_assert_str_eq(mxc_containment_to_string(MXC_CONTAINMENT_NAMESPACES), "namespaces");
	ck_assert_ptr_null(mxc_containment_to_string(MXC_CONTAINMENT_UNSET));
	ck_assert_str_eq(mxc_backend_id_to_string(MXC_BACKEND_NAMESPACES), "namespaces");
}
END_TEST

START_TEST(test_fs_normalisation_notes)
{
	struct mxc_config *c =
		must_parse("{'process':{'commandLine':'x'},'filesystem':{'readwritePaths':['/"
			   "tmp','/usr','/nonexistent-mxc-a'],'readonlyPaths':['/usr','/tmp/"
			   "'],'deniedPaths':['/tmp','/usr']}}",
			   0);

	ck_assert_uint_eq(strv_length(c->readwrite_paths), 1);
	ck_assert_str_eq(c->readwrite_paths[0], "/nonexistent-mxc-a");
	ck_assert_uint_eq(strv_length(c->readonly_paths), 1);
	ck_assert_str_eq(c->readonly_paths[0], "/tmp/"); /* exact string comparison */
	ck_assert_uint_eq(strv_length(c->denied_paths), 2);
	ck_assert_str_eq(c->notes[0], "Filesystem path '/tmp' appears in 'readwritePaths' and "
				      "'deniedPaths'; applying most-restrictive intent (denied)");
	ck_assert_str_eq(c->notes[1], "Filesystem path '/usr' appears in 'readwritePaths' and "
				      "'deniedPaths'; applying most-restrictive intent (denied)");
	ck_assert_str_eq(c->notes[2], "Filesystem path '/usr' appears in 'readonlyPaths' and "
				      "'deniedPaths'; applying most-restrictive intent (denied)");
	ck_assert_str_eq(c->notes[3],
			 "WARNING: filesystem path '/nonexistent-mxc-a' (in 'readwritePaths') does "
			 "not exist on the host; the backend may fail at mount time");
	ck_assert_ptr_null(c->notes[4]);
	policy_free(c);

	c = must_parse("{'process':{'commandLine':'x'},'filesystem':{'readwritePaths':['/"
		       "usr'],'readonlyPaths':['/usr']}}",
		       0);
	ck_assert_uint_eq(strv_length(c->readwrite_paths), 0);
	ck_assert_str_eq(c->notes[0],
			 "Filesystem path '/usr' appears in 'readwritePaths' and 'readonlyPaths'; "
			 "applying most-restrictive intent (readonly)");
	policy_free(c);
}
END_TEST

START_TEST(test_override)
{
	struct mxc_config *c =
		must_parse("{'process':{'commandLine':'ignored','cwd':'/'}}", T_OVERRIDE);
	char *q = NULL;
	static const char *const argv[] = {"a b", "it's", "plain-word", "", "$HOME", NULL};

	ck_assert_str_eq(c->command_line, "sh -c 'echo it'\\''s'");
	ck_assert_str_eq(c->cwd, "/");
	policy_free(c);
	ck_assert_int_eq(policy_quote_argv(argv, &q), 0);
	ck_assert_str_eq(q, "'a b' 'it'\\''s' plain-word '' '$HOME'");
	free(q);
}
END_TEST

START_TEST(test_proxy_model)
{
	struct mxc_config *c =
		must_parse("{'process':{'commandLine':'x'},'network':{'defaultPolicy':'allow','"
			   "proxy':{'url':'HTTP://Proxy.Example.com:3128/path'}}}",
			   0);

	ck_assert_int_eq(c->net.proxy.kind, MXC_PROXY_URL);
	ck_assert_str_eq(c->net.proxy.url, "HTTP://Proxy.Example.com:3128/path");
	ck_assert_str_eq(c->net.proxy.host, "proxy.example.com");
	ck_assert_str_eq(c->net.proxy.scheme, "http");
	ck_assert_uint_eq(c->net.proxy.port, 3128);
	ck_assert(!c->net.proxy.has_credentials);
	policy_free(c);

	c = must_parse("{'version':'0.8.0','process':{'commandLine':'x'},'runtimeConfig':{'"
		       "networkProxy':'http://LOCALHOST:8080'}}",
		       0);
	ck_assert_int_eq(c->net.format, MXC_NET_DIRECTIONAL);
	ck_assert(c->net.has_runtime_proxy && c->net.proxy.from_runtime_config);
	ck_assert_uint_eq(c->net.proxy.port, 8080);
	policy_free(c);
}
END_TEST

static Suite *validate_suite(void)
{
	Suite *s = suite_create("policy-validate");
	TCase *tc = tcase_create("unit");

	tcase_add_loop_test(tc, test_validate, 0, (int)(sizeof(cases) / sizeof(cases[0])));
	tcase_add_test(tc, test_model_defaults);
	tcase_add_test(tc, test_containment_backend);
	tcase_add_test(tc, test_fs_normalisation_notes);
	tcase_add_test(tc, test_override);
	tcase_add_test(tc, test_proxy_model);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(validate_suite());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

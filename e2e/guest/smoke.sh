#!/bin/bash
#
# In-guest half of e2e/bin/guest-smoke: checks that the guest booted by e2e/bin/guest-run can do
# what the IPVS tests need. Runs as root inside the guest (it refuses to run elsewhere).
#
#   smoke.sh basic   modules, ipvsadm, Java 17, two network namespaces pinging over a bridge
#   smoke.sh dr      a complete LVS Direct Routing setup in network namespaces:
#                      client, director, rs1, rs2 on a bridge (the bridge in a namespace too);
#                      VIP on the director's eth0; VIP/32 on the real servers' lo with
#                      arp_ignore=1 / arp_announce=2; ipvsadm -g to both; an HTTP server in each
#                      real server; requests from the client must alternate rs1/rs2, the
#                      director must see requests but no replies, and the client must have
#                      resolved the VIP to the director's MAC.
#   smoke.sh all     both
#
# Every address and every IPVS service lives in a namespace created here (names prefixed
# "smk-"), so nothing depends on, or changes, the guest's own network namespace.
# Output is one "ok"/"FAIL" line per check; the exit status is non-zero on the first failure.

set -euo pipefail

[[ "${LVS_IN_GUEST:-}" == 1 ]] || {
	echo "smoke.sh: runs inside the test guest: e2e/bin/guest-run -- bash e2e/guest/smoke.sh" >&2
	exit 2
}

t0=$(date +%s%N)
elapsed() { echo "$((($(date +%s%N) - t0) / 1000000))ms"; }
ok() { echo "ok   [$(elapsed)] $*"; }
fail() {
	echo "FAIL [$(elapsed)] $*" >&2
	exit 1
}
# check DESCRIPTION -- COMMAND...: run COMMAND, report ok or fail with its output.
check() {
	local what="$1" out
	shift 2
	if out="$("$@" 2>&1)"; then
		ok "$what"
	else
		echo "$out" >&2
		fail "$what"
	fi
}
indent() { printf '     | %s\n' "${1//$'\n'/$'\n'     | }"; }

# Run a command in a network namespace. nsenter switches the network namespace only: cheaper
# than "ip netns exec" (which also makes a mount namespace and remounts /sys), and every process
# counts under emulation. For ip itself, "ip -n NS" is cheaper still.
in_ns() {
	local ns="$1"
	shift
	nsenter --net="/run/netns/$ns" -- "$@"
}

# --- basic -------------------------------------------------------------------------------------

basic() {
	check "modprobe ip_vs ip_vs_rr ip_vs_wlc" -- modprobe -a ip_vs ip_vs_rr ip_vs_wlc
	[[ -d /sys/module/ip_vs_rr && -d /sys/module/ip_vs_wlc ]] || fail "schedulers not loaded"
	ok "kernel $(uname -r) has IPVS $(head -n1 /proc/net/ip_vs | sed 's/^IP Virtual Server //')"

	# IPVS state is per network namespace: a scratch namespace keeps the guest's own table empty.
	# The kernel accepts only destinations it can route (a namespace with no routes makes every
	# address look like broadcast): give it a subnet on a dummy link.
	ip netns add smk-ipvs
	ip -n smk-ipvs -batch - <<-EOF
		link add d0 type dummy
		addr add 10.0.0.254/24 dev d0
		link set d0 up
	EOF
	in_ns smk-ipvs ipvsadm -A -t 10.0.0.1:80 -s rr || fail "ipvsadm -A -t 10.0.0.1:80 -s rr"
	in_ns smk-ipvs ipvsadm -a -t 10.0.0.1:80 -r 10.0.0.2:80 -g -w 3 || fail "ipvsadm -a"
	local listing
	listing="$(in_ns smk-ipvs ipvsadm -Ln)"
	indent "$listing"
	grep -Eq '^TCP +10\.0\.0\.1:80 rr' <<<"$listing" || fail "service missing from ipvsadm -Ln"
	grep -Eq -- '-> 10\.0\.0\.2:80 +Route +3 ' <<<"$listing" || fail "destination missing"
	[[ -z "$(ipvsadm -Sn)" ]] || fail "the guest's own IPVS table is not empty"
	ok "ipvsadm -A/-a/-Ln in a namespace (the root namespace's table untouched)"

	# The host's Java 17 (JAVA_HOME when it is a 17), run once: a JVM start costs seconds here.
	local java="" jv=""
	for java in "${JAVA_HOME:-/nonexistent}/bin/java" /usr/lib/jvm/java-17-openjdk-*/bin/java; do
		[[ -x "$java" ]] && jv="$("$java" -version 2>&1)" && [[ "$jv" == *'version "17'* ]] && break
		java=""
	done
	[[ -n "$java" ]] || fail "no working Java 17 under /usr/lib/jvm: $jv"
	ok "$java -version: $(head -n1 <<<"$jv")"

	# Two namespaces, each with a veth whose peer is on a bridge in a third namespace.
	make_lan smk-br1 192.168.78 smk-h1=1 smk-h2=2
	check "ping smk-h1 -> smk-h2 across a bridge" -- in_ns smk-h1 ping -c 2 -i 0.2 -W 3 192.168.78.2
	# No teardown: the namespaces die with the guest (and every process counts under emulation).
}

# make_lan BRIDGE_NS PREFIX NS=HOST...: namespace BRIDGE_NS with bridge br0, and per NS a
# namespace whose eth0 (PREFIX.HOST/24) is a veth with its peer on br0. One ip process per
# namespace.
make_lan() {
	local brns="$1" prefix="$2" spec ns host ports=""
	shift 2
	ip netns add "$brns"
	for spec in "$@"; do
		ns="${spec%=*}" host="${spec#*=}"
		ip netns add "$ns"
		ports+="link set ${ns#smk-} master br0 up"$'\n'
		ip -n "$ns" -batch - <<-EOF
			link set lo up
			link add eth0 type veth peer name ${ns#smk-} netns $brns
			addr add $prefix.$host/24 dev eth0
			link set eth0 up
		EOF
	done
	ip -n "$brns" -batch - <<-EOF
		link add br0 type bridge
		link set br0 up
		$ports
	EOF
}

# --- LVS Direct Routing ------------------------------------------------------------------------

readonly NET=192.168.77
readonly VIP=$NET.100

dr() {
	modprobe -a ip_vs ip_vs_rr veth bridge
	make_lan smk-br2 "$NET" smk-client=10 smk-director=2 smk-rs1=11 smk-rs2=12

	# The director owns the VIP on its LAN interface: it answers ARP for it.
	ip -n smk-director addr add "$VIP/32" dev eth0
	in_ns smk-director ipvsadm -R <<-EOF
		-A -t $VIP:80 -s rr
		-a -t $VIP:80 -r $NET.11:80 -g
		-a -t $VIP:80 -r $NET.12:80 -g
	EOF

	# Real servers: VIP on lo, never announced or answered for on the wire.
	local rs c sysctls
	for rs in smk-rs1 smk-rs2; do
		sysctls=()
		for c in all lo eth0; do
			sysctls+=("net.ipv4.conf.$c.arp_ignore=1" "net.ipv4.conf.$c.arp_announce=2")
		done
		in_ns "$rs" sysctl -qw "${sysctls[@]}"
		ip -n "$rs" addr add "$VIP/32" dev lo
		mkdir -p "/run/smk/$rs"
		echo "${rs#smk-}" >"/run/smk/$rs/index.html"
		# busybox httpd daemonises; it listens on all addresses, the VIP on lo included.
		in_ns "$rs" busybox httpd -p 80 -h "/run/smk/$rs"
	done
	ok "LVS-DR topology: client $NET.10, director $NET.2 (VIP $VIP), rs1 $NET.11, rs2 $NET.12"

	local dmac
	dmac="$(ip -n smk-director -o link show eth0 | sed -n 's/.* link\/ether \([0-9a-f:]*\) .*/\1/p')"

	# Sanity: each real server answers on its own address.
	local out
	out="$(in_ns smk-client curl -sf --max-time 10 "http://$NET.11/" "http://$NET.12/")" ||
		fail "the real servers do not answer on their own addresses"
	[[ "${out//$'\n'/ }" == "rs1 rs2" ]] || fail "real servers answered: $out"
	ok "real servers answer on their own addresses"

	# Six requests to the VIP from one curl: busybox httpd closes every connection, so each
	# request is a new connection (new source port) that IPVS schedules on its own.
	local answers=() urls=() n
	for n in 1 2 3 4 5 6; do urls+=("http://$VIP/"); done
	out="$(in_ns smk-client curl -sf --max-time 10 "${urls[@]}")" || fail "requests to the VIP failed"
	mapfile -t answers <<<"$out"
	[[ ${#answers[@]} == 6 ]] || fail "expected 6 answers from the VIP, got: ${answers[*]}"
	ok "client -> VIP answers: ${answers[*]}"
	for n in 1 2 3 4 5; do
		[[ "${answers[$n]}" != "${answers[$((n - 1))]}" ]] ||
			fail "round robin did not alternate: ${answers[*]}"
	done
	[[ " ${answers[*]} " == *" rs1 "* && " ${answers[*]} " == *" rs2 "* ]] ||
		fail "not both real servers answered: ${answers[*]}"
	ok "round robin alternates between rs1 and rs2"

	local vmac
	vmac="$(ip -n smk-client neigh show "$VIP" dev eth0 | awk '{ for (i = 1; i < NF; i++) if ($i == "lladdr") print $(i + 1) }')"
	[[ "$vmac" == "$dmac" ]] || fail "the client resolved the VIP to $vmac, not the director ($dmac)"
	ok "only the director answers ARP for the VIP ($dmac)"

	# IPVS folds per-CPU counters into the totals every 2 s.
	sleep 2.5
	local stats inpkts outpkts
	stats="$(in_ns smk-director ipvsadm -Ln --stats)"
	indent "$stats"
	read -r inpkts outpkts < <(awk -v svc="$VIP:80" '$1 == "TCP" && $2 == svc { print $4, $5 }' <<<"$stats")
	[[ "${inpkts:-0}" =~ ^[0-9]+[KMG]?$ && "${inpkts:-0}" != 0 ]] || fail "no packets in: $inpkts"
	[[ "$outpkts" == 0 ]] || fail "replies went through the director: OutPkts=$outpkts"
	ok "director saw ${inpkts} packets in and none out: replies bypass it (Direct Routing)"
}

case "${1:-all}" in
basic) basic ;;
dr) dr ;;
all)
	basic
	dr
	;;
*)
	echo "usage: smoke.sh basic|dr|all" >&2
	exit 2
	;;
esac
ok "smoke.sh ${1:-all} passed"

# shellcheck shell=bash disable=SC2034  # the variables are for the scripts that source this
# e2e/kind/lib.sh: the names and functions e2e/kind/up, test and down share. Sourced; it only
# defines things (KindScriptsTest sources it to test kind_vip and first_ipv4_subnet).

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
dir=${LVS_KIND_DIR:-/tmp/lvs-kind}
tools_image=${LVS_KIND_TOOLS_IMAGE:-nicolaka/netshoot}

# kind names its node containers (and Nodes) <cluster>-control-plane, <cluster>-worker, -worker2.
readonly CLUSTER=lvs-e2e NETWORK=kind CLIENT=lvs-e2e-client
readonly DIRECTOR=lvs-e2e-worker
# rs1 and rs2 in the lab's terms. The control plane comes first: killNode refuses it (the API
# server runs there), so the real-server node a scenario takes down is rs2, lvs-e2e-worker2.
readonly REAL_SERVERS=(lvs-e2e-control-plane lvs-e2e-worker2)
readonly NS=lvs-system RELEASE=lvs-operator
# Every container these scripts or KindHosts start carries it; down removes what is left.
readonly LABEL=lvs-e2e=kind

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
info() { echo "    $*" >&2; }
die() {
	echo "kind: error: $*" >&2
	exit 1
}

kc() { kubectl --kubeconfig "$dir/kubeconfig" "$@"; }
is_up() { [[ -e $dir/up ]]; }

# first_ipv4_subnet WORD...: the first word that is an IPv4 CIDR (docker lists IPv6 ones too).
first_ipv4_subnet() {
	local w
	for w in "$@"; do
		if [[ $w =~ ^[0-9]{1,3}(\.[0-9]{1,3}){3}/[0-9]{1,2}$ ]]; then
			echo "$w"
			return 0
		fi
	done
	return 1
}

# kind_vip CIDR: the VIP for a subnet, 55 below its broadcast address: a.b.255.200 in a /16,
# a.b.c.200 in a /24. Docker hands out addresses from the bottom, so it stays free. Prefixes
# /8 to /24 only (a smaller subnet has no room above Docker's addresses).
kind_vip() {
	[[ $1 =~ ^([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})/([0-9]{1,2})$ ]] || return 1
	local o=("${BASH_REMATCH[@]:1:4}") bits=${BASH_REMATCH[5]} x
	for x in "${o[@]}"; do ((10#$x <= 255)) || return 1; done
	((10#$bits >= 8 && 10#$bits <= 24)) || return 1
	local size=$((1 << (32 - 10#$bits)))
	local n=$(((10#${o[0]} << 24) | (10#${o[1]} << 16) | (10#${o[2]} << 8) | 10#${o[3]}))
	local v=$(((n & ~(size - 1) & 0xffffffff) + size - 56))
	echo "$((v >> 24 & 255)).$((v >> 16 & 255)).$((v >> 8 & 255)).$((v & 255))"
}

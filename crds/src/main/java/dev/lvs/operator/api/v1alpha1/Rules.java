package dev.lvs.operator.api.v1alpha1;

/**
 * CEL expressions used by the schema's {@code x-kubernetes-validations}. They live here because
 * annotation values must be compile-time constants and several fields share them. They use the
 * Kubernetes CEL IP library ({@code isIP}, {@code ip}, {@code cidr}), available in API servers from
 * 1.31 on.
 */
final class Rules {
  private Rules() {}

  static final String IS_IP = "isIP(self)";
  static final String IS_IP_MSG =
      "must be a valid IPv4 or IPv6 address, e.g. 172.16.58.1 or 2001:db8::1";

  static final String NOT_UNSPECIFIED = "!isIP(self) || !ip(self).isUnspecified()";
  static final String NOT_UNSPECIFIED_MSG = "must not be the unspecified address (0.0.0.0 or ::)";

  static final String NOT_LOOPBACK = "!isIP(self) || !ip(self).isLoopback()";
  static final String NOT_LOOPBACK_MSG = "must not be a loopback address";

  static final String NOT_MULTICAST =
      "!isIP(self) || !(cidr('224.0.0.0/4').containsIP(ip(self))"
          + " || cidr('ff00::/8').containsIP(ip(self)))";
  static final String NOT_MULTICAST_MSG = "must not be a multicast address";

  static final String NOT_BROADCAST = "self != '255.255.255.255'";
  static final String NOT_BROADCAST_MSG = "must not be the broadcast address 255.255.255.255";

  /**
   * Every VipPool entry is a canonical CIDR, a FIRST-LAST range of one family, or an address. The
   * order of a range's ends cannot be compared in CEL: the operator checks it (VipPool Ready).
   */
  static final String POOL_ENTRY =
      "self.all(a, isCIDR(a) ? cidr(a).ip() == cidr(a).masked().ip()"
          + " : (a.contains('-') ? (a.split('-').size() == 2"
          + " && isIP(a.split('-')[0].trim()) && isIP(a.split('-')[1].trim())"
          + " && ip(a.split('-')[0].trim()).family() == ip(a.split('-')[1].trim()).family())"
          + " : isIP(a)))";

  static final String POOL_ENTRY_MSG =
      "every entry must be a CIDR without host bits set (192.0.2.0/28), a range of one family"
          + " (192.0.2.10-192.0.2.20) or an address";

  /** The 33 contiguous IPv4 netmasks. */
  static final String IS_NETMASK =
      "self in ['0.0.0.0', '128.0.0.0', '192.0.0.0', '224.0.0.0', '240.0.0.0', '248.0.0.0',"
          + " '252.0.0.0', '254.0.0.0', '255.0.0.0', '255.128.0.0', '255.192.0.0', '255.224.0.0',"
          + " '255.240.0.0', '255.248.0.0', '255.252.0.0', '255.254.0.0', '255.255.0.0',"
          + " '255.255.128.0', '255.255.192.0', '255.255.224.0', '255.255.240.0', '255.255.248.0',"
          + " '255.255.252.0', '255.255.254.0', '255.255.255.0', '255.255.255.128',"
          + " '255.255.255.192', '255.255.255.224', '255.255.255.240', '255.255.255.248',"
          + " '255.255.255.252', '255.255.255.254', '255.255.255.255']";

  static final String IS_NETMASK_MSG =
      "must be a contiguous IPv4 netmask such as 255.255.255.0 (or use prefixLength)";

  static final String NON_EMPTY_SELECTOR =
      "(has(self.matchLabels) && size(self.matchLabels) > 0)"
          + " || (has(self.matchExpressions) && size(self.matchExpressions) > 0)";
  static final String NON_EMPTY_SELECTOR_MSG =
      "must select director nodes by at least one label or expression; an empty selector would"
          + " make every node a director";

  static final String FORWARDING_KNOWN = "self in ['DirectRouting', 'Tunnel', 'Masquerade']";
  static final String FORWARDING_KNOWN_MSG =
      "unknown forwarding method: LVS knows DirectRouting, Tunnel and Masquerade";
  static final String FORWARDING_IMPLEMENTED = "!(self in ['Tunnel', 'Masquerade'])";
  static final String FORWARDING_IMPLEMENTED_MSG =
      "Tunnel and Masquerade forwarding are not implemented yet; only DirectRouting is supported";

  static final String NETMASK_OR_PREFIX = "!(has(self.netmask) && has(self.prefixLength))";
  static final String NETMASK_OR_PREFIX_MSG = "set either netmask or prefixLength, not both";

  static final String NETMASK_IPV4_ONLY =
      "!has(self.persistence) || !has(self.persistence.netmask) || !isIP(self.vip)"
          + " || ip(self.vip).family() == 4";
  static final String NETMASK_IPV4_ONLY_MSG =
      "netmask applies to IPv4 VIPs only; use prefixLength for an IPv6 VIP";

  static final String PREFIX_FITS_FAMILY =
      "!has(self.persistence) || !has(self.persistence.prefixLength) || !isIP(self.vip)"
          + " || ip(self.vip).family() == 6 || self.persistence.prefixLength <= 32";
  static final String PREFIX_FITS_FAMILY_MSG = "prefixLength must be 0-32 for an IPv4 VIP";

  /** The kernel refuses an IPv6 service whose persistence prefix is 0 (EINVAL). */
  static final String PREFIX_IPV6_NOT_ZERO =
      "!has(self.persistence) || !has(self.persistence.prefixLength) || !isIP(self.vip)"
          + " || ip(self.vip).family() == 4 || self.persistence.prefixLength >= 1";

  static final String PREFIX_IPV6_NOT_ZERO_MSG =
      "prefixLength must be 1-128 for an IPv6 VIP (the kernel refuses 0)";

  static final String WEIGHT_NEEDS_ENABLED =
      "!has(self.weight) || (has(self.enabled) && self.enabled)";
  static final String WEIGHT_NEEDS_ENABLED_MSG =
      "weight is set but enabled is not true: set enabled: true to make the director serve"
          + " requests itself, or remove weight";

  static final String ADDRESS_OR_NODE = "has(self.address) || has(self.nodeName)";
  static final String ADDRESS_OR_NODE_MSG =
      "set address (a real server outside the cluster) or nodeName (a cluster node, whose"
          + " InternalIP is used), or both";

  /**
   * The kernel refuses a lower threshold above the upper one (ERANGE), also when the upper one is 0
   * (no limit) or unset: a lower threshold needs an upper one above it.
   */
  static final String THRESHOLDS_ORDERED =
      "!has(self.lowerThreshold) || self.lowerThreshold == 0 || (has(self.upperThreshold)"
          + " && self.lowerThreshold < self.upperThreshold)";

  static final String THRESHOLDS_ORDERED_MSG =
      "lowerThreshold must be below upperThreshold, which must then be set (the kernel resumes a"
          + " server when its connections fall under the lower threshold, and refuses a lower"
          + " threshold above the upper one)";
}

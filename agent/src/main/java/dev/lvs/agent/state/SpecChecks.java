package dev.lvs.agent.state;

import dev.lvs.operator.api.v1alpha1.LocalNode;
import dev.lvs.operator.api.v1alpha1.Persistence;
import dev.lvs.operator.api.v1alpha1.RealServerSpec;
import dev.lvs.operator.api.v1alpha1.VirtualServiceSpec;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The checks of the values the agent programs, made again for objects no API server has checked
 * (standalone manifests): what the CRD schema bounds, what the IPVS records ({@code
 * IpvsDestination}, {@code ServiceKey}, {@link Ips#ipv4Mask(int)}) would throw on, and what the
 * kernel refuses (an IPv6 persistence prefix of 0, a lower threshold above the upper one). Each
 * problem names the field: {@code "spec.weight -5 is out of range 0..65535"}.
 */
final class SpecChecks {
  private SpecChecks() {}

  static final int MAX_WEIGHT = 65535;
  static final int MAX_PORT = 65535;
  static final int MAX_TIMEOUT_SECONDS = 2592000;

  /** The problems of a VirtualService's spec; empty when the agent can program it. */
  static List<String> virtualService(VirtualServiceSpec spec) {
    List<String> problems = new ArrayList<>();
    Optional<InetAddress> vip = Ips.parse(spec.getVip());
    if (vip.isEmpty()) {
      problems.add(address("spec.vip", spec.getVip()));
    }
    if (spec.getPort() == null) {
      problems.add("spec.port is missing");
    } else {
      range(problems, "spec.port", spec.getPort(), 1, MAX_PORT, "");
    }
    LocalNode local = spec.getLocalNode();
    if (local != null && local.getWeight() != null) {
      range(problems, "spec.localNode.weight", local.getWeight(), 0, MAX_WEIGHT, "");
    }
    if (spec.getPersistence() != null && vip.isPresent()) {
      persistence(problems, spec.getPersistence(), Ips.isIpv6(vip.get()));
    }
    return problems;
  }

  private static void persistence(List<String> problems, Persistence p, boolean ipv6) {
    if (p.getTimeoutSeconds() == null) {
      return; // not persistent
    }
    range(
        problems,
        "spec.persistence.timeoutSeconds",
        p.getTimeoutSeconds(),
        1,
        MAX_TIMEOUT_SECONDS,
        "");
    if (p.getNetmask() != null) {
      if (ipv6) {
        problems.add(
            "spec.persistence.netmask applies to IPv4 VIPs only; use prefixLength for an IPv6 VIP");
      } else if (Ips.ipv4Mask(p.getNetmask()).isEmpty()) {
        problems.add(
            "spec.persistence.netmask " + p.getNetmask() + " is not a contiguous IPv4 netmask");
      }
    } else if (p.getPrefixLength() != null) {
      // The kernel refuses an IPv6 service with prefix 0 (EINVAL); IPv4 mask 0 is fine.
      range(
          problems,
          "spec.persistence.prefixLength",
          p.getPrefixLength(),
          ipv6 ? 1 : 0,
          ipv6 ? 128 : 32,
          ipv6 ? " for an IPv6 VIP" : " for an IPv4 VIP");
    }
  }

  /** The problems of a RealServer's spec; empty when the agent can program it. */
  static List<String> realServer(RealServerSpec spec) {
    List<String> problems = new ArrayList<>();
    if (spec.getAddress() != null && Ips.parse(spec.getAddress()).isEmpty()) {
      problems.add(address("spec.address", spec.getAddress()));
    }
    if (spec.getWeight() != null) {
      range(problems, "spec.weight", spec.getWeight(), 0, MAX_WEIGHT, "");
    }
    int upper = spec.getUpperThreshold() == null ? 0 : spec.getUpperThreshold();
    int lower = spec.getLowerThreshold() == null ? 0 : spec.getLowerThreshold();
    if (upper < 0) {
      problems.add("spec.upperThreshold " + upper + " must not be negative");
    }
    if (lower < 0) {
      problems.add("spec.lowerThreshold " + lower + " must not be negative");
    }
    if (upper >= 0 && lower > upper) {
      // ip_vs_add_dest/ip_vs_edit_dest: l_threshold > u_threshold is ERANGE, even for u 0.
      problems.add(
          "spec.lowerThreshold "
              + lower
              + " is above spec.upperThreshold "
              + upper
              + " (0 when unset), which the kernel refuses");
    }
    return problems;
  }

  private static String address(String field, String value) {
    return field + (value == null ? "" : " " + value) + " " + Ips.problem(value).orElse("");
  }

  private static void range(
      List<String> problems, String field, int value, int min, int max, String context) {
    if (value < min || value > max) {
      problems.add(field + " " + value + " is out of range " + min + ".." + max + context);
    }
  }
}

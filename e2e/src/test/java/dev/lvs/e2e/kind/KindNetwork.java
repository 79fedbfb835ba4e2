package dev.lvs.e2e.kind;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code docker network inspect kind} says about the L2 segment of the kind system: its IPv4
 * subnets and gateways, and the IPv4 address of every container on it. Used to check the state
 * {@code e2e/kind/up} wrote before a test relies on it: the VIP must be free and on the segment.
 */
public record KindNetwork(
    String name, List<String> ipv4Subnets, List<String> gateways, Map<String, String> containers) {

  private static final Pattern IPV4 =
      Pattern.compile("^(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})$");

  /** Parses the output of {@code docker network inspect NAME}: a JSON array of one network. */
  public static KindNetwork parse(String json) {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not docker network inspect output: " + e.getMessage());
    }
    if (root == null || !root.isArray() || root.size() != 1) {
      throw new IllegalArgumentException("expected a JSON array of one network, got: " + json);
    }
    JsonNode net = root.get(0);
    List<String> subnets = new ArrayList<>();
    List<String> gateways = new ArrayList<>();
    for (JsonNode c : net.path("IPAM").path("Config")) {
      String subnet = c.path("Subnet").asText("");
      String address = subnet.contains("/") ? subnet.substring(0, subnet.indexOf('/')) : "";
      if (IPV4.matcher(address).matches()) {
        subnets.add(subnet);
        String gateway = c.path("Gateway").asText("");
        if (!gateway.isEmpty()) {
          gateways.add(gateway);
        }
      }
    }
    Map<String, String> containers = new LinkedHashMap<>();
    for (JsonNode c : net.path("Containers")) {
      String address = c.path("IPv4Address").asText("");
      if (!address.isEmpty()) {
        containers.put(c.path("Name").asText(), address.replaceFirst("/.*", ""));
      }
    }
    return new KindNetwork(
        net.path("Name").asText(), List.copyOf(subnets), List.copyOf(gateways), containers);
  }

  /** Whether {@code address} (IPv4) is in one of the network's IPv4 subnets. */
  public boolean onSegment(String address) {
    return ipv4Subnets.stream().anyMatch(s -> contains(s, address));
  }

  /**
   * What is wrong with running the suite here with {@code vip} and the hosts at {@code addresses}
   * (host name, which is the container's name, to its address): empty when nothing is.
   */
  public List<String> problems(String vip, Map<String, String> addresses) {
    List<String> problems = new ArrayList<>();
    if (ipv4Subnets.isEmpty()) {
      problems.add("Docker network " + name + " has no IPv4 subnet");
      return problems;
    }
    if (!IPV4.matcher(vip).matches()) {
      problems.add("the VIP " + vip + " is not an IPv4 address");
    } else if (!onSegment(vip)) {
      problems.add("the VIP " + vip + " is not in network " + name + "'s " + ipv4Subnets);
    }
    if (gateways.contains(vip)) {
      problems.add("the VIP " + vip + " is network " + name + "'s gateway");
    }
    containers.forEach(
        (container, address) -> {
          if (address.equals(vip)) {
            problems.add("the VIP " + vip + " is container " + container + "'s address");
          }
        });
    addresses.forEach(
        (host, address) -> {
          String actual = containers.get(host);
          if (actual == null) {
            problems.add("container " + host + " is not on network " + name);
          } else if (!actual.equals(address)) {
            problems.add(host + " is at " + actual + " on network " + name + ", not " + address);
          }
        });
    return problems;
  }

  /** Whether IPv4 {@code cidr} contains IPv4 {@code address}. */
  static boolean contains(String cidr, String address) {
    int slash = cidr.indexOf('/');
    if (slash < 0) {
      throw new IllegalArgumentException("not a CIDR: " + cidr);
    }
    int bits = Integer.parseInt(cidr.substring(slash + 1));
    if (bits < 0 || bits > 32) {
      throw new IllegalArgumentException("not a CIDR: " + cidr);
    }
    long mask = bits == 0 ? 0 : (0xffffffffL << (32 - bits)) & 0xffffffffL;
    return (ipv4(cidr.substring(0, slash)) & mask) == (ipv4(address) & mask);
  }

  /** An IPv4 address as an unsigned 32-bit number. */
  static long ipv4(String address) {
    Matcher m = IPV4.matcher(address);
    if (!m.matches()) {
      throw new IllegalArgumentException("not an IPv4 address: " + address);
    }
    long n = 0;
    for (int i = 1; i <= 4; i++) {
      int octet = Integer.parseInt(m.group(i));
      if (octet > 255) {
        throw new IllegalArgumentException("not an IPv4 address: " + address);
      }
      n = (n << 8) | octet;
    }
    return n;
  }
}

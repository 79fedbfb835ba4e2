package dev.lvs.e2e.kind;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The hosts {@code e2e/kind/up} wrote to its state directory's {@code topology} file: one line per
 * host, {@code NAME ADDRESS ROLE}, where ROLE is {@code director}, {@code real-server} or {@code
 * client}; {@code #} starts a comment line. The real servers keep the file's order.
 *
 * @param addresses every host's address, in the file's order
 */
public record KindTopology(
    String director, List<String> realServers, String client, Map<String, String> addresses) {

  public static KindTopology parse(List<String> lines) {
    String director = null;
    String client = null;
    List<String> realServers = new ArrayList<>();
    Map<String, String> addresses = new LinkedHashMap<>();
    for (String line : lines) {
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        continue;
      }
      String[] f = trimmed.split("\\s+");
      if (f.length != 3) {
        throw new IllegalArgumentException("topology: expected NAME ADDRESS ROLE: " + line);
      }
      if (addresses.put(f[0], f[1]) != null) {
        throw new IllegalArgumentException("topology: " + f[0] + " is listed twice");
      }
      switch (f[2]) {
        case "director" -> director = once(director, f[0], "director");
        case "client" -> client = once(client, f[0], "client");
        case "real-server" -> realServers.add(f[0]);
        default -> throw new IllegalArgumentException("topology: unknown role: " + line);
      }
    }
    if (director == null || client == null || realServers.size() != 2) {
      throw new IllegalArgumentException(
          "topology: expected a director, two real servers and a client, got director "
              + director
              + ", real servers "
              + realServers
              + ", client "
              + client);
    }
    return new KindTopology(
        director, List.copyOf(realServers), client, Collections.unmodifiableMap(addresses));
  }

  private static String once(String previous, String host, String role) {
    if (previous != null) {
      throw new IllegalArgumentException("topology: two hosts are the " + role);
    }
    return host;
  }

  /** The nodes: the director, then the real servers. */
  public List<String> nodes() {
    List<String> nodes = new ArrayList<>(List.of(director));
    nodes.addAll(realServers);
    return List.copyOf(nodes);
  }
}

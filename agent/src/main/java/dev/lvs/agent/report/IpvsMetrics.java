package dev.lvs.agent.report;

import dev.lvs.agent.ipvs.DestinationEntry;
import dev.lvs.agent.ipvs.IpvsStats;
import dev.lvs.agent.ipvs.ServiceEntry;
import dev.lvs.agent.ipvs.ServiceKey;
import dev.lvs.agent.state.Ownership;
import dev.lvs.agent.sync.KernelReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * IPVS counters of the services the agent owns, as the sync's last kernel read found them ({@link
 * KernelReader.IpvsReadListener}): a scrape never asks the kernel, so it neither waits for the
 * kernel lock nor lets an anonymous client keep IPVS busy with dumps. The counters are as old as
 * that read (a full resync reads the kernel, every {@code --resync-period}); {@code
 * lvs_ipvs_counters_read_timestamp_seconds} says when it was. Services owned by anything else are
 * not exported.
 */
public final class IpvsMetrics implements KernelReader.IpvsReadListener {
  private record Read(
      List<ServiceEntry> services,
      Map<ServiceKey, List<DestinationEntry>> destinations,
      long epochSeconds) {}

  private final Supplier<Ownership> ownership;
  private volatile Read last = new Read(List.of(), Map.of(), 0);

  public IpvsMetrics(Supplier<Ownership> ownership) {
    this.ownership = ownership;
  }

  @Override
  public void kernelRead(
      List<ServiceEntry> services, Map<ServiceKey, List<DestinationEntry>> destinations) {
    last =
        new Read(
            List.copyOf(services),
            Map.copyOf(destinations),
            java.time.Instant.now().getEpochSecond());
  }

  void write(PrometheusText t) {
    Read read = last;
    Set<ServiceKey> owned = ownership.get().services();
    List<ServiceEntry> services = new ArrayList<>();
    Map<ServiceKey, List<DestinationEntry>> destinations = new LinkedHashMap<>();
    for (ServiceEntry s : read.services()) {
      ServiceKey key = s.service().key();
      if (owned.contains(key)) {
        services.add(s);
        destinations.put(key, read.destinations().getOrDefault(key, List.of()));
      }
    }
    t.header(
            "lvs_ipvs_counters_read_timestamp_seconds",
            "gauge",
            "When the IPVS counters below were read from the kernel (the last full read of a"
                + " sync); 0 before the first.")
        .sample("lvs_ipvs_counters_read_timestamp_seconds", read.epochSeconds());
    String[][] counters = {
      {"connections", "Connections scheduled."},
      {"packets_in", "Packets in."},
      {"packets_out", "Packets out (zero in Direct Routing: replies bypass the director)."},
      {"bytes_in", "Bytes in."},
      {"bytes_out", "Bytes out."}
    };
    for (String[] c : counters) {
      String name = "lvs_ipvs_service_" + c[0] + "_total";
      t.header(name, "counter", c[1] + " Per IPVS service the agent owns.");
      for (ServiceEntry s : services) {
        t.sample(name, serviceLabels(s.service().key()), counter(s.stats(), c[0]));
      }
    }
    for (String[] c : counters) {
      String name = "lvs_ipvs_destination_" + c[0] + "_total";
      t.header(name, "counter", c[1] + " Per destination of a service the agent owns.");
      destinations.forEach(
          (key, dests) -> {
            for (DestinationEntry d : dests) {
              t.sample(name, destinationLabels(key, d), counter(d.stats(), c[0]));
            }
          });
    }
    t.header(
        "lvs_ipvs_destination_active_connections", "gauge", "Active (established) connections.");
    destinations.forEach(
        (key, dests) ->
            dests.forEach(
                d ->
                    t.sample(
                        "lvs_ipvs_destination_active_connections",
                        destinationLabels(key, d),
                        d.activeConnections())));
    t.header(
        "lvs_ipvs_destination_inactive_connections",
        "gauge",
        "Inactive connections (e.g. FIN_WAIT, TIME_WAIT).");
    destinations.forEach(
        (key, dests) ->
            dests.forEach(
                d ->
                    t.sample(
                        "lvs_ipvs_destination_inactive_connections",
                        destinationLabels(key, d),
                        d.inactiveConnections())));
  }

  private static long counter(IpvsStats s, String which) {
    IpvsStats stats = s == null ? IpvsStats.ZERO : s;
    return switch (which) {
      case "connections" -> stats.connections();
      case "packets_in" -> stats.inPackets();
      case "packets_out" -> stats.outPackets();
      case "bytes_in" -> stats.inBytes();
      case "bytes_out" -> stats.outBytes();
      default -> throw new IllegalArgumentException(which);
    };
  }

  private static Map<String, String> serviceLabels(ServiceKey key) {
    Map<String, String> l = new LinkedHashMap<>();
    l.put("protocol", ServiceKey.protocolName(key.protocol()));
    l.put("vip", key.address() == null ? "" : key.address().getHostAddress());
    l.put("port", Integer.toString(key.port()));
    return l;
  }

  private static Map<String, String> destinationLabels(ServiceKey key, DestinationEntry d) {
    Map<String, String> l = serviceLabels(key);
    l.put("destination", d.destination().address().getHostAddress());
    l.put("destination_port", Integer.toString(d.destination().port()));
    return l;
  }
}

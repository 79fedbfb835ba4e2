package dev.lvs.agent.fake;

import dev.lvs.agent.sysctl.Sysctls;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/** In-memory /proc/sys with kernel defaults for the parameters the agent touches. */
public final class FakeSysctls implements Sysctls {
  private final Map<String, String> values = new HashMap<>();
  private Predicate<String> failing = p -> false;

  public FakeSysctls() {
    for (String iface : new String[] {"all", "default", "lo", "eth0"}) {
      values.put("net/ipv4/conf/" + iface + "/arp_ignore", "0");
      values.put("net/ipv4/conf/" + iface + "/arp_announce", "0");
    }
    values.put("net/ipv4/vs/expire_nodest_conn", "0");
    values.put("net/ipv4/vs/expire_quiescent_template", "0");
    values.put("net/ipv4/vs/conn_reuse_mode", "1");
  }

  public Map<String, String> values() {
    return values;
  }

  /** Makes writes of matching paths fail, as a read-only /proc/sys or an LSM denial does. */
  public void failWritesWhen(Predicate<String> pathMatches) {
    failing = pathMatches;
  }

  public String get(String path) {
    return values.get(path);
  }

  @Override
  public Optional<String> read(String path) {
    return Optional.ofNullable(values.get(path));
  }

  @Override
  public void write(String path, String value) throws IOException {
    if (!values.containsKey(path)) {
      throw new IOException("no such sysctl " + path);
    }
    if (failing.test(path)) {
      throw new IOException("/proc/sys/" + path + ": Read-only file system (EROFS, injected)");
    }
    values.put(path, value);
  }
}

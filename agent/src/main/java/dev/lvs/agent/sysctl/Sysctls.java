package dev.lvs.agent.sysctl;

import java.io.IOException;
import java.util.Optional;

/**
 * Kernel parameters under /proc/sys, addressed by their path relative to /proc/sys (e.g. {@code
 * net/ipv4/conf/lo/arp_ignore}), which, unlike the dotted form, survives interface names that
 * contain dots.
 */
public interface Sysctls {

  /** The trimmed value, or empty when the parameter does not exist (e.g. IPVS not loaded). */
  Optional<String> read(String path) throws IOException;

  /** Writes a value and reads it back; fails when the kernel kept another value. */
  void write(String path, String value) throws IOException;
}

package dev.lvs.agent.netlink;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Guard for privileged tests: they run only in the network namespace netns-java made. */
public final class NetnsSandbox {
  private NetnsSandbox() {}

  /** Skips the test unless it runs in a throw-away network namespace (or the qemu guest). */
  public static void assumeSandbox() {
    assumeTrue(
        "1".equals(System.getenv("LVS_NETNS_SANDBOX")) || "1".equals(System.getenv("LVS_IN_GUEST")),
        "privileged test: run through src/test/sh/netns-java (mvn -Pintegration-tests verify)");
  }
}

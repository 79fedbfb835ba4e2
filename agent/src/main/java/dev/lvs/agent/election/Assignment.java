package dev.lvs.agent.election;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The deterministic choice of the active director of a VIP, which every agent computes alike from
 * the same inputs: rendezvous (highest random weight) hashing of (VIP, node) over the eligible
 * directors. It needs no coordination and no write per VIP; it does not depend on the order of the
 * nodes; and when a director joins or leaves, only the VIPs it wins or held move (about 1/n of
 * them), the others stay where they are.
 *
 * <p>No preemption: a director whose Lease tenure is younger than {@code rebalanceAfter} is chosen
 * only when no mature director is eligible, so a director that restarts or recovers takes back no
 * VIP until it has been up for that long (or until it is the only one left).
 */
public final class Assignment {
  private Assignment() {}

  /** The active director for {@code vip} among {@code eligible}, or empty when none is. */
  public static Optional<String> activeFor(
      String vip,
      Collection<String> eligible,
      Map<String, Instant> acquired,
      Instant now,
      Duration rebalanceAfter) {
    Instant matureBefore = now.minus(rebalanceAfter);
    List<String> mature =
        eligible.stream()
            .filter(n -> !acquired.getOrDefault(n, Instant.EPOCH).isAfter(matureBefore))
            .toList();
    Collection<String> candidates = mature.isEmpty() ? eligible : mature;
    String best = null;
    long bestScore = 0;
    for (String node : candidates) {
      long score = score(vip, node);
      if (best == null
          || Long.compareUnsigned(score, bestScore) > 0
          || (score == bestScore && node.compareTo(best) < 0)) {
        best = node;
        bestScore = score;
      }
    }
    return Optional.ofNullable(best);
  }

  /** A stable 64-bit weight of the pair: the first 8 bytes of SHA-256("vip|node"). */
  static long score(String vip, String node) {
    byte[] h = sha256().digest((vip + "|" + node).getBytes(StandardCharsets.UTF_8));
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (h[i] & 0xff);
    }
    return v;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }
}

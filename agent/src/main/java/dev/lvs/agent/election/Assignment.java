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
 * <p>No preemption: a director that holds a VIP keeps it while the preferred director's Lease
 * tenure is younger than {@code rebalanceAfter}, so a director that restarts or recovers takes back
 * no VIP until it has been up for that long.
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
    return activeFor(vip, eligible, List.of(), acquired, now, rebalanceAfter);
  }

  /**
   * The active director for {@code vip}: the preferred one (highest hash among the eligible), but a
   * director that holds the VIP now keeps it (no preemption) until the preferred one has held its
   * Lease for {@code rebalanceAfter} (the rebalance); {@link Duration#ZERO} preempts at once.
   *
   * @param holders the eligible directors that hold the VIP now, as their Leases say
   */
  public static Optional<String> activeFor(
      String vip,
      Collection<String> eligible,
      Collection<String> holders,
      Map<String, Instant> acquired,
      Instant now,
      Duration rebalanceAfter) {
    Optional<String> preferred = highest(vip, eligible);
    if (preferred.isEmpty()) {
      return preferred;
    }
    List<String> holding = holders.stream().filter(eligible::contains).toList();
    if (holding.isEmpty() || holding.contains(preferred.get())) {
      return preferred;
    }
    Instant tenure = acquired.getOrDefault(preferred.get(), Instant.EPOCH);
    boolean mature = !tenure.isAfter(now.minus(rebalanceAfter));
    return mature ? preferred : highest(vip, holding);
  }

  private static Optional<String> highest(String vip, Collection<String> candidates) {
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

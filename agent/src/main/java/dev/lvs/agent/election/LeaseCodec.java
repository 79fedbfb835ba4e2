package dev.lvs.agent.election;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * A director's Lease: {@code lvs-director-<node>} in the agents' namespace, labelled {@value
 * #LABEL}, holder the node name. Besides the Lease fields it carries, in annotations, what the
 * peers need to decide alike: the VIP families the director can hold, why it can hold none (if so),
 * and the VIPs it holds now. Only the director's own agent writes it.
 */
public final class LeaseCodec {
  public static final String LABEL = "lvs.dev/director-lease";
  public static final String NAME_PREFIX = "lvs-director-";
  public static final String FAMILIES = "lvs.dev/families";
  public static final String HELD_VIPS = "lvs.dev/held-vips";
  public static final String UNBOUNDED_VIPS = "lvs.dev/held-vips-unbounded";
  public static final String INELIGIBLE = "lvs.dev/ineligible";

  private LeaseCodec() {}

  public static String name(String node) {
    return NAME_PREFIX + node;
  }

  /** The Lease as read, or empty when it is not a director Lease (no holder). */
  public static Optional<LeaseView> read(Lease lease) {
    LeaseSpec spec = lease.getSpec();
    if (spec == null || spec.getHolderIdentity() == null || spec.getHolderIdentity().isBlank()) {
      return Optional.empty();
    }
    Map<String, String> a =
        lease.getMetadata().getAnnotations() == null
            ? Map.of()
            : lease.getMetadata().getAnnotations();
    return Optional.of(
        new LeaseView(
            spec.getHolderIdentity(),
            list(a.get(FAMILIES)),
            list(a.get(HELD_VIPS)),
            list(a.get(UNBOUNDED_VIPS)),
            spec.getAcquireTime() == null ? null : spec.getAcquireTime().toInstant(),
            blankToNull(a.get(INELIGIBLE))));
  }

  /** What changes on each renewal: the liveness version. */
  public static String renewVersion(Lease lease) {
    LeaseSpec spec = lease.getSpec();
    return spec == null || spec.getRenewTime() == null ? "" : spec.getRenewTime().toString();
  }

  /** This director's Lease as it should be after a renewal at {@code now}. */
  public static Lease render(
      String namespace,
      String node,
      Duration leaseDuration,
      Instant acquired,
      Instant now,
      Set<String> families,
      Set<String> heldVips,
      Set<String> unboundedVips,
      String ineligible) {
    Map<String, String> annotations = new LinkedHashMap<>();
    annotations.put(FAMILIES, String.join(",", new TreeSet<>(families)));
    annotations.put(HELD_VIPS, String.join(",", new TreeSet<>(heldVips)));
    annotations.put(UNBOUNDED_VIPS, String.join(",", new TreeSet<>(unboundedVips)));
    annotations.put(INELIGIBLE, ineligible == null ? "" : ineligible);
    ObjectMeta meta = new ObjectMeta();
    meta.setName(name(node));
    meta.setNamespace(namespace);
    meta.setLabels(Map.of(LABEL, "true"));
    meta.setAnnotations(annotations);
    LeaseSpec spec = new LeaseSpec();
    spec.setHolderIdentity(node);
    spec.setLeaseDurationSeconds((int) Math.max(1, (leaseDuration.toMillis() + 999) / 1000));
    spec.setAcquireTime(ZonedDateTime.ofInstant(acquired, ZoneOffset.UTC));
    spec.setRenewTime(ZonedDateTime.ofInstant(now, ZoneOffset.UTC));
    Lease lease = new Lease();
    lease.setMetadata(meta);
    lease.setSpec(spec);
    return lease;
  }

  /**
   * The tenure to keep when an agent starts and finds its node's Lease: the old acquireTime if the
   * Lease was renewed less than a lease duration ago (a quick restart is no new tenure, so it costs
   * no maturity), else {@code now}.
   */
  public static Instant tenure(Lease existing, String node, Duration leaseDuration, Instant now) {
    if (existing == null || existing.getSpec() == null) {
      return now;
    }
    LeaseSpec spec = existing.getSpec();
    if (!node.equals(spec.getHolderIdentity())
        || spec.getRenewTime() == null
        || spec.getAcquireTime() == null) {
      return now;
    }
    Instant renewed = spec.getRenewTime().toInstant();
    return renewed.plus(leaseDuration).isAfter(now) ? spec.getAcquireTime().toInstant() : now;
  }

  private static Set<String> list(String csv) {
    if (csv == null || csv.isBlank()) {
      return Set.of();
    }
    return Arrays.stream(csv.split(","))
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}

package dev.lvs.agent.state;

import dev.lvs.operator.api.v1alpha1.LvsApi;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * How this node takes part in one VirtualService, and what went wrong in computing it: the raw
 * material of the node's report in {@code status.nodes.<node>}.
 *
 * @param roles {@link LvsApi#ROLE_DIRECTOR} and/or {@link LvsApi#ROLE_REAL_SERVER}
 * @param realServerGenerations directors only: RealServer name to the generation programmed
 * @param quiescedRealServers directors only: RealServer name to why it is programmed with weight 0
 *     (its node is not Ready); each is also in {@code realServerGenerations}
 */
public record Involvement(
    ObjectRef virtualService,
    Long generation,
    SortedSet<String> roles,
    SortedMap<String, Long> realServerGenerations,
    SortedMap<String, String> quiescedRealServers,
    List<Problem> problems) {
  public Involvement {
    roles = Collections.unmodifiableSortedSet(new TreeSet<>(roles));
    realServerGenerations = Collections.unmodifiableSortedMap(new TreeMap<>(realServerGenerations));
    quiescedRealServers = Collections.unmodifiableSortedMap(new TreeMap<>(quiescedRealServers));
    problems = List.copyOf(problems);
  }

  public static Involvement of(
      ObjectRef vs, Long generation, Set<String> roles, Map<String, Long> generations) {
    return new Involvement(
        vs,
        generation,
        new TreeSet<>(roles),
        new TreeMap<>(generations),
        new TreeMap<>(),
        List.of());
  }

  public boolean isDirector() {
    return roles.contains(LvsApi.ROLE_DIRECTOR);
  }

  public boolean isRealServer() {
    return roles.contains(LvsApi.ROLE_REAL_SERVER);
  }

  public boolean hasConflict() {
    return problems.stream().anyMatch(p -> p.kind() == Problem.Kind.CONFLICT);
  }
}

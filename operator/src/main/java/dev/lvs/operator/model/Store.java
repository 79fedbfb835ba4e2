package dev.lvs.operator.model;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Read access to the objects of one kind: by name, all of them, and by an index of {@link Indexes}.
 * In the operator a store is an informer cache, whose indexes the informer keeps current as events
 * arrive; {@link #of} makes an in-memory one (tests, and the list constructor of {@link
 * ClusterView}).
 */
public interface Store<R extends HasMetadata> {

  /** The object, by namespace (null for cluster-scoped kinds) and name. */
  Optional<R> get(String namespace, String name);

  /** Every object. */
  Stream<R> list();

  /** The objects an index files under {@code key}; the index must be one the store was given. */
  List<R> byIndex(String index, String key);

  /** An immutable in-memory store of {@code objects}, indexed by {@code indexers}. */
  static <R extends HasMetadata> Store<R> of(
      Collection<? extends R> objects, Map<String, Function<R, List<String>>> indexers) {
    Map<String, R> byId = new LinkedHashMap<>();
    for (R r : objects) {
      byId.put(id(r.getMetadata().getNamespace(), r.getMetadata().getName()), r);
    }
    // Buckets hold ids: hashing a custom resource hashes all of it.
    Map<String, Map<String, Set<String>>> indexes = new HashMap<>();
    indexers.forEach(
        (name, fn) -> {
          Map<String, Set<String>> index = new HashMap<>();
          byId.forEach(
              (id, r) -> {
                for (String key : fn.apply(r)) {
                  index.computeIfAbsent(key, k -> new LinkedHashSet<>()).add(id);
                }
              });
          indexes.put(name, index);
        });
    return new Store<>() {
      @Override
      public Optional<R> get(String namespace, String name) {
        return Optional.ofNullable(byId.get(id(namespace, name)));
      }

      @Override
      public Stream<R> list() {
        return byId.values().stream();
      }

      @Override
      public List<R> byIndex(String index, String key) {
        Map<String, Set<String>> i = indexes.get(index);
        if (i == null) {
          throw new IllegalArgumentException("no index " + index);
        }
        return i.getOrDefault(key, Set.of()).stream().map(byId::get).toList();
      }
    };
  }

  private static String id(String namespace, String name) {
    return Objects.toString(namespace, "") + "/" + name;
  }
}

package dev.lvs.operator.reconciler;

import dev.lvs.operator.model.Store;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.IndexedResourceCache;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** JOSDK caches as the operator's {@link Store}s. */
public final class Caches {
  private Caches() {}

  /**
   * An informer event source or a primary cache as a {@link Store}. Lookups by name also see the
   * controller's own recent writes that JOSDK caches; the indexes are the informer's.
   */
  public static <R extends HasMetadata> Store<R> store(IndexedResourceCache<R> cache) {
    return new Store<>() {
      @Override
      public Optional<R> get(String namespace, String name) {
        return cache.get(new ResourceID(name, namespace));
      }

      @Override
      public Stream<R> list() {
        return cache.list();
      }

      @Override
      public List<R> byIndex(String index, String key) {
        return cache.byIndex(index, key);
      }
    };
  }
}

package dev.lvs.agent.state;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Comparator;
import java.util.Objects;

/** A namespaced object's identity, printed as {@code namespace/name}. */
public record ObjectRef(String namespace, String name) implements Comparable<ObjectRef> {
  private static final Comparator<ObjectRef> ORDER =
      Comparator.comparing(ObjectRef::namespace).thenComparing(ObjectRef::name);

  public ObjectRef {
    Objects.requireNonNull(name, "name");
    namespace = namespace == null ? "" : namespace;
  }

  public static ObjectRef of(HasMetadata object) {
    return new ObjectRef(object.getMetadata().getNamespace(), object.getMetadata().getName());
  }

  @Override
  public int compareTo(ObjectRef o) {
    return ORDER.compare(this, o);
  }

  @Override
  public String toString() {
    return namespace.isEmpty() ? name : namespace + "/" + name;
  }
}

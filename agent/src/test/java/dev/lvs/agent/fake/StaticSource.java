package dev.lvs.agent.fake;

import dev.lvs.agent.source.Snapshot;
import dev.lvs.agent.source.Source;
import dev.lvs.operator.api.v1alpha1.RealServer;
import dev.lvs.operator.api.v1alpha1.VirtualService;
import io.fabric8.kubernetes.api.model.Node;
import java.util.List;

/** A source whose objects and loaded flag the test sets. */
public final class StaticSource implements Source {
  private volatile Snapshot snapshot = Snapshot.EMPTY;
  private volatile boolean synced = true;

  public StaticSource set(List<VirtualService> vs, List<RealServer> rs, List<Node> nodes) {
    snapshot = new Snapshot(vs, rs, nodes);
    return this;
  }

  public StaticSource synced(boolean value) {
    synced = value;
    return this;
  }

  @Override
  public void start(Runnable onChange) {}

  @Override
  public boolean hasSynced() {
    return synced;
  }

  @Override
  public Snapshot snapshot() {
    return snapshot;
  }

  @Override
  public String describe() {
    return "test source";
  }

  @Override
  public void close() {}
}

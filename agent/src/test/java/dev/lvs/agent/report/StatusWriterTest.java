package dev.lvs.agent.report;

import static dev.lvs.agent.fake.TestObjects.director;
import static dev.lvs.agent.fake.TestObjects.node;
import static dev.lvs.agent.fake.TestObjects.rs;
import static dev.lvs.agent.fake.TestObjects.vs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.lvs.agent.fake.FakeAddressClient;
import dev.lvs.agent.fake.FakeIpvsClient;
import dev.lvs.agent.fake.FakeSysctls;
import dev.lvs.agent.fake.StaticSource;
import dev.lvs.agent.state.AgentSettings;
import dev.lvs.agent.state.ObjectRef;
import dev.lvs.agent.state.OwnershipStore;
import dev.lvs.agent.sync.Applier;
import dev.lvs.agent.sync.KernelReader;
import dev.lvs.agent.sync.Syncer;
import dev.lvs.operator.api.v1alpha1.NodeReport;
import dev.lvs.operator.api.v1alpha1.RealServer;
import dev.lvs.operator.api.v1alpha1.VirtualService;
import io.fabric8.kubernetes.api.model.Node;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The status writes of {@link KubernetesStatusReporter} leave the sync thread (issue #17 item 7):
 * with the API server hanging, syncs go on, and once it answers, each object gets its latest state,
 * not every state it went through.
 */
class StatusWriterTest {
  static final List<Node> NODES =
      List.of(director("lb1", "172.16.58.2"), node("rs1", Map.of(), "172.16.58.7"));
  static final List<RealServer> SERVERS = List.of(rs("rs1", "172.16.58.7", "rs1", 2));

  @TempDir Path stateDir;

  /** An API server that hangs until released, then records the applies it got. */
  static final class HangingApi implements KubernetesStatusReporter.StatusApi {
    final CountDownLatch release = new CountDownLatch(1);
    final CountDownLatch hanging = new CountDownLatch(1);
    final List<Map<String, Object>> applied = new CopyOnWriteArrayList<>();

    @Override
    public void apply(String kind, ObjectRef ref, Map<String, Object> status) {
      hanging.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      applied.add(status);
    }

    @Override
    public void clearVips(ObjectRef realServer) {
      apply("RealServer", realServer, Map.of());
    }
  }

  static VirtualService web(long generation) {
    VirtualService v = vs("web", "172.16.58.1", 80, s -> {});
    v.getMetadata().setGeneration(generation);
    return v;
  }

  @Test
  void syncsGoOnWhileTheApiServerHangsAndOnlyTheLatestStateIsWritten() throws Exception {
    HangingApi api = new HangingApi();
    StaticSource source = new StaticSource().set(List.of(web(1)), SERVERS, NODES);
    FakeIpvsClient ipvs = new FakeIpvsClient();
    FakeAddressClient addrs = FakeAddressClient.withEth0("172.16.58.2");
    FakeSysctls sysctls = new FakeSysctls();
    KubernetesStatusReporter reporter =
        new KubernetesStatusReporter(
            api, "lb1", Clock.systemUTC(), new CoalescingWriter("test-status", 1000, 1000));
    Syncer syncer =
        new Syncer(
            "lb1",
            AgentSettings.COMMAND_LINE,
            source,
            new KernelReader(ipvs, addrs, sysctls),
            new Applier(ipvs, addrs, sysctls),
            OwnershipStore.open(stateDir),
            reporter,
            new SyncMetrics(),
            new Object(),
            Clock.systemUTC());
    try {
      syncer.sync();
      assertThat(api.hanging.await(10, TimeUnit.SECONDS)).as("the first write hangs").isTrue();
      assertTimeoutPreemptively(
          Duration.ofSeconds(10),
          () -> {
            for (long g = 2; g <= 20; g++) {
              source.set(List.of(web(g)), SERVERS, NODES);
              syncer.sync();
            }
          },
          "syncs must not wait for the status writer");
      assertThat(syncer.isReady()).isTrue();

      api.release.countDown();
      assertThat(reporter.flush(Duration.ofSeconds(10))).isTrue();
      // The write that hung (generation 1), then the latest state only (generation 20).
      assertThat(api.applied)
          .extracting(s -> ((Map<?, ?>) s.get("nodes")).get("lb1"))
          .extracting(r -> ((NodeReport) r).getObservedGeneration())
          .containsExactly(1L, 20L);
    } finally {
      api.release.countDown();
      reporter.close();
    }
  }
}

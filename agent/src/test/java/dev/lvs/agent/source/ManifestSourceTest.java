package dev.lvs.agent.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestSourceTest {
  @TempDir Path dir;

  static final String WEB =
      """
      apiVersion: lvs.dev/v1alpha1
      kind: VirtualService
      metadata:
        name: web
      spec:
        vip: 172.16.58.1
        port: 80
        directors:
          matchLabels: {lvs.dev/director: "true"}
        realServerSelector:
          matchLabels: {app: web}
      ---
      apiVersion: lvs.dev/v1alpha1
      kind: RealServer
      metadata:
        name: rs1
        namespace: shop
        labels: {app: web}
      spec:
        address: 172.16.58.7
        weight: 2
      ---
      # an empty document and an unrelated kind are fine
      ---
      apiVersion: v1
      kind: ConfigMap
      metadata:
        name: unrelated
      """;

  static final String NODES =
      """
      apiVersion: v1
      kind: Node
      metadata:
        name: lb1
        labels: {lvs.dev/director: "true"}
      status:
        addresses:
        - {type: InternalIP, address: 172.16.58.2}
      """;

  @Test
  void readsMultiDocumentFilesAndNodesIgnoringOtherKindsAndFiles() throws IOException {
    Files.writeString(dir.resolve("web.yaml"), WEB);
    Files.writeString(dir.resolve("nodes.yml"), NODES);
    Files.writeString(dir.resolve("notes.txt"), "not yaml: [");
    Files.writeString(dir.resolve(".hidden.yaml"), "not yaml: [");
    ManifestSource s = new ManifestSource(dir);
    s.reload();
    assertThat(s.hasSynced()).isTrue();
    assertThat(s.problems()).isEmpty();
    Snapshot snap = s.snapshot();
    assertThat(snap.virtualServices())
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.getMetadata().getNamespace()).isEqualTo("default");
              assertThat(v.getSpec().getVip()).isEqualTo("172.16.58.1");
            });
    assertThat(snap.realServers())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.getMetadata().getNamespace()).isEqualTo("shop");
              assertThat(r.getSpec().getWeight()).isEqualTo(2);
            });
    assertThat(snap.nodes())
        .singleElement()
        .satisfies(
            n -> {
              assertThat(n.getMetadata().getLabels()).containsEntry("lvs.dev/director", "true");
              assertThat(n.getStatus().getAddresses().get(0).getAddress()).isEqualTo("172.16.58.2");
            });
  }

  @Test
  void malformedFileIsReportedByNameAndKeepsItsLastGoodContent() throws IOException {
    Files.writeString(dir.resolve("web.yaml"), WEB);
    Files.writeString(dir.resolve("nodes.yaml"), NODES);
    ManifestSource s = new ManifestSource(dir);
    s.reload();

    Files.writeString(dir.resolve("web.yaml"), "kind: VirtualService\n  spec: [oops");
    assertThat(s.reload()).isTrue();
    assertThat(s.problems()).singleElement().asString().startsWith("web.yaml: ");
    assertThat(s.snapshot().virtualServices()).hasSize(1);
    assertThat(s.snapshot().nodes()).hasSize(1);
    assertThat(s.hasSynced()).isTrue();

    Files.delete(dir.resolve("web.yaml"));
    s.reload();
    assertThat(s.problems()).isEmpty();
    assertThat(s.snapshot().virtualServices()).isEmpty();
  }

  @Test
  void aFileBrokenFromTheStartHoldsBackLoading() throws IOException {
    Files.writeString(dir.resolve("nodes.yaml"), NODES);
    Files.writeString(
        dir.resolve("broken.yaml"),
        "apiVersion: lvs.dev/v1alpha1\nkind: VirtualService\nspec: {port: [}");
    ManifestSource s = new ManifestSource(dir);
    s.reload();
    assertThat(s.hasSynced()).isFalse();
    assertThat(s.snapshot().nodes()).hasSize(1);
    assertThat(s.problems()).singleElement().asString().startsWith("broken.yaml: ");
  }

  @Test
  void changesAreWatched() throws IOException {
    AtomicInteger changes = new AtomicInteger();
    ManifestSource s = new ManifestSource(dir);
    try {
      s.start(changes::incrementAndGet);
      assertThat(s.hasSynced()).isTrue();
      Files.writeString(dir.resolve("web.yaml"), WEB);
      await().atMost(Duration.ofSeconds(30)).until(() -> changes.get() > 0);
      assertThat(s.snapshot().virtualServices()).hasSize(1);
    } finally {
      s.close();
    }
  }
}

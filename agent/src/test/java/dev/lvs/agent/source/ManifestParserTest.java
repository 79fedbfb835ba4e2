package dev.lvs.agent.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lvs.operator.api.v1alpha1.RealServer;
import dev.lvs.operator.api.v1alpha1.VirtualService;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class ManifestParserTest {
  final ManifestParser parser = new ManifestParser();

  @Test
  void multiDocumentYamlGivesTheThreeKindsInOrderSkippingEmptyDocumentsAndOtherKinds()
      throws IOException {
    List<HasMetadata> objects =
        parser.parse(ManifestSourceTest.WEB + "---\n" + ManifestSourceTest.NODES);
    assertThat(objects)
        .extracting(h -> h.getClass().getSimpleName() + " " + h.getMetadata().getName())
        .containsExactly("VirtualService web", "RealServer rs1", "Node lb1");
    VirtualService web = (VirtualService) objects.get(0);
    assertThat(web.getMetadata().getNamespace()).isEqualTo("default");
    assertThat(web.getSpec().getPort()).isEqualTo(80);
    assertThat(web.getSpec().getDirectors().getMatchLabels())
        .containsEntry("lvs.dev/director", "true");
    RealServer rs1 = (RealServer) objects.get(1);
    assertThat(rs1.getMetadata().getNamespace()).isEqualTo("shop");
    assertThat(rs1.getMetadata().getLabels()).containsEntry("app", "web");
    Node lb1 = (Node) objects.get(2);
    assertThat(lb1.getMetadata().getNamespace()).isNull();
    assertThat(lb1.getStatus().getAddresses().get(0).getType()).isEqualTo("InternalIP");
  }

  @Test
  void emptyTextAndCommentsGiveNothing() throws IOException {
    assertThat(parser.parse("")).isEmpty();
    assertThat(parser.parse("# nothing\n---\n---\n")).isEmpty();
  }

  @Test
  void otherKindsAndOtherApiVersionsAreSkippedUnchecked() throws IOException {
    assertThat(
            parser.parse(
                """
                apiVersion: lvs.dev/v1beta9
                kind: VirtualService
                metadata: {name: future}
                spec: {whatever: [1, 2]}
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: d}
                spec: {replicas: not-a-number}
                ---
                apiVersion: example.com/v1
                kind: Node
                metadata: {name: not-a-core-node}
                """))
        .isEmpty();
  }

  @Test
  void aDocumentWithoutKindOrApiVersionIsAnError() {
    assertThatThrownBy(() -> parser.parse("apiVersion: v1\nmetadata: {name: x}\n"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("not a Kubernetes object");
    assertThatThrownBy(() -> parser.parse("kind: Node\nmetadata: {name: x}\n"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("not a Kubernetes object");
  }

  @Test
  void aDocumentThatIsNotAMappingIsAnError() {
    assertThatThrownBy(() -> parser.parse("just a string\n"))
        .isInstanceOf(IOException.class)
        .hasMessage("not a Kubernetes object: a YAML string");
    assertThatThrownBy(() -> parser.parse("- a\n- b\n"))
        .isInstanceOf(IOException.class)
        .hasMessage("not a Kubernetes object: a YAML list");
  }

  @Test
  void objectsWithoutANameAreErrorsWhateverTheirKind() {
    assertThatThrownBy(() -> parser.parse("apiVersion: v1\nkind: Node\nmetadata: {labels: {}}\n"))
        .isInstanceOf(IOException.class)
        .hasMessage("Node without metadata.name");
    assertThatThrownBy(() -> parser.parse("apiVersion: v1\nkind: ConfigMap\n"))
        .isInstanceOf(IOException.class)
        .hasMessage("ConfigMap without metadata.name");
  }

  @Test
  void badYamlIsAnError() {
    assertThatThrownBy(() -> parser.parse("kind: VirtualService\n  spec: [oops"))
        .isInstanceOf(RuntimeException.class)
        .hasMessageContaining("mapping values are not allowed here");
    assertThatThrownBy(() -> parser.parse("apiVersion: v1\nkind: Node\nkind: Node\n"))
        .isInstanceOf(RuntimeException.class)
        .hasMessageContaining("duplicate key");
  }

  @Test
  void fieldsThatDoNotFitTheKindAreErrors() {
    assertThatThrownBy(
            () ->
                parser.parse(
                    "apiVersion: lvs.dev/v1alpha1\nkind: VirtualService\nmetadata: {name: x}\n"
                        + "spec: {vip: 10.0.0.1, port: 80, bogus: 1}\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Unrecognized field \"bogus\"");
    // As with fabric8's serialization (its Go-compatible integers): 2.0 is not an integer.
    assertThatThrownBy(
            () ->
                parser.parse(
                    "apiVersion: lvs.dev/v1alpha1\nkind: RealServer\nmetadata: {name: x}\n"
                        + "spec: {address: 10.0.0.7, weight: 2.0}\n"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void anUnknownSchedulerOrProtocolIsAnErrorOfItsFileNotOfTheSync() {
    // Enum fields are bound here: the file is reported and skipped (ManifestSource keeps its last
    // good content), the other files keep syncing; the calculator never sees a bad name.
    assertThatThrownBy(
            () ->
                parser.parse(
                    "apiVersion: lvs.dev/v1alpha1\nkind: VirtualService\nmetadata: {name: x}\n"
                        + "spec: {vip: 10.0.0.1, port: 80, scheduler: fancy}\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("fancy");
    assertThatThrownBy(
            () ->
                parser.parse(
                    "apiVersion: lvs.dev/v1alpha1\nkind: VirtualService\nmetadata: {name: x}\n"
                        + "spec: {vip: 10.0.0.1, port: 80, protocol: ICMP}\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ICMP");
  }

  @Test
  void jsonIsYamlToo() throws IOException {
    assertThat(
            parser.parse(
                "{\"apiVersion\": \"v1\", \"kind\": \"Node\", \"metadata\": {\"name\": \"j\"}}"))
        .singleElement()
        .isInstanceOf(Node.class);
  }

  @Test
  void listsContributeTheirItems() throws IOException {
    List<HasMetadata> objects =
        parser.parse(
            """
            apiVersion: v1
            kind: List
            items:
            - apiVersion: v1
              kind: Node
              metadata: {name: n1}
            - apiVersion: lvs.dev/v1alpha1
              kind: RealServer
              metadata: {name: r1}
              spec: {address: 10.0.0.7}
            ---
            apiVersion: v1
            kind: NodeList
            metadata: {resourceVersion: ""}
            items:
            - apiVersion: v1
              kind: Node
              metadata: {name: n2}
            """);
    assertThat(objects)
        .extracting(h -> h.getKind() + " " + h.getMetadata().getName())
        .containsExactly("Node n1", "RealServer r1", "Node n2");
    assertThat(objects.get(1).getMetadata().getNamespace()).isEqualTo("default");
  }
}

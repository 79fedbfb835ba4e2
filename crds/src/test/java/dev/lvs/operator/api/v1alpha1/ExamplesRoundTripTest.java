package dev.lvs.operator.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every manifest in examples/ parses into the API classes and round-trips YAML → Java → YAML. */
class ExamplesRoundTripTest {

  static List<HasMetadata> loadExamples() throws IOException {
    Path dir = Path.of(System.getProperty("lvs.examples"));
    List<HasMetadata> all = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
        Object parsed = Serialization.unmarshal(Files.readString(f));
        if (parsed instanceof List<?> list) {
          list.forEach(o -> all.add((HasMetadata) o));
        } else {
          all.add((HasMetadata) parsed);
        }
      }
    }
    return all;
  }

  @Test
  void classicDrExampleParsesIntoTypedResources() throws IOException {
    List<HasMetadata> objects = loadExamples();
    VirtualService web =
        objects.stream()
            .filter(VirtualService.class::isInstance)
            .map(VirtualService.class::cast)
            .filter(v -> v.getMetadata().getName().equals("web"))
            .findFirst()
            .orElseThrow();
    assertThat(web.getSpec().getVip()).isEqualTo("172.16.58.1");
    assertThat(web.getSpec().getPort()).isEqualTo(80);
    assertThat(web.getSpec().getProtocol()).isEqualTo(Protocol.TCP);
    assertThat(web.getSpec().getScheduler()).isEqualTo(Scheduler.WLC);
    assertThat(web.getSpec().getForwarding()).isEqualTo(LvsApi.FORWARDING_DIRECT_ROUTING);
    assertThat(web.getSpec().getRealServerSelector().getMatchLabels()).containsEntry("app", "web");

    List<RealServer> servers =
        objects.stream().filter(RealServer.class::isInstance).map(RealServer.class::cast).toList();
    assertThat(servers)
        .extracting(r -> r.getSpec().getAddress(), r -> r.getSpec().getWeight())
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("172.16.58.7", 2),
            org.assertj.core.groups.Tuple.tuple("172.16.58.8", 1));
  }

  @Test
  void examplesRoundTrip() throws IOException {
    for (HasMetadata original : loadExamples()) {
      String yaml = Serialization.asYaml(original);
      HasMetadata back = Serialization.unmarshal(yaml);
      assertThat(back).as("round trip of %s", original.getMetadata().getName()).isEqualTo(original);
      assertThat(Serialization.asYaml(back)).isEqualTo(yaml);
      assertThat(back).isExactlyInstanceOf(original.getClass());
    }
  }

  @Test
  void schedulerNamesAreTheKernelNames() {
    for (Scheduler s : Scheduler.values()) {
      String json = Serialization.asJson(s);
      assertThat(json).isEqualTo("\"" + s.kernelName() + "\"");
      assertThat(Serialization.unmarshal(json, Scheduler.class)).isEqualTo(s);
    }
  }
}

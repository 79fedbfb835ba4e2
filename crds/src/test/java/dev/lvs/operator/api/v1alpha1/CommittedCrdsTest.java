package dev.lvs.operator.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The committed CRDs (crds/*.yml and the Helm chart's crds/) must be byte-identical to what the
 * classes generate, so nobody edits CRD YAML by hand and the chart never drifts. Regenerate with
 * {@code mvn -pl crds -Pupdate-crds process-classes}.
 */
class CommittedCrdsTest {

  private static final String FIX = "run: mvn -pl crds -Pupdate-crds process-classes";

  private static Path dir(String property) {
    String value = System.getProperty(property);
    assertThat(value).as("system property %s (set by the crds pom)", property).isNotNull();
    return Path.of(value);
  }

  private static List<Path> generated() throws IOException {
    try (Stream<Path> files = Files.list(dir("lvs.crds.generated"))) {
      return files.filter(p -> p.toString().endsWith("-v1.yml")).sorted().toList();
    }
  }

  @Test
  void generatorProducesEveryKind() throws IOException {
    assertThat(generated())
        .map(p -> p.getFileName().toString())
        .containsExactly(
            "realservers.lvs.dev-v1.yml",
            "vippools.lvs.dev-v1.yml",
            "virtualservices.lvs.dev-v1.yml");
  }

  @Test
  void topLevelCopyMatchesGenerated() throws IOException {
    assertSameFiles(dir("lvs.crds.committed"));
  }

  @Test
  void chartCopyMatchesGenerated() throws IOException {
    assertSameFiles(dir("lvs.crds.chart"));
  }

  private static void assertSameFiles(Path committedDir) throws IOException {
    for (Path g : generated()) {
      Path committed = committedDir.resolve(g.getFileName());
      assertThat(committed).as("%s is missing; %s", committed, FIX).exists();
      assertThat(Files.readString(committed))
          .as("%s differs from what the classes generate; %s", committed, FIX)
          .isEqualTo(Files.readString(g));
    }
    List<String> expected = generated().stream().map(p -> p.getFileName().toString()).toList();
    try (Stream<Path> files = Files.list(committedDir)) {
      List<String> stale =
          files
              .map(p -> p.getFileName().toString())
              .filter(n -> n.endsWith(".yml") || n.endsWith(".yaml"))
              .filter(n -> !expected.contains(n))
              .toList();
      assertThat(stale)
          .as("CRD files in %s that the classes no longer generate", committedDir)
          .isEmpty();
    }
  }
}

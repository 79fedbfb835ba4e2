package dev.lvs.operator.status;

import static dev.lvs.operator.Fixtures.director;
import static dev.lvs.operator.Fixtures.node;
import static dev.lvs.operator.Fixtures.putReport;
import static dev.lvs.operator.Fixtures.report;
import static dev.lvs.operator.Fixtures.vs;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lvs.operator.api.v1alpha1.LvsApi;
import dev.lvs.operator.api.v1alpha1.VirtualService;
import dev.lvs.operator.model.ClusterView;
import io.fabric8.kubernetes.api.model.Node;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which status.nodes entries the operator removes: those of Nodes that no longer exist. */
class GoneNodeEntriesTest {
  private final GoneNodeEntries gone = new GoneNodeEntries();
  private final VirtualService web = vs("web", "10.0.0.1", 80);
  private final List<Node> nodes =
      new ArrayList<>(List.of(director("d1", "10.1.0.1"), node("n7", "10.1.0.7", false)));

  private ClusterView view() {
    return new ClusterView(List.of(web), List.of(), nodes);
  }

  private void reports(String... names) {
    for (String n : names) {
      putReport(web, n, report(LvsApi.ROLE_REAL_SERVER, 1, "Applied", Map.of()));
    }
  }

  @Test
  void theEntriesOfNodesThatDoNotExistAreRemovedOthersStay() {
    reports("d1", "n7", "n8", "n9");
    // n7 is not Ready: it still exists, its agent may come back, its entry stays.
    assertThat(gone.toRemove(web, view())).containsExactly("n8", "n9");
  }

  @Test
  void anEntryWrittenBackAfterItWasRemovedIsLeftAloneWhileTheNodeStaysGone() {
    reports("d1", "n8");
    assertThat(gone.toRemove(web, view())).containsExactly("n8");
    gone.removed(web, List.of("n8"));
    // An agent still running under that name wrote its entry again (or the cache still shows the
    // removed one): removing it again would fight the agent, so it stays.
    assertThat(gone.toRemove(web, view())).isEmpty();
    // Another service's entry of the same node is its own decision.
    VirtualService db = vs("db", "10.0.0.2", 80);
    putReport(db, "n8", report(LvsApi.ROLE_REAL_SERVER, 1, "Applied", Map.of()));
    assertThat(gone.toRemove(db, view())).containsExactly("n8");
  }

  @Test
  void aNodeThatComesBackAndGoesAgainHasItsEntriesRemovedAgain() {
    reports("n8");
    gone.removed(web, gone.toRemove(web, view()));
    nodes.add(node("n8", "10.1.0.8", true));
    assertThat(gone.toRemove(web, view())).isEmpty();
    nodes.removeIf(n -> n.getMetadata().getName().equals("n8"));
    assertThat(gone.toRemove(web, view())).containsExactly("n8");
  }

  @Test
  void aServiceWithoutEntriesHasNothingToRemove() {
    assertThat(gone.toRemove(web, view())).isEmpty();
  }
}

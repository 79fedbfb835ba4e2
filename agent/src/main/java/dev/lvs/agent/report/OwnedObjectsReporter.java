package dev.lvs.agent.report;

import dev.lvs.agent.state.Ownership;
import dev.lvs.agent.state.OwnershipStore;
import dev.lvs.agent.sync.SyncResult;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes how many kernel objects this agent owns (IPVS services, the destinations it added,
 * addresses, changed sysctls: its {@code owned.json}) in the annotation {@value #ANNOTATION} of its
 * own Node, after every sync whose count differs from the last one published. The operator keeps
 * the agent on the node (its placement label) until that count is {@code 0}, also when the objects
 * that put the agent there were deleted without its confirmation; see docs/design.md.
 *
 * <p>A merge patch of that one annotation, with the agent's field manager: it never creates a Node,
 * and leaves every other annotation as it is. A failed write is retried after the next sync.
 */
public final class OwnedObjectsReporter implements Reporter {
  private static final Logger log = LoggerFactory.getLogger(OwnedObjectsReporter.class);

  /** The operator's side: dev.lvs.operator.agent.AgentNodeLabels#OWNED_ANNOTATION. */
  public static final String ANNOTATION = "lvs.dev/agent-owned-objects";

  private final KubernetesClient client;
  private final String nodeName;
  private final OwnershipStore store;
  private final PatchContext patch;
  private Integer published;

  public OwnedObjectsReporter(KubernetesClient client, String nodeName, OwnershipStore store) {
    this.client = client;
    this.nodeName = nodeName;
    this.store = store;
    this.patch =
        new PatchContext.Builder()
            .withPatchType(PatchType.JSON_MERGE)
            .withFieldManager(KubernetesStatusReporter.fieldManager(nodeName))
            .build();
  }

  @Override
  public void report(SyncResult result) {
    int owned = count(store.current());
    if (published != null && published == owned) {
      return;
    }
    try {
      client
          .nodes()
          .withName(nodeName)
          .patch(
              patch, "{\"metadata\":{\"annotations\":{\"" + ANNOTATION + "\":\"" + owned + "\"}}}");
      published = owned;
      log.info("report: Node {} owns {} kernel objects", nodeName, owned);
    } catch (KubernetesClientException e) {
      log.warn("report: writing {} on Node {} failed: {}", ANNOTATION, nodeName, e.getMessage());
    }
  }

  /** Every kernel object the record holds. */
  static int count(Ownership o) {
    int n = o.addresses().size() + o.sysctls().size();
    for (var service : o.services()) {
      n += 1 + o.destinations(service).size();
    }
    return n;
  }

  /** Both reporters, in order. */
  public static Reporter both(Reporter first, Reporter second) {
    return result -> {
      first.report(result);
      second.report(result);
    };
  }
}

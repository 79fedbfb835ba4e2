package dev.lvs.operator.reconciler;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.ResourceID;

/**
 * Server-side apply of the operator's part of a status, without {@code metadata.resourceVersion}.
 *
 * <p>The agents write {@code status.nodes.<node>} (VirtualService) and {@code status.vips}
 * (RealServer) at any time under their own field managers, and the operator's patch holds only
 * operator-owned fields, so the field managers already keep the writers apart: a resourceVersion
 * would only turn every agent write between the operator's read and its write into a 409. (JOSDK's
 * {@code PrimaryUpdateAndCacheUtils.ssaPatchStatusAndCacheResource} sends one, and on a 409 waits
 * on the reconcile thread for the cache, then re-applies the same, now stale, status.) A status
 * computed from a view that an agent's write has since changed is corrected by the reconcile that
 * write triggers.
 *
 * <p>As with JOSDK's utility, the result goes to the controller's cache, so the next reconcile sees
 * this write even before its watch event arrives (JOSDK keeps it only while the informer still
 * holds the version the status was computed from).
 */
final class StatusApply {
  private StatusApply() {}

  /** Applies {@code patch} (name, namespace and the status only) to {@code primary}'s status. */
  static <P extends HasMetadata> P apply(P primary, P patch, Context<P> ctx) {
    patch.getMetadata().setResourceVersion(null);
    P updated =
        ctx.getClient()
            .resource(patch)
            .subresource("status")
            .patch(
                new PatchContext.Builder()
                    .withPatchType(PatchType.SERVER_SIDE_APPLY)
                    .withFieldManager(ctx.getControllerConfiguration().fieldManager())
                    .withForce(true)
                    .build());
    ctx.eventSourceRetriever()
        .getControllerEventSource()
        .handleRecentResourceUpdate(ResourceID.fromResource(primary), updated, primary);
    return updated;
  }
}

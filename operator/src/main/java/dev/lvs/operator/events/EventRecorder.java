package dev.lvs.operator.events;

import dev.lvs.operator.api.Texts;
import dev.lvs.operator.config.OperatorConfig;
import dev.lvs.operator.events.ConditionEvents.EventSpec;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Emits core/v1 Events for objects, de-duplicated: an event is sent only when it differs from the
 * last one sent for the same object and key (condition type). Callers already emit only on
 * condition changes ({@link ConditionEvents}); this memory additionally absorbs the reconcile that
 * runs on a cache not yet showing our own status write. Failures to record are logged, never
 * thrown: an event is worth less than a reconcile.
 */
public final class EventRecorder {
  private static final Logger log = LoggerFactory.getLogger(EventRecorder.class);

  private final KubernetesClient client;
  private final String instance;
  private final Clock clock;
  private final Map<String, String> lastSent = new ConcurrentHashMap<>();

  public EventRecorder(KubernetesClient client, String instance, Clock clock) {
    this.client = client;
    this.instance = instance;
    this.clock = clock;
  }

  public void emit(HasMetadata obj, List<EventSpec> events) {
    for (EventSpec e : events) {
      emit(obj, e);
    }
  }

  public void emit(HasMetadata obj, EventSpec e) {
    String memoKey = obj.getMetadata().getUid() + "/" + e.key();
    String fingerprint = e.type() + "/" + e.reason() + "/" + e.message();
    if (Objects.equals(lastSent.put(memoKey, fingerprint), fingerprint)) {
      return;
    }
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    String ns = obj.getMetadata().getNamespace();
    Event event =
        new EventBuilder()
            .withNewMetadata()
            .withName(
                Texts.generatedName(
                    obj.getMetadata().getName(),
                    Long.toHexString(System.nanoTime() ^ now.toEpochMilli())))
            .withNamespace(ns)
            .endMetadata()
            .withInvolvedObject(
                new ObjectReferenceBuilder()
                    .withApiVersion(obj.getApiVersion())
                    .withKind(obj.getKind())
                    .withName(obj.getMetadata().getName())
                    .withNamespace(ns)
                    .withUid(obj.getMetadata().getUid())
                    .withResourceVersion(obj.getMetadata().getResourceVersion())
                    .build())
            .withType(e.type())
            .withReason(e.reason())
            .withMessage(e.message())
            .withFirstTimestamp(now.toString())
            .withLastTimestamp(now.toString())
            .withCount(1)
            .withNewSource()
            .withComponent(OperatorConfig.FIELD_MANAGER)
            .endSource()
            .withReportingComponent(OperatorConfig.FIELD_MANAGER)
            .withReportingInstance(instance)
            .build();
    try {
      client.v1().events().inNamespace(ns).resource(event).create();
      log.info(
          "event=k8s-event object={}/{}/{} type={} reason={} message=\"{}\"",
          obj.getKind(),
          ns,
          obj.getMetadata().getName(),
          e.type(),
          e.reason(),
          e.message());
    } catch (KubernetesClientException ex) {
      lastSent.remove(memoKey, fingerprint);
      log.warn(
          "event=k8s-event-failed object={}/{} reason={} error=\"{}\"",
          ns,
          obj.getMetadata().getName(),
          e.reason(),
          ex.getMessage());
    }
  }

  /** Forgets an object once it is gone. */
  public void forget(HasMetadata obj) {
    String prefix = obj.getMetadata().getUid() + "/";
    lastSent.keySet().removeIf(k -> k.startsWith(prefix));
  }
}

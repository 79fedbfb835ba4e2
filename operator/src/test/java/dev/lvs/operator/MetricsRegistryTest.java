package dev.lvs.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class MetricsRegistryTest {

  @Test
  void coreAndCustomResourceControllersBothReachPrometheus() {
    PrometheusMeterRegistry registry = LvsOperator.newRegistry();
    // As JOSDK tags them: no group for a core resource, a group for a custom resource.
    Counter.builder("operator.sdk.reconciliations.started")
        .tags("kind", "Namespace", "version", "v1", "scope", "cluster")
        .register(registry)
        .increment();
    Counter.builder("operator.sdk.reconciliations.started")
        .tags("group", "lvs.dev", "kind", "VirtualService", "version", "v1alpha1")
        .tags("scope", "namespace")
        .register(registry)
        .increment(2);
    Timer.builder("operator.sdk.controllers.execution.reconcile")
        .tags("controller", "agent-daemonset", "resource.kind", "Namespace")
        .register(registry)
        .record(Duration.ofMillis(1));
    Timer.builder("operator.sdk.controllers.execution.reconcile")
        .tags("controller", "realserver", "resource.kind", "RealServer")
        .tags("resource.group", "lvs.dev")
        .register(registry)
        .record(Duration.ofMillis(1));
    String scrape = registry.scrape();
    assertThat(scrape)
        .contains("controller=\"agent-daemonset\"")
        .contains("controller=\"realserver\"");
    assertThat(scrape).contains("kind=\"Namespace\"").contains("kind=\"VirtualService\"");
  }
}

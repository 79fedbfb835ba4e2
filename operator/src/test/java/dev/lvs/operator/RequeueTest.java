package dev.lvs.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lvs.operator.config.OperatorConfig;
import dev.lvs.operator.config.OperatorOptions;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.RegisteredController;
import io.javaoperatorsdk.operator.api.config.ControllerConfiguration;
import io.javaoperatorsdk.operator.processing.retry.GenericRetry;
import io.javaoperatorsdk.operator.processing.retry.RetryExecution;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Every controller reconciles each primary at least once per --requeue-period, also after its
 * reconciles failed: a deletion waiting for its deadline (a rescheduleAfter) must not stall because
 * that one timer was lost.
 */
class RequeueTest {

  @Test
  void jdosksDefaultRetryGivesUpAndThenNothingIsScheduled() {
    // JOSDK schedules nothing once retries are exhausted: neither the rescheduleAfter the failing
    // reconcile would have returned nor the max reconciliation interval.
    RetryExecution retry = GenericRetry.DEFAULT.initExecution();
    int attempts = 0;
    while (retry.nextDelay().isPresent()) {
      attempts++;
    }
    assertThat(attempts).isLessThan(10);
  }

  @Test
  void theRequeuePeriodIsAnOptionWithAFiveMinuteDefault() throws Exception {
    assertThat(config().requeuePeriod()).isEqualTo(Duration.ofMinutes(5));
    assertThat(config("--requeue-period=30s").requeuePeriod()).isEqualTo(Duration.ofSeconds(30));
    assertThat(OperatorOptions.help()).contains("--requeue-period");
  }

  @Test
  void everyControllerIsRequeuedAndRetriedForeverWithinThePeriod() throws Exception {
    OperatorConfig config = config("--requeue-period=90s", "--leader-election=false");
    try (KubernetesClient client =
            new KubernetesClientBuilder()
                .withConfig(new ConfigBuilder().withMasterUrl("https://127.0.0.1:1").build())
                .build();
        LvsOperator op = new LvsOperator(config, client, Clock.systemUTC())) {
      assertThat(op.operator().getRegisteredControllers()).hasSize(4);
      for (RegisteredController<?> c : op.operator().getRegisteredControllers()) {
        ControllerConfiguration<?> cc = c.getConfiguration();
        assertThat(cc.maxReconciliationInterval())
            .as(cc.getName())
            .isEqualTo(Optional.of(Duration.ofSeconds(90)));
        RetryExecution retry = cc.getRetry().initExecution();
        for (int i = 0; i < 1000; i++) {
          assertThat(retry.nextDelay()).as(cc.getName()).get().matches(d -> d <= 90_000L);
        }
      }
    }
  }

  private static OperatorConfig config(String... args) throws Exception {
    return OperatorOptions.parse(args, Map.of("HOSTNAME", "op-0")).config();
  }
}

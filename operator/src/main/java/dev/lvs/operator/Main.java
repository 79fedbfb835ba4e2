package dev.lvs.operator;

import dev.lvs.operator.config.OperatorOptions;
import dev.lvs.operator.config.OperatorOptions.Parsed;
import dev.lvs.operator.config.OperatorOptions.UsageException;
import dev.lvs.operator.util.BoundedShutdown;
import dev.lvs.operator.util.BoundedShutdown.Step;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.slf4j.LoggerFactory;

/** {@code java -jar lvs-operator.jar [OPTIONS]}; {@code --help} lists the options. */
public final class Main {
  private Main() {}

  public static void main(String[] args) throws InterruptedException {
    Parsed parsed;
    try {
      parsed = OperatorOptions.parse(args, System.getenv());
    } catch (UsageException | IllegalArgumentException e) {
      System.err.println("lvs-operator: " + e.getMessage());
      System.exit(2);
      return;
    }
    if (parsed.help()) {
      System.out.print(OperatorOptions.help());
      return;
    }
    // SIGTERM runs the orderly stop for at most --shutdown-timeout, then the JVM halts (exit 0).
    BoundedShutdown shutdown =
        new BoundedShutdown("lvs-operator", parsed.config().shutdownTimeout());
    KubernetesClient client = new KubernetesClientBuilder().build();
    LvsOperator operator =
        new LvsOperator(parsed.config(), client, Clock.systemUTC(), () -> shutdown.exit(1));
    shutdown.install(
        List.of(
            new Step("the operator (controllers, informers, HTTP endpoints)", operator::close),
            new Step("the Kubernetes client", client::close)));
    try {
      operator.start();
    } catch (RuntimeException e) {
      // Its threads would keep the JVM running without it: exit instead.
      LoggerFactory.getLogger(Main.class).error("event=start-failed: {}", e.toString(), e);
      shutdown.exit(1);
    }
    // The shutdown hook ends the process.
    new CountDownLatch(1).await();
  }
}

package dev.lvs.operator;

import dev.lvs.operator.config.OperatorOptions;
import dev.lvs.operator.config.OperatorOptions.Parsed;
import dev.lvs.operator.config.OperatorOptions.UsageException;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;

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
    KubernetesClient client = new KubernetesClientBuilder().build();
    LvsOperator operator = new LvsOperator(parsed.config(), client, Clock.systemUTC());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    operator.close();
                  } finally {
                    client.close();
                    stopped.countDown();
                  }
                },
                "lvs-operator-shutdown"));
    operator.start();
    stopped.await();
  }
}

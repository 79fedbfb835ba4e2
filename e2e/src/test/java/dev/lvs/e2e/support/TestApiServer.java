package dev.lvs.e2e.support;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * One real kube-apiserver + etcd per test JVM, started by fabric8's kube-api-test from the binaries
 * that {@code e2e/bin/k8s-binaries} provisions (offline mode), with the project's CRDs applied and
 * Established. Test classes isolate themselves with {@link #freshNamespace(String)}.
 */
public final class TestApiServer {
  private static TestApiServer instance;

  private final KubeAPIServer server;
  private final String kubeConfigYaml;
  private boolean stopped;

  private TestApiServer() {
    // Offline mode is set here, not through KUBE_API_TEST_OFFLINE_MODE: kube-api-test 7.5.2
    // casts that variable's string to Boolean and fails.
    boolean provisioned = System.getenv("LVS_K8S_BIN") != null;
    boolean download = "1".equals(System.getenv("LVS_KUBE_API_TEST_DOWNLOAD"));
    if (!provisioned && !download) {
      throw new IllegalStateException(
          "No kube-apiserver binaries configured. Run the tests through e2e/bin/test, or first: "
              + "eval \"$(e2e/bin/k8s-binaries env)\" (or set LVS_KUBE_API_TEST_DOWNLOAD=1 to let"
              + " kube-api-test download them where the internet is reachable)");
    }
    server =
        new KubeAPIServer(
            KubeAPIServerConfigBuilder.anAPIServerConfig().withOfflineMode(provisioned).build());
    server.start();
    kubeConfigYaml = server.getKubeConfigYaml();
    Runtime.getRuntime().addShutdownHook(new Thread(this::stop, "kube-apiserver-stop"));
    try (KubernetesClient client = newClient()) {
      applyCrds(client);
    }
  }

  /**
   * A server of the caller's own (another kube-apiserver and etcd, CRDs applied), for a test that
   * stops it with {@link #stop()}; the shared one must stay up for the other test classes.
   */
  public static TestApiServer startPrivate() {
    return new TestApiServer();
  }

  /** The shared server, started on first use. */
  public static synchronized TestApiServer get() {
    if (instance == null) {
      instance = new TestApiServer();
    }
    return instance;
  }

  /**
   * Stops kube-apiserver and etcd: clients that were connected see their connections drop and their
   * next ones refused. Only for servers from {@link #startPrivate()}.
   */
  public synchronized void stop() {
    if (!stopped) {
      stopped = true;
      server.stop();
    }
  }

  public String kubeConfigYaml() {
    return kubeConfigYaml;
  }

  /** Writes the kubeconfig to a file, for kubectl and for processes under test. */
  public Path writeKubeConfig(Path dir) throws IOException {
    Path file = dir.resolve("kubeconfig");
    Files.writeString(file, kubeConfigYaml);
    return file;
  }

  public KubernetesClient newClient() {
    return new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(kubeConfigYaml)).build();
  }

  /** The client configuration of the server, from its kubeconfig. */
  public Config config() {
    return Config.fromKubeconfig(kubeConfigYaml);
  }

  /** A client whose every request {@code calls} records. */
  public KubernetesClient newClient(ApiCalls calls) {
    return new KubernetesClientBuilder()
        .withConfig(Config.fromKubeconfig(kubeConfigYaml))
        .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("lvs-api-calls", calls))
        .build();
  }

  /** Creates a namespace with a unique name, for one test class. */
  public String freshNamespace(String prefix) {
    String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    try (KubernetesClient client = newClient()) {
      client
          .namespaces()
          .resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
          .create();
    }
    return name;
  }

  /** The repository root (the failsafe configuration passes it). */
  public static Path repo() {
    return Path.of(System.getProperty("lvs.repo", "..")).toAbsolutePath().normalize();
  }

  /** The committed CRD files, as {@code kubectl apply -f crds/} would read them. */
  public static List<Path> crdFiles() throws IOException {
    try (Stream<Path> files = Files.list(repo().resolve("crds"))) {
      return files.filter(p -> p.toString().endsWith(".yml")).sorted().toList();
    }
  }

  /**
   * Applies crds/ exactly as a user would, {@code kubectl apply -f crds/}, and waits for every CRD
   * to be Established.
   */
  private void applyCrds(KubernetesClient client) {
    try {
      Path dir = Files.createTempDirectory("lvs-kubeconfig");
      Kubectl kubectl = new Kubectl(writeKubeConfig(dir));
      kubectl.run("apply", "-f", repo().resolve("crds").toString());
      for (Path file : crdFiles()) {
        try (InputStream in = Files.newInputStream(file)) {
          String name =
              client
                  .apiextensions()
                  .v1()
                  .customResourceDefinitions()
                  .load(in)
                  .item()
                  .getMetadata()
                  .getName();
          await().atMost(Duration.ofSeconds(60)).until(() -> isEstablished(client, name));
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot apply crds/", e);
    }
  }

  public static boolean isEstablished(KubernetesClient client, String crdName) {
    CustomResourceDefinition crd =
        client.apiextensions().v1().customResourceDefinitions().withName(crdName).get();
    return crd != null
        && crd.getStatus() != null
        && crd.getStatus().getConditions().stream()
            .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
  }
}

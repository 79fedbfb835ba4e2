package dev.lvs.agent.source;

import dev.lvs.operator.api.v1alpha1.RealServer;
import dev.lvs.operator.api.v1alpha1.VirtualService;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * VirtualServices, RealServers and Nodes from YAML files in a directory (the standalone mode):
 * every {@code .yaml}/{@code .yml} file, multi-document, re-read on change. A malformed file is
 * reported with its name and keeps its last good content; the other files are unaffected. The
 * source counts as loaded once every file has parsed at least once, so a file broken from the start
 * holds back pruning rather than having its objects removed.
 */
public final class ManifestSource implements Source {
  private static final Logger log = LoggerFactory.getLogger(ManifestSource.class);

  private final Path dir;
  private final ManifestParser parser = new ManifestParser();
  private final Map<Path, List<HasMetadata>> good = new TreeMap<>();
  private final Map<Path, String> errors = new TreeMap<>();
  private volatile boolean loaded;
  private volatile WatchService watcher;
  private Thread watchThread;

  public ManifestSource(Path dir) {
    this.dir = dir;
  }

  @Override
  public void start(Runnable onChange) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new IOException("--manifests " + dir + " is not a directory");
    }
    reload();
    watcher = FileSystems.getDefault().newWatchService();
    dir.register(
        watcher,
        StandardWatchEventKinds.ENTRY_CREATE,
        StandardWatchEventKinds.ENTRY_MODIFY,
        StandardWatchEventKinds.ENTRY_DELETE);
    watchThread =
        new Thread(
            () -> {
              try {
                while (true) {
                  WatchKey key = watcher.take();
                  key.pollEvents();
                  key.reset();
                  if (reload()) {
                    onChange.run();
                  }
                }
              } catch (InterruptedException | ClosedWatchServiceException e) {
                // closed
              }
            },
            "lvs-manifests");
    watchThread.setDaemon(true);
    watchThread.start();
  }

  /** Re-reads every file; returns whether the objects or the errors changed. */
  public synchronized boolean reload() {
    Map<Path, List<HasMetadata>> before = new HashMap<>(good);
    Map<Path, String> errorsBefore = new HashMap<>(errors);
    Set<Path> present = new HashSet<>();
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(ManifestSource::isManifest).filter(Files::isRegularFile).sorted().toList();
    } catch (IOException e) {
      log.warn("manifests: cannot list {}: {}", dir, e.toString());
      return false;
    }
    for (Path f : files) {
      present.add(f);
      try {
        good.put(f, parser.parse(Files.readString(f)));
        errors.remove(f);
      } catch (IOException | RuntimeException e) {
        String message =
            e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
        if (!message.equals(errors.get(f))) {
          log.warn(
              "manifests: {} is malformed, {}: {}",
              f.getFileName(),
              good.containsKey(f) ? "keeping its last good content" : "skipping it",
              message);
        }
        errors.put(f, message);
      }
    }
    good.keySet().retainAll(present);
    errors.keySet().retainAll(present);
    loaded = errors.keySet().stream().allMatch(good::containsKey);
    return !good.equals(before) || !errors.equals(errorsBefore);
  }

  private static boolean isManifest(Path p) {
    String name = p.getFileName().toString();
    return !name.startsWith(".") && (name.endsWith(".yaml") || name.endsWith(".yml"));
  }

  @Override
  public boolean hasSynced() {
    return loaded;
  }

  @Override
  public synchronized Snapshot snapshot() {
    List<VirtualService> vs = new ArrayList<>();
    List<RealServer> rs = new ArrayList<>();
    List<Node> nodes = new ArrayList<>();
    for (List<HasMetadata> objects : good.values()) {
      for (HasMetadata h : objects) {
        if (h instanceof VirtualService v) {
          vs.add(v);
        } else if (h instanceof RealServer r) {
          rs.add(r);
        } else if (h instanceof Node n) {
          nodes.add(n);
        }
      }
    }
    return new Snapshot(vs, rs, nodes);
  }

  @Override
  public synchronized List<String> problems() {
    List<String> p = new ArrayList<>();
    errors.forEach((f, m) -> p.add(f.getFileName() + ": " + m));
    return p;
  }

  @Override
  public String describe() {
    return "manifests in " + dir;
  }

  @Override
  public void close() {
    WatchService w = watcher;
    if (w != null) {
      try {
        w.close();
      } catch (IOException e) {
        log.debug("closing the watch service: {}", e.toString());
      }
    }
    if (watchThread != null) {
      watchThread.interrupt();
    }
  }
}

package dev.lvs.agent.source;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lvs.operator.api.v1alpha1.LvsApi;
import dev.lvs.operator.api.v1alpha1.RealServer;
import dev.lvs.operator.api.v1alpha1.VirtualService;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.model.jackson.GoCompatibilityModule;
import io.fabric8.kubernetes.model.jackson.UnmatchedFieldTypeModule;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Parses manifest YAML into the three kinds the agent reads: VirtualService and RealServer ({@code
 * lvs.dev/v1alpha1}) and Node ({@code v1}); other kinds are skipped.
 *
 * <p>It does what fabric8's {@code KubernetesSerialization.unmarshal} did for these kinds (the same
 * YAML parser, snakeyaml-engine with default settings, and an ObjectMapper with the same
 * deserialization modules), without its generic resource lookup: that loads every Kubernetes model
 * class on the classpath through the service loader, some 600 classes, which took most of the
 * agent's start-up under emulation (qemu TCG). Objects of other kinds are only checked for a {@code
 * metadata.name}, not bound to a model class. {@code v1} {@code List}/{@code NodeList} documents
 * (what {@code kubectl get -o yaml} prints) contribute their items.
 */
final class ManifestParser {
  private static final Logger log = LoggerFactory.getLogger(ManifestParser.class);
  static final String DEFAULT_NAMESPACE = "default";

  private final ObjectMapper mapper =
      new ObjectMapper()
          .registerModules(new UnmatchedFieldTypeModule(), new GoCompatibilityModule())
          .disable(DeserializationFeature.FAIL_ON_INVALID_SUBTYPE);

  /** The objects of one (possibly multi-document) YAML text. */
  List<HasMetadata> parse(String yaml) throws IOException {
    List<HasMetadata> result = new ArrayList<>();
    for (Object doc : new Load(LoadSettings.builder().build()).loadAllFromString(yaml)) {
      if (doc != null) {
        add(doc, result);
      }
    }
    return result;
  }

  private void add(Object doc, List<HasMetadata> result) throws IOException {
    if (!(doc instanceof Map<?, ?> object)) {
      throw new IOException("not a Kubernetes object: " + describe(doc));
    }
    Object apiVersion = object.get("apiVersion");
    Object kind = object.get("kind");
    if (!(apiVersion instanceof String) || !(kind instanceof String)) {
      throw new IOException("not a Kubernetes object: no apiVersion and kind");
    }
    Class<? extends HasMetadata> type = typeOf((String) apiVersion, (String) kind);
    if (type == null) {
      if ("v1".equals(apiVersion) && ("List".equals(kind) || "NodeList".equals(kind))) {
        Object items = object.get("items");
        if (items != null && !(items instanceof List<?>)) {
          throw new IOException(kind + ": items is not a list");
        }
        for (Object item : items == null ? List.of() : (List<?>) items) {
          add(item, result);
        }
        return;
      }
      Object name =
          object.get("metadata") instanceof Map<?, ?> metadata ? metadata.get("name") : null;
      if (name == null) {
        throw new IOException(kind + " without metadata.name");
      }
      log.debug("manifests: ignoring {} {}", kind, name);
      return;
    }
    HasMetadata h = mapper.convertValue(object, type);
    if (h.getMetadata() == null || h.getMetadata().getName() == null) {
      throw new IOException(kind + " without metadata.name");
    }
    if (!(h instanceof Node) && h.getMetadata().getNamespace() == null) {
      h.getMetadata().setNamespace(DEFAULT_NAMESPACE);
    }
    result.add(h);
  }

  private static Class<? extends HasMetadata> typeOf(String apiVersion, String kind) {
    if (LvsApi.API_VERSION.equals(apiVersion)) {
      return switch (kind) {
        case "VirtualService" -> VirtualService.class;
        case "RealServer" -> RealServer.class;
        default -> null;
      };
    }
    return "v1".equals(apiVersion) && "Node".equals(kind) ? Node.class : null;
  }

  private static String describe(Object yaml) {
    if (yaml instanceof List<?>) {
      return "a YAML list";
    }
    return "a YAML " + yaml.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT);
  }
}

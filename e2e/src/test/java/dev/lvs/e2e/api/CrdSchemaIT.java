package dev.lvs.e2e.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lvs.e2e.support.TestApiServer;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The generated schema, evaluated by a real kube-apiserver: each invalid object is rejected with a
 * message naming its field, each valid one is accepted. Objects are submitted as raw maps, so
 * wrongly typed values reach the server exactly as a user's YAML would.
 */
class CrdSchemaIT {

  private static KubernetesClient client;
  private static String namespace;

  record Case(String name, String kind, String spec, String field, String fragment) {
    @Override
    public String toString() {
      return name;
    }
  }

  private static final String VS_OK =
      """
      vip: 172.16.58.1
      port: 80
      directors: {matchLabels: {lvs.dev/director: "true"}}
      realServerSelector: {matchLabels: {app: web}}
      """;

  private static String vs(String extra) {
    return VS_OK + extra;
  }

  /** The valid base with one top-level key replaced (or removed when value is null). */
  private static String vsWith(String key, String value) {
    StringBuilder sb = new StringBuilder();
    boolean replaced = false;
    for (String line : VS_OK.split("\n")) {
      if (line.startsWith(key + ":")) {
        replaced = true;
        if (value != null) {
          sb.append(key).append(": ").append(value).append('\n');
        }
      } else {
        sb.append(line).append('\n');
      }
    }
    if (!replaced && value != null) {
      sb.append(key).append(": ").append(value).append('\n');
    }
    return sb.toString();
  }

  static Stream<Case> invalid() {
    String vs = "VirtualService";
    String rs = "RealServer";
    String badIp = "must be a valid IPv4 or IPv6 address";
    return Stream.of(
        new Case("vip missing", vs, vsWith("vip", null), "spec.vip", "Required value"),
        new Case("vip three octets", vs, vsWith("vip", "172.16.58"), "spec.vip", badIp),
        new Case("vip octet > 255", vs, vsWith("vip", "300.1.1.1"), "spec.vip", badIp),
        new Case("vip hostname", vs, vsWith("vip", "web.example.com"), "spec.vip", badIp),
        new Case("vip IPv4-mapped", vs, vsWith("vip", "'::ffff:172.16.58.1'"), "spec.vip", badIp),
        new Case("vip with zone", vs, vsWith("vip", "'fe80::1%eth0'"), "spec.vip", badIp),
        new Case("vip with prefix", vs, vsWith("vip", "172.16.58.1/32"), "spec.vip", badIp),
        new Case("vip 0.0.0.0", vs, vsWith("vip", "0.0.0.0"), "spec.vip", "unspecified"),
        new Case("vip ::", vs, vsWith("vip", "'::'"), "spec.vip", "unspecified"),
        new Case("vip loopback v4", vs, vsWith("vip", "127.0.0.1"), "spec.vip", "loopback"),
        new Case("vip loopback v6", vs, vsWith("vip", "'::1'"), "spec.vip", "loopback"),
        new Case("vip multicast v4", vs, vsWith("vip", "224.0.0.5"), "spec.vip", "multicast"),
        new Case("vip multicast v6", vs, vsWith("vip", "ff02::1"), "spec.vip", "multicast"),
        new Case("vip broadcast", vs, vsWith("vip", "255.255.255.255"), "spec.vip", "broadcast"),
        new Case("port 0", vs, vsWith("port", "0"), "spec.port", "greater than or equal to 1"),
        new Case(
            "port 65536", vs, vsWith("port", "65536"), "spec.port", "less than or equal to 65535"),
        new Case("port missing", vs, vsWith("port", null), "spec.port", "Required value"),
        new Case("port as name", vs, vsWith("port", "http"), "spec.port", "integer"),
        new Case("protocol ICMP", vs, vs("protocol: ICMP\n"), "spec.protocol", "Unsupported value"),
        new Case(
            "scheduler unknown",
            vs,
            vs("scheduler: fancy\n"),
            "spec.scheduler",
            "Unsupported value"),
        new Case(
            "scheduler upper case",
            vs,
            vs("scheduler: WLC\n"),
            "spec.scheduler",
            "Unsupported value"),
        new Case(
            "forwarding Tunnel",
            vs,
            vs("forwarding: Tunnel\n"),
            "spec.forwarding",
            "not implemented yet"),
        new Case(
            "forwarding Masquerade",
            vs,
            vs("forwarding: Masquerade\n"),
            "spec.forwarding",
            "not implemented yet"),
        new Case(
            "forwarding unknown",
            vs,
            vs("forwarding: Magic\n"),
            "spec.forwarding",
            "unknown forwarding method"),
        new Case(
            "persistence no timeout",
            vs,
            vs("persistence: {netmask: 255.255.255.0}\n"),
            "spec.persistence.timeoutSeconds",
            "Required value"),
        new Case(
            "persistence timeout 0",
            vs,
            vs("persistence: {timeoutSeconds: 0}\n"),
            "spec.persistence.timeoutSeconds",
            "greater than or equal to 1"),
        new Case(
            "persistence netmask holes",
            vs,
            vs("persistence: {timeoutSeconds: 300, netmask: 255.0.255.0}\n"),
            "spec.persistence.netmask",
            "contiguous IPv4 netmask"),
        new Case(
            "persistence netmask and prefix",
            vs,
            vs("persistence: {timeoutSeconds: 300, netmask: 255.255.255.0, prefixLength: 24}\n"),
            "spec.persistence",
            "not both"),
        new Case(
            "persistence prefix 33 on IPv4",
            vs,
            vs("persistence: {timeoutSeconds: 300, prefixLength: 33}\n"),
            "spec.persistence.prefixLength",
            "0-32 for an IPv4 VIP"),
        new Case(
            "persistence prefix 129",
            vs,
            vs("persistence: {timeoutSeconds: 300, prefixLength: 129}\n"),
            "spec.persistence.prefixLength",
            "less than or equal to 128"),
        new Case(
            "persistence prefix 0 on IPv6",
            vs,
            vsWith("vip", "2001:db8::10") + "persistence: {timeoutSeconds: 300, prefixLength: 0}\n",
            "spec.persistence.prefixLength",
            "1-128 for an IPv6 VIP"),
        new Case(
            "persistence netmask on IPv6",
            vs,
            vsWith("vip", "2001:db8::10")
                + "persistence: {timeoutSeconds: 300, netmask: 255.255.255.0}\n",
            "spec.persistence.netmask",
            "IPv4 VIPs only"),
        new Case(
            "directors missing", vs, vsWith("directors", null), "spec.directors", "Required value"),
        new Case(
            "directors empty", vs, vsWith("directors", "{}"), "spec.directors", "empty selector"),
        new Case(
            "directors empty labels",
            vs,
            vsWith("directors", "{matchLabels: {}}"),
            "spec.directors",
            "empty selector"),
        new Case(
            "realServerSelector missing",
            vs,
            vsWith("realServerSelector", null),
            "spec.realServerSelector",
            "Required value"),
        new Case(
            "localNode weight without enabled",
            vs,
            vs("localNode: {weight: 3}\n"),
            "spec.localNode",
            "enabled is not true"),
        new Case(
            "localNode weight with enabled false",
            vs,
            vs("localNode: {enabled: false, weight: 3}\n"),
            "spec.localNode",
            "enabled is not true"),
        new Case(
            "localNode weight too big",
            vs,
            vs("localNode: {enabled: true, weight: 70000}\n"),
            "spec.localNode.weight",
            "less than or equal to 65535"),
        new Case(
            "real server with neither address nor node", rs, "weight: 1\n", "spec", "set address"),
        new Case(
            "real server address malformed", rs, "address: 172.16.58.300\n", "spec.address", badIp),
        new Case(
            "real server address loopback", rs, "address: 127.0.0.2\n", "spec.address", "loopback"),
        new Case(
            "real server address unspecified",
            rs,
            "address: 0.0.0.0\n",
            "spec.address",
            "unspecified"),
        new Case(
            "real server address multicast",
            rs,
            "address: 239.1.1.1\n",
            "spec.address",
            "multicast"),
        new Case(
            "real server weight negative",
            rs,
            "address: 172.16.58.7\nweight: -1\n",
            "spec.weight",
            "greater than or equal to 0"),
        new Case(
            "real server weight too big",
            rs,
            "address: 172.16.58.7\nweight: 65536\n",
            "spec.weight",
            "less than or equal to 65535"),
        new Case(
            "real server node name invalid",
            rs,
            "nodeName: Bad_Node\n",
            "spec.nodeName",
            "should match"),
        new Case(
            "real server thresholds inverted",
            rs,
            "address: 172.16.58.7\nupperThreshold: 10\nlowerThreshold: 20\n",
            "spec.lowerThreshold",
            "below upperThreshold"),
        new Case(
            "real server lower threshold without upper",
            rs,
            "address: 172.16.58.7\nlowerThreshold: 20\n",
            "spec.lowerThreshold",
            "below upperThreshold"),
        new Case(
            "real server lower threshold above upper 0",
            rs,
            "address: 172.16.58.7\nupperThreshold: 0\nlowerThreshold: 20\n",
            "spec.lowerThreshold",
            "below upperThreshold"),
        new Case(
            "real server threshold negative",
            rs,
            "address: 172.16.58.7\nupperThreshold: -5\n",
            "spec.upperThreshold",
            "greater than or equal to 0"),
        new Case(
            "pool without addresses", "VipPool", "addresses: []\n", "spec.addresses", "at least 1"),
        new Case(
            "pool CIDR with host bits",
            "VipPool",
            "addresses: [192.0.2.10/24]\n",
            "spec.addresses",
            "without host bits set"),
        new Case(
            "pool range of two families",
            "VipPool",
            "addresses: ['192.0.2.1-2001:db8::1']\n",
            "spec.addresses",
            "a range of one family"),
        new Case(
            "pool host name",
            "VipPool",
            "addresses: [lb.example.com]\n",
            "spec.addresses",
            "a CIDR without host bits set"),
        new Case(
            "pool autoAssign as text",
            "VipPool",
            "addresses: [192.0.2.0/28]\nautoAssign: sometimes\n",
            "spec.autoAssign",
            "boolean"));
  }

  static Stream<Case> valid() {
    String vs = "VirtualService";
    String rs = "RealServer";
    return Stream.of(
        new Case(
            "classic example",
            vs,
            VS_OK + "protocol: TCP\nscheduler: wlc\nforwarding: DirectRouting\n",
            null,
            null),
        new Case("defaults only", vs, VS_OK, null, null),
        new Case(
            "IPv6 with prefix persistence",
            vs,
            vsWith("vip", "2001:db8::10")
                + "persistence: {timeoutSeconds: 600, prefixLength: 64}\n",
            null,
            null),
        new Case("UDP round robin", vs, VS_OK + "protocol: UDP\nscheduler: rr\n", null, null),
        new Case("SCTP maglev", vs, VS_OK + "protocol: SCTP\nscheduler: mh\n", null, null),
        new Case(
            "IPv4 persistence netmask",
            vs,
            VS_OK + "persistence: {timeoutSeconds: 300, netmask: 255.255.255.0}\n",
            null,
            null),
        new Case(
            "local node with weight",
            vs,
            VS_OK + "localNode: {enabled: true, weight: 5}\n",
            null,
            null),
        new Case(
            "local node default weight", vs, VS_OK + "localNode: {enabled: true}\n", null, null),
        new Case(
            "directors by expression",
            vs,
            vsWith(
                "directors",
                "{matchExpressions: [{key: node-role.kubernetes.io/lb, operator: Exists}]}"),
            null,
            null),
        new Case("every scheduler name: twos", vs, VS_OK + "scheduler: twos\n", null, null),
        new Case("real server by address", rs, "address: 172.16.58.7\nweight: 2\n", null, null),
        new Case("real server by node", rs, "nodeName: worker-1\n", null, null),
        new Case("real server draining", rs, "address: 172.16.58.8\nweight: 0\n", null, null),
        new Case(
            "real server thresholds",
            rs,
            "address: 172.16.58.8\nupperThreshold: 100\nlowerThreshold: 50\n",
            null,
            null),
        new Case(
            "real server upper threshold alone",
            rs,
            "address: 172.16.58.8\nupperThreshold: 100\n",
            null,
            null),
        new Case(
            "real server lower threshold 0 without upper",
            rs,
            "address: 172.16.58.8\nlowerThreshold: 0\n",
            null,
            null),
        new Case("real server IPv6", rs, "address: 2001:db8::7\nnodeName: worker-2\n", null, null),
        new Case(
            "pool of CIDRs, a range and an address, both families",
            "VipPool",
            "addresses: [192.0.2.0/28, 198.51.100.10-198.51.100.20, 203.0.113.7, '2001:db8::/120',"
                + " '2001:db8:1::10-2001:db8:1::1f']\n"
                + "namespaceSelector: {matchLabels: {team: web}}\navoidBuggyIPs: true\n"
                + "autoAssign: false\nallowSharing: true\n",
            null,
            null));
  }

  @BeforeAll
  static void start() {
    TestApiServer server = TestApiServer.get();
    client = server.newClient();
    namespace = server.freshNamespace("schema");
  }

  @AfterAll
  static void stop() {
    if (client != null) {
      client.close();
    }
  }

  private static GenericKubernetesResource object(Case c, String name) {
    GenericKubernetesResource r = new GenericKubernetesResource();
    r.setApiVersion("lvs.dev/v1alpha1");
    r.setKind(c.kind());
    // VipPools are cluster-scoped.
    String ns = c.kind().equals("VipPool") ? null : namespace;
    r.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(ns).build());
    @SuppressWarnings("unchecked")
    Map<String, Object> spec = Serialization.unmarshal(c.spec(), Map.class);
    r.setAdditionalProperty("spec", spec);
    return r;
  }

  private static int counter;

  private static synchronized String nextName() {
    return "obj-" + (++counter);
  }

  @ParameterizedTest(name = "rejects {0}")
  @MethodSource("invalid")
  void rejectsInvalidObject(Case c) {
    GenericKubernetesResource obj = object(c, nextName());
    assertThatThrownBy(() -> client.resource(obj).create())
        .isInstanceOfSatisfying(
            KubernetesClientException.class,
            e -> {
              assertThat(e.getCode()).as("HTTP status").isEqualTo(422);
              String message = e.getStatus().getMessage();
              assertThat(message).as("names the field").contains(c.field() + ":");
              assertThat(message).as("says what is wrong").contains(c.fragment());
            });
  }

  @ParameterizedTest(name = "accepts {0}")
  @MethodSource("valid")
  void acceptsValidObject(Case c) {
    GenericKubernetesResource created = client.resource(object(c, nextName())).create();
    assertThat(created.getMetadata().getUid()).isNotBlank();
  }

  @org.junit.jupiter.api.Test
  void tableIsLargeEnough() {
    assertThat(invalid().count()).isGreaterThanOrEqualTo(30);
    assertThat(valid().count()).isGreaterThanOrEqualTo(10);
    assertThat(invalid().map(Case::name).distinct().count()).isEqualTo(invalid().count());
    List<String> kinds = invalid().map(Case::kind).distinct().toList();
    assertThat(kinds).containsExactlyInAnyOrder("VirtualService", "RealServer", "VipPool");
  }
}

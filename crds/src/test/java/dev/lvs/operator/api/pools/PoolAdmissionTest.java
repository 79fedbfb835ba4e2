package dev.lvs.operator.api.pools;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lvs.operator.api.IpLiterals;
import dev.lvs.operator.api.pools.PoolAdmission.Decision;
import dev.lvs.operator.api.v1alpha1.VipPool;
import dev.lvs.operator.api.v1alpha1.VipPoolSpec;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PoolAdmissionTest {

  private static Pool pool(String name, Map<String, String> nsLabels, String... addresses) {
    VipPool p = new VipPool();
    p.setMetadata(new ObjectMetaBuilder().withName(name).build());
    VipPoolSpec spec = new VipPoolSpec();
    spec.setAddresses(List.of(addresses));
    if (nsLabels != null) {
      spec.setNamespaceSelector(new LabelSelectorBuilder().withMatchLabels(nsLabels).build());
    }
    p.setSpec(spec);
    return Pool.of(p);
  }

  private static final Map<String, String> WEB = Map.of("kubernetes.io/metadata.name", "web");
  private static final Map<String, String> DB = Map.of("kubernetes.io/metadata.name", "db");

  private static final List<Pool> POOLS =
      List.of(
          pool("web-only", WEB, "192.0.2.0/28"),
          pool("shared", null, "198.51.100.0/28", "2001:db8::/120"));

  private static Decision decide(String vip, String ns, Map<String, String> labels) {
    return PoolAdmission.decide(IpLiterals.parse(vip), ns, labels, POOLS, HostAddresses.NONE);
  }

  @Test
  void aVipInAPoolThatAdmitsTheNamespaceIsAdmittedByName() {
    assertThat(decide("192.0.2.5", "web", WEB)).isEqualTo(new Decision.Admitted("web-only"));
    assertThat(decide("198.51.100.5", "db", DB)).isEqualTo(new Decision.Admitted("shared"));
    assertThat(decide("2001:db8::5", "db", DB)).isEqualTo(new Decision.Admitted("shared"));
  }

  @Test
  void refusalsNameTheFieldAndEveryPoolConsidered() {
    assertThat(decide("192.0.2.5", "db", DB))
        .isEqualTo(
            new Decision.Refused(
                "VipNotInPool",
                "spec.vip: 192.0.2.5 is in no VipPool that admits namespace db; pools considered:"
                    + " shared (does not contain it), web-only (contains it, but does not admit"
                    + " namespace db)"));
    Decision none =
        PoolAdmission.decide(
            IpLiterals.parse("192.0.2.5"), "web", WEB, List.of(), HostAddresses.NONE);
    assertThat(((Decision.Refused) none).message()).endsWith("a cluster admin must create one");
  }

  @Test
  void forbiddenAddressesAreRefusedWhateverThePoolsSay() {
    List<Pool> careless = List.of(pool("everything", null, "0.0.0.0/0", "::/0"));
    HostAddresses nodes =
        HostAddresses.builder().add(IpLiterals.parse("10.0.0.12"), "node rs2 (InternalIP)").build();
    Decision d = PoolAdmission.decide(IpLiterals.parse("10.0.0.12"), "web", WEB, careless, nodes);
    assertThat(d)
        .isEqualTo(
            new Decision.Refused(
                "VipForbidden",
                "spec.vip: 10.0.0.12 is the address of node rs2 (InternalIP): never a VIP"));
    assertThat(PoolAdmission.decide(IpLiterals.parse("127.0.0.1"), "web", WEB, careless, nodes))
        .isInstanceOf(Decision.Refused.class);
    assertThat(PoolAdmission.decide(IpLiterals.parse("fe80::1"), "web", WEB, careless, nodes))
        .isInstanceOf(Decision.Refused.class);
    assertThat(PoolAdmission.decide(IpLiterals.parse("10.0.0.13"), "web", WEB, careless, nodes))
        .isEqualTo(new Decision.Admitted("everything"));
  }

  @Test
  void unusableEntriesAreListedNotFatal() {
    Pool p = pool("typo", null, "192.0.2.10/24", "192.0.2.20-192.0.2.10", "203.0.113.0/30");
    assertThat(p.problems())
        .containsExactly(
            "spec.addresses[0]: \"192.0.2.10/24\" has host bits set: did you mean 192.0.2.0/24?",
            "spec.addresses[1]: \"192.0.2.20-192.0.2.10\" is not a range: its first address is"
                + " after its last");
    assertThat(p.contains(IpLiterals.parse("203.0.113.2"))).isTrue();
    assertThat(p.contains(IpLiterals.parse("192.0.2.50"))).isFalse();
  }

  @Test
  void assignablePoolsAreThoseThatAutoAssignAndAdmitTheNamespace() {
    VipPool manual = new VipPool();
    manual.setMetadata(new ObjectMetaBuilder().withName("a-manual").build());
    VipPoolSpec spec = new VipPoolSpec();
    spec.setAddresses(List.of("203.0.113.0/28"));
    spec.setAutoAssign(false);
    manual.setSpec(spec);
    List<Pool> pools = List.of(POOLS.get(0), POOLS.get(1), Pool.of(manual));
    assertThat(PoolAdmission.assignable(WEB, pools))
        .extracting(Pool::name)
        .containsExactly("shared", "web-only");
    assertThat(PoolAdmission.assignable(DB, pools))
        .extracting(Pool::name)
        .containsExactly("shared");
  }
}

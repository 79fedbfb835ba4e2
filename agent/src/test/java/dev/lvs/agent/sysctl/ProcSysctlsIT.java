package dev.lvs.agent.sysctl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lvs.agent.netlink.NetnsSandbox;
import java.io.IOException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** /proc/sys for real: net.* is per network namespace, so this writes only the sandbox's. */
class ProcSysctlsIT {
  private final ProcSysctls sysctls = new ProcSysctls();

  @BeforeEach
  void sandbox() {
    NetnsSandbox.assumeSandbox();
  }

  @Test
  void writesArpIgnoreAndAnnounceOnLo() throws Exception {
    sysctls.write("net/ipv4/conf/lo/arp_ignore", "1");
    assertThat(sysctls.read("net/ipv4/conf/lo/arp_ignore")).contains("1");
    sysctls.write("net/ipv4/conf/lo/arp_announce", "2");
    assertThat(sysctls.read("net/ipv4/conf/lo/arp_announce")).contains("2");
    sysctls.write("net/ipv4/conf/lo/arp_ignore", "0");
    assertThat(sysctls.read("net/ipv4/conf/lo/arp_ignore")).contains("0");
  }

  @Test
  void missingParameterReadsEmptyAndCannotBeWritten() throws Exception {
    assertThat(sysctls.read("net/ipv4/conf/nosuchlink0/arp_ignore")).isEmpty();
    assertThatThrownBy(() -> sysctls.write("net/ipv4/conf/nosuchlink0/arp_ignore", "1"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("nosuchlink0");
  }

  @Test
  void rejectedValueIsAnIoExceptionNamingThePath() {
    assertThatThrownBy(() -> sysctls.write("net/ipv4/conf/lo/arp_ignore", "not-a-number"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("arp_ignore");
  }
}

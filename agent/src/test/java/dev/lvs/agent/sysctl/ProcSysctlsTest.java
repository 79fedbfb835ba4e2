package dev.lvs.agent.sysctl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcSysctlsTest {
  @TempDir Path root;

  private ProcSysctls sysctls() throws IOException {
    Files.createDirectories(root.resolve("net/ipv4/conf/lo"));
    Files.writeString(root.resolve("net/ipv4/conf/lo/arp_ignore"), "0\n");
    Files.writeString(root.resolve("net/ipv4/ip_local_port_range"), "32768\t60999\n");
    return new ProcSysctls(root);
  }

  @Test
  void readsTrimmedValuesAndEmptyForMissing() throws Exception {
    ProcSysctls s = sysctls();
    assertThat(s.read("net/ipv4/conf/lo/arp_ignore")).contains("0");
    assertThat(s.read("net/ipv4/vs/conn_reuse_mode")).isEmpty();
  }

  @Test
  void writesAndReadsBack() throws Exception {
    ProcSysctls s = sysctls();
    s.write("net/ipv4/conf/lo/arp_ignore", "1");
    assertThat(Files.readString(root.resolve("net/ipv4/conf/lo/arp_ignore"))).isEqualTo("1\n");
    assertThat(s.read("net/ipv4/conf/lo/arp_ignore")).contains("1");
    // multi-value parameters compare whitespace-insensitively
    s.write("net/ipv4/ip_local_port_range", "1024 65000");
  }

  @Test
  void missingParameterIsNotCreated() throws Exception {
    ProcSysctls s = sysctls();
    assertThatThrownBy(() -> s.write("net/ipv4/conf/eth9/arp_ignore", "1"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("eth9");
    assertThat(root.resolve("net/ipv4/conf/eth9/arp_ignore")).doesNotExist();
  }

  @Test
  void valueTheKernelDidNotKeepIsAnErrorNamingThePath() throws Exception {
    ProcSysctls s = sysctls();
    // Like a kernel that silently clamps: /dev/null takes the write and reads back nothing.
    Files.createSymbolicLink(root.resolve("net/ipv4/conf/lo/arp_announce"), Path.of("/dev/null"));
    assertThatThrownBy(() -> s.write("net/ipv4/conf/lo/arp_announce", "2"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(root.resolve("net/ipv4/conf/lo/arp_announce").toString())
        .hasMessageContaining("kept \"\"");
  }

  @Test
  void pathsCannotEscapeTheRoot() throws Exception {
    ProcSysctls s = sysctls();
    for (String bad : new String[] {"/etc/passwd", "../x", "net/../../x", "net//x", "", "net/."}) {
      assertThatThrownBy(() -> s.read(bad)).isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> s.write("net/ipv4/conf/lo/arp_ignore", "1\n2"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void defaultRootIsProcSys() {
    assertThat(new ProcSysctls().root()).isEqualTo(Path.of("/proc/sys"));
  }
}

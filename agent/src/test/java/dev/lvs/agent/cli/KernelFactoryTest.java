package dev.lvs.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lvs.agent.sysctl.ProcSysctls;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class KernelFactoryTest {

  @Test
  void procSysDefaultsToTheContainersOwn() {
    assertThat(KernelFactory.procSysRoot(null)).isEqualTo(ProcSysctls.DEFAULT_ROOT);
    assertThat(KernelFactory.procSysRoot(" ")).isEqualTo(ProcSysctls.DEFAULT_ROOT);
  }

  @Test
  void procSysFollowsTheHostMountTheOperatorGives() {
    assertThat(KernelFactory.procSysRoot("/host/proc/sys")).isEqualTo(Path.of("/host/proc/sys"));
  }
}

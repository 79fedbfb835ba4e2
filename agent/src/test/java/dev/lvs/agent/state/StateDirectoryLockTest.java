package dev.lvs.agent.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue #17 item 14: one process at a time per state directory. */
class StateDirectoryLockTest {
  @TempDir Path stateDir;

  /** The other process: takes the lock, says so, holds it until its stdin closes. */
  public static final class Holder {
    public static void main(String[] args) throws IOException {
      try (StateDirectoryLock lock = StateDirectoryLock.acquire(Path.of(args[0]), "run")) {
        System.out.println("locked");
        System.out.flush();
        while (System.in.read() >= 0) {
          // hold
        }
      }
    }
  }

  @Test
  void aSecondProcessIsRefusedWithTheDirectoryAndTheHolderNamed() throws Exception {
    Process other =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                Holder.class.getName(),
                stateDir.toString())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    try {
      BufferedReader out =
          new BufferedReader(new InputStreamReader(other.getInputStream(), StandardCharsets.UTF_8));
      assertThat(out.readLine()).isEqualTo("locked");

      assertThatThrownBy(() -> StateDirectoryLock.acquire(stateDir, "cleanup"))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("state directory " + stateDir)
          .hasMessageContaining("pid " + other.pid() + ", lvs-agent run")
          .hasMessageContaining("must not share a state directory");

      other.getOutputStream().close(); // the other process ends, and the kernel drops its lock
      assertThat(other.waitFor(30, TimeUnit.SECONDS)).isTrue();
      try (StateDirectoryLock mine = StateDirectoryLock.acquire(stateDir, "cleanup")) {
        assertThat(mine.file()).isEqualTo(stateDir.resolve(StateDirectoryLock.FILE_NAME));
      }
    } finally {
      other.destroyForcibly();
    }
  }

  @Test
  void theLockIsFreeAgainOnceClosed() throws IOException {
    StateDirectoryLock.acquire(stateDir, "run").close();
    StateDirectoryLock.acquire(stateDir, "run").close();
  }
}

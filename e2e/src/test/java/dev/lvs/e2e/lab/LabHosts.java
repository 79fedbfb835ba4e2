package dev.lvs.e2e.lab;

import dev.lvs.e2e.support.Hosts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The lab's hosts (director, rs1, rs2, client: network namespaces in the lab's qemu guest), reached
 * through the guest's {@link Mailbox}. Background processes run under {@code setsid} in the guest;
 * their logs must be under the lab directory (shared with the guest).
 */
public final class LabHosts implements Hosts {
  private final Path labDir;
  private final Mailbox mailbox;
  private final List<String> hosts;

  public LabHosts(Path labDir, List<String> hosts) {
    this.labDir = labDir.toAbsolutePath().normalize();
    this.mailbox = new Mailbox(this.labDir);
    this.hosts = List.copyOf(hosts);
  }

  public Mailbox mailbox() {
    return mailbox;
  }

  private void known(String host) {
    if (!hosts.contains(host)) {
      throw new IllegalArgumentException("no lab host " + host + " (hosts: " + hosts + ")");
    }
  }

  @Override
  public Result run(String host, List<String> command, Duration timeout) {
    known(host);
    Mailbox.Reply r = mailbox.runIn(host, command, timeout);
    return new Result(host, command, r.exitCode(), r.stdout(), r.stderr());
  }

  @Override
  public Background start(String host, Path log, List<String> command) {
    known(host);
    Path abs = log.toAbsolutePath().normalize();
    if (!abs.startsWith(labDir)) {
      throw new IllegalArgumentException(
          "a background process's log must be under the lab directory " + labDir + ": " + log);
    }
    try {
      Files.createDirectories(abs.getParent());
      Files.deleteIfExists(abs);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    // bash waits for the command and leaves its exit status beside the log.
    String inner =
        "nsenter --net=/run/netns/"
            + host
            + " -- "
            + Mailbox.words(command)
            + " >"
            + Mailbox.quote(abs.toString())
            + " 2>&1 </dev/null; echo $? >"
            + Mailbox.quote(abs + ".rc");
    String script =
        "rm -f "
            + Mailbox.quote(abs + ".rc")
            + "; setsid bash -c "
            + Mailbox.quote(inner)
            + " </dev/null >/dev/null 2>&1 & echo $!";
    Mailbox.Reply r = mailbox.run(script, Duration.ofSeconds(60));
    if (r.exitCode() != 0) {
      throw new IllegalStateException(
          "cannot start " + command + " on " + host + ": " + r.stderr());
    }
    long pid = Long.parseLong(r.stdout().trim());
    return new GuestProcess(mailbox, host, pid, abs);
  }

  /** A process in the guest, by pid (setsid made it a process group leader). */
  private record GuestProcess(Mailbox mailbox, String host, long pid, Path log)
      implements Background {
    @Override
    public boolean isAlive() {
      // A zombie (exited, not yet reaped by the guest's init) is not alive.
      Mailbox.Reply r =
          mailbox.run(
              "s=$(awk '{print $3}' /proc/"
                  + pid
                  + "/stat 2>/dev/null); [ -n \"$s\" ] && [ \"$s\" != Z ]",
              Duration.ofSeconds(30));
      return r.exitCode() == 0;
    }

    @Override
    public int stop(Duration grace) {
      Instant deadline = Instant.now().plus(grace);
      mailbox.run(
          "kill -TERM -- -" + pid + " 2>/dev/null || kill -TERM " + pid, Duration.ofSeconds(30));
      while (Instant.now().isBefore(deadline) && isAlive()) {
        sleep();
      }
      if (isAlive()) {
        mailbox.run(
            "kill -KILL -- -" + pid + " 2>/dev/null || kill -KILL " + pid, Duration.ofSeconds(30));
      }
      return exitStatus();
    }

    /** The command's exit status, or -1 when it was killed before it could be recorded. */
    private int exitStatus() {
      try {
        Path rc = Path.of(log + ".rc");
        return Files.exists(rc) ? Integer.parseInt(Files.readString(rc).trim()) : -1;
      } catch (IOException | NumberFormatException e) {
        return -1;
      }
    }

    private static void sleep() {
      try {
        Thread.sleep(300);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}

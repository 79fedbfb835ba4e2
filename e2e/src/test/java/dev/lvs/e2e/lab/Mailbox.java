package dev.lvs.e2e.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The host's side of the lab guest's mailbox (e2e/lab-files/guest-main serves the other side): a
 * bash script dropped into {@code mbox/req/ID.sh} runs in the guest's initial namespaces as root;
 * its output and exit status come back as {@code mbox/out/ID.{out,err,rc}}. The directory is a 9p
 * share of the lab directory, at the same path on both sides.
 */
public final class Mailbox {
  private static final AtomicLong SEQ = new AtomicLong();
  private static final long PID = ProcessHandle.current().pid();

  private final Path dir;

  public Mailbox(Path labDir) {
    this.dir = labDir.resolve("mbox");
    if (!Files.isDirectory(dir.resolve("req"))) {
      throw new IllegalStateException(
          "no lab mailbox at " + dir + ": is the lab up? (./e2e/lab up)");
    }
  }

  /** What a script left: exit status (124: timed out), stdout, stderr. */
  public record Reply(int exitCode, String stdout, String stderr) {}

  /**
   * Runs {@code script} in the guest and waits up to {@code timeout}. The script itself is wrapped
   * in {@code timeout(1)}, so a command that hangs is killed in the guest too.
   */
  public Reply run(String script, Duration timeout) {
    long seconds = Math.max(1, timeout.toSeconds());
    String id = "j" + PID + "-" + SEQ.incrementAndGet();
    String wrapped = "timeout -k 5 " + seconds + " bash -c " + quote(script) + "\n";
    Path req = dir.resolve("req").resolve(id + ".sh");
    Path tmp = dir.resolve("req").resolve("." + id + ".tmp");
    Path rc = dir.resolve("out").resolve(id + ".rc");
    try {
      Files.writeString(tmp, wrapped, StandardCharsets.UTF_8);
      Files.move(tmp, req, StandardCopyOption.ATOMIC_MOVE);
      // The guest's own timeout, plus the mailbox's latency and slack for a loaded emulator.
      long deadline = System.nanoTime() + timeout.plusSeconds(60).toNanos();
      while (!Files.exists(rc)) {
        if (System.nanoTime() > deadline) {
          return new Reply(124, "", "no answer from the lab guest within " + timeout);
        }
        Thread.sleep(50);
      }
      int code = Integer.parseInt(Files.readString(rc).trim());
      Path out = dir.resolve("out").resolve(id + ".out");
      Path err = dir.resolve("out").resolve(id + ".err");
      Reply r = new Reply(code, Files.readString(out), Files.readString(err));
      for (Path p : List.of(out, err, rc)) {
        Files.deleteIfExists(p);
      }
      return r;
    } catch (IOException e) {
      throw new UncheckedIOException("lab mailbox " + dir, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** Runs {@code command} in lab host {@code host}'s network namespace. */
  public Reply runIn(String host, List<String> command, Duration timeout) {
    return run("exec nsenter --net=/run/netns/" + host + " -- " + words(command), timeout);
  }

  /** The words of a command, each quoted for bash. */
  public static String words(List<String> command) {
    StringBuilder b = new StringBuilder();
    for (String w : command) {
      if (b.length() > 0) {
        b.append(' ');
      }
      b.append(quote(w));
    }
    return b.toString();
  }

  /** {@code s} as one bash word. */
  public static String quote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }
}

package dev.lvs.agent.state;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * An exclusive lock on the state directory, held for the life of the process: {@code run} and
 * {@code cleanup}, or two agents given the same directory, would otherwise each rewrite {@code
 * owned.json} from their own view and lose the other's records. The lock is a POSIX record lock
 * (what {@link FileChannel#tryLock} takes on Linux) on {@code lock} in the directory; the kernel
 * releases it when the process ends, however it ends. The holder writes its pid and command into
 * the file, so a second process can say who holds it.
 */
public final class StateDirectoryLock implements AutoCloseable {
  public static final String FILE_NAME = "lock";

  private final Path file;
  private final FileChannel channel;
  private final FileLock lock;

  private StateDirectoryLock(Path file, FileChannel channel, FileLock lock) {
    this.file = file;
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Takes the lock, or fails at once with an error that names the directory and, when known, the
   * process holding it.
   *
   * @param command what this process is, for the holder line ({@code run}, {@code cleanup})
   */
  public static StateDirectoryLock acquire(Path stateDir, String command) throws IOException {
    Files.createDirectories(stateDir);
    Path file = stateDir.resolve(FILE_NAME);
    FileChannel ch =
        FileChannel.open(
            file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = ch.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null; // held by this very process
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
    if (lock == null) {
      String holder = holder(ch);
      // Closing a second channel of the file in the process that holds the lock would release
      // that lock too (POSIX): only close when the holder is another process.
      if (!holder.startsWith("pid " + ProcessHandle.current().pid() + ",")) {
        ch.close();
      }
      throw new IOException(
          "state directory "
              + stateDir
              + " is locked by another lvs-agent process"
              + (holder.isEmpty() ? "" : " (" + holder + ")")
              + ": two agents must not share a state directory, and \"cleanup\" must not run"
              + " while \"run\" does. Stop the other process first");
    }
    String line =
        "pid "
            + ProcessHandle.current().pid()
            + ", lvs-agent "
            + command
            + ", since "
            + Instant.now()
            + "\n";
    ch.truncate(0);
    ch.write(ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8)), 0);
    ch.force(false);
    return new StateDirectoryLock(file, ch, lock);
  }

  private static String holder(FileChannel ch) {
    try {
      ByteBuffer b = ByteBuffer.allocate(512);
      ch.read(b, 0);
      return new String(b.array(), 0, b.position(), StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      return "";
    }
  }

  public Path file() {
    return file;
  }

  /** Releases the lock (the process's end does too). */
  @Override
  public void close() {
    try {
      lock.release();
    } catch (IOException e) {
      // closing the channel releases it as well
    }
    try {
      channel.close();
    } catch (IOException e) {
      // nothing more to release
    }
  }
}

package dev.lvs.agent.sysctl;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * {@link Sysctls} over files: /proc/sys by default, any directory in tests. Paths are relative
 * (e.g. {@code net/ipv4/conf/lo/arp_ignore}) and may not climb out of the root.
 */
public final class ProcSysctls implements Sysctls {
  public static final Path DEFAULT_ROOT = Path.of("/proc/sys");

  private final Path root;

  public ProcSysctls() {
    this(DEFAULT_ROOT);
  }

  public ProcSysctls(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  public Path root() {
    return root;
  }

  /** The file for a parameter; rejects absolute paths, "..", empty names. */
  public Path resolve(String path) {
    if (path == null || path.isBlank() || path.startsWith("/")) {
      throw new IllegalArgumentException("sysctl path must be relative to " + root + ": " + path);
    }
    for (String part : path.split("/", -1)) {
      if (part.isEmpty() || part.equals(".") || part.equals("..")) {
        throw new IllegalArgumentException("bad sysctl path: " + path);
      }
    }
    Path p = root.resolve(path).normalize();
    if (!p.startsWith(root)) {
      throw new IllegalArgumentException("sysctl path escapes " + root + ": " + path);
    }
    return p;
  }

  @Override
  public Optional<String> read(String path) throws IOException {
    Path p = resolve(path);
    try {
      return Optional.of(Files.readString(p, StandardCharsets.US_ASCII).trim());
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  @Override
  public void write(String path, String value) throws IOException {
    Path p = resolve(path);
    if (value.indexOf('\n') >= 0) {
      throw new IllegalArgumentException("sysctl value must be one line: " + value);
    }
    // No CREATE: a parameter that does not exist must fail, not appear as a new file.
    try (OutputStream out =
        Files.newOutputStream(p, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
      out.write((value + "\n").getBytes(StandardCharsets.US_ASCII));
    } catch (NoSuchFileException e) {
      throw new NoSuchFileException(p.toString(), null, "no such kernel parameter");
    } catch (IOException e) {
      // The kernel refuses a bad value with EINVAL, which Java reports without the path.
      throw new IOException(
          "sysctl " + p + ": writing \"" + value + "\" failed: " + e.getMessage(), e);
    }
    String back = read(path).orElse(null);
    if (back == null || !normalize(back).equals(normalize(value))) {
      throw new IOException(
          "sysctl " + p + ": wrote \"" + value + "\" but the kernel kept \"" + back + "\"");
    }
  }

  /** Whitespace-insensitive: the kernel prints multi-value parameters with tabs. */
  private static String normalize(String s) {
    return String.join(" ", s.trim().split("\\s+"));
  }
}

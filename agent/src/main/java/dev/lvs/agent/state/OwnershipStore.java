package dev.lvs.agent.state;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.lvs.agent.ipvs.IpvsDestination.DestinationKey;
import dev.lvs.agent.ipvs.ServiceKey;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The agent's record of what it owns, {@code owned.json} in the state directory. It is how the
 * agent proves, across restarts, that it created something (IPv4 addresses also carry the {@code
 * :lvs} label). Writes are atomic: a temporary file, fsync, then rename over the old one.
 */
public final class OwnershipStore {
  public static final String FILE_NAME = "owned.json";
  public static final int FORMAT_VERSION = 1;

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .setSerializationInclusion(JsonInclude.Include.NON_NULL);

  private final Path file;
  private volatile Ownership current;

  private OwnershipStore(Path file, Ownership current) {
    this.file = file;
    this.current = current;
  }

  /** Opens the store in {@code stateDir}: an absent file is an empty record. */
  public static OwnershipStore open(Path stateDir) throws IOException {
    Path file = stateDir.resolve(FILE_NAME);
    return new OwnershipStore(file, read(file));
  }

  public Path file() {
    return file;
  }

  /** A copy of what is owned, safe to change. */
  public Ownership current() {
    return current.copy();
  }

  /** Records {@code ownership} on disk, then in memory; skips the write when nothing changed. */
  public void save(Ownership ownership) throws IOException {
    if (ownership.equals(current)) {
      return;
    }
    Ownership snapshot = ownership.copy();
    write(file, snapshot);
    current = snapshot;
  }

  static Ownership read(Path file) throws IOException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return Ownership.empty();
    }
    StateFile f;
    try {
      f = JSON.readValue(bytes, StateFile.class);
    } catch (IOException e) {
      throw new IOException(
          "state file "
              + file
              + " is unreadable ("
              + e.getMessage()
              + "); the agent cannot tell what it owns. Inspect it, and remove it only once"
              + " the VIPs and IPVS services it lists are gone",
          e);
    }
    Ownership o = Ownership.empty();
    for (ServiceRecord s : nullToEmpty(f.services)) {
      ServiceKey key =
          new ServiceKey(
              s.family,
              s.protocol,
              s.fwmark != 0 ? null : Ips.literal(s.address),
              s.port,
              s.fwmark);
      o.addService(key);
      for (DestinationRecord d : nullToEmpty(s.destinations)) {
        o.addDestination(key, new DestinationKey(Ips.literal(d.address), d.port));
      }
    }
    for (AddressRecord a : nullToEmpty(f.addresses)) {
      o.addAddress(
          new OwnedAddress(
              a.linkIndex, a.interfaceName, Ips.literal(a.address), a.prefixLength, a.label));
    }
    for (SysctlRecord s : nullToEmpty(f.sysctls)) {
      o.putSysctl(s.path, new OwnedSysctl(s.original, s.applied));
    }
    return o;
  }

  static void write(Path file, Ownership o) throws IOException {
    StateFile f = new StateFile();
    f.version = FORMAT_VERSION;
    f.services = new ArrayList<>();
    for (ServiceKey k : o.services()) {
      ServiceRecord s = new ServiceRecord();
      s.family = k.family();
      s.protocol = k.protocol();
      s.address = k.address() == null ? null : k.address().getHostAddress();
      s.port = k.port();
      s.fwmark = k.fwmark();
      s.description = k.toString();
      s.destinations = new ArrayList<>();
      for (DestinationKey d : o.destinations(k)) {
        DestinationRecord r = new DestinationRecord();
        r.address = d.address().getHostAddress();
        r.port = d.port();
        s.destinations.add(r);
      }
      f.services.add(s);
    }
    f.addresses = new ArrayList<>();
    for (OwnedAddress a : o.addresses().values()) {
      AddressRecord r = new AddressRecord();
      r.linkIndex = a.linkIndex();
      r.interfaceName = a.interfaceName();
      r.address = a.address().getHostAddress();
      r.prefixLength = a.prefixLength();
      r.label = a.label();
      f.addresses.add(r);
    }
    f.sysctls = new ArrayList<>();
    o.sysctls()
        .forEach(
            (path, s) -> {
              SysctlRecord r = new SysctlRecord();
              r.path = path;
              r.original = s.original();
              r.applied = s.applied();
              f.sysctls.add(r);
            });

    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = dir.resolve(file.getFileName() + ".tmp");
    byte[] bytes = JSON.writeValueAsBytes(f);
    try (FileChannel ch =
        FileChannel.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      ch.write(java.nio.ByteBuffer.wrap(bytes));
      ch.force(true);
    }
    try {
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static <T> List<T> nullToEmpty(List<T> list) {
    return list == null ? List.of() : list;
  }

  // The file format: plain fields, so the file stays readable and stable.

  static final class StateFile {
    public int version;
    public List<ServiceRecord> services;
    public List<AddressRecord> addresses;
    public List<SysctlRecord> sysctls;
  }

  static final class ServiceRecord {
    public String description;
    public int family;
    public int protocol;
    public String address;
    public int port;
    public int fwmark;
    public List<DestinationRecord> destinations;
  }

  static final class DestinationRecord {
    public String address;
    public int port;
  }

  static final class AddressRecord {
    public int linkIndex;
    public String interfaceName;
    public String address;
    public int prefixLength;
    public String label;
  }

  static final class SysctlRecord {
    public String path;
    public String original;
    public String applied;
  }
}

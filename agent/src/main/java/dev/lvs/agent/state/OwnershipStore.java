package dev.lvs.agent.state;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.lvs.agent.ipvs.ForwardMethod;
import dev.lvs.agent.ipvs.IpvsDestination;
import dev.lvs.agent.ipvs.IpvsDestination.DestinationKey;
import dev.lvs.agent.ipvs.IpvsService;
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
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's record of what it owns, {@code owned.json} in the state directory. It is how the
 * agent proves, across restarts, that it created something (IPv4 addresses also carry the {@code
 * :lvs} label). Writes are atomic: a temporary file, fsync, then rename over the old one.
 *
 * <p>The file also holds the write-ahead {@link Intents} of an apply in progress, and the boot id
 * of the kernel the records are about ({@code /proc/sys/kernel/random/boot_id}). Opened under
 * another boot id, every record is dropped: a reboot removed the VIPs and IPVS services and reset
 * the sysctls, so an object with a recorded key now is someone else's (keepalived, a sysctl.d
 * drop-in), and an "original" sysctl value is no longer the one to restore.
 */
public final class OwnershipStore {
  private static final Logger log = LoggerFactory.getLogger(OwnershipStore.class);

  public static final String FILE_NAME = "owned.json";
  public static final int FORMAT_VERSION = 1;

  /** Where the kernel publishes the id of the current boot (not namespaced: the host's). */
  public static final Path BOOT_ID = Path.of("/proc/sys/kernel/random/boot_id");

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .setSerializationInclusion(JsonInclude.Include.NON_NULL);

  private final Path file;
  private final String bootId; // null when unknown
  private volatile Ownership current;

  private OwnershipStore(Path file, String bootId, Ownership current) {
    this.file = file;
    this.bootId = bootId;
    this.current = current;
  }

  /** Opens the store in {@code stateDir} for the running kernel's boot id. */
  public static OwnershipStore open(Path stateDir) throws IOException {
    return open(stateDir, readBootId(BOOT_ID).orElse(null));
  }

  /**
   * Opens the store in {@code stateDir}: an absent file is an empty record. A file written under
   * another boot id than {@code bootId} is emptied (and rewritten at once); {@code bootId} null, or
   * a file without one (an older agent), keeps the records.
   */
  public static OwnershipStore open(Path stateDir, String bootId) throws IOException {
    Path file = stateDir.resolve(FILE_NAME);
    Loaded loaded = load(file);
    Ownership o = loaded.ownership();
    if (bootId != null
        && loaded.bootId() != null
        && !loaded.bootId().equals(bootId)
        && !o.isEmpty()) {
      log.warn(
          "state: {} was written before a reboot (boot id {}, now {}): the kernel objects it"
              + " records are gone and the sysctls were reset, so its records are dropped"
              + " (services {}, addresses {}, sysctls {}, intended {})",
          file,
          loaded.bootId(),
          bootId,
          o.services().size(),
          o.addresses().size(),
          o.sysctls().size(),
          o.intents().size());
      o = Ownership.empty();
      write(file, o, bootId);
    }
    return new OwnershipStore(file, bootId, o);
  }

  /** The boot id in {@code path}, trimmed, or empty when it cannot be read. */
  public static Optional<String> readBootId(Path path) {
    try {
      String id = Files.readString(path).trim();
      return id.isEmpty() ? Optional.empty() : Optional.of(id);
    } catch (IOException | RuntimeException e) {
      log.warn("state: cannot read the boot id from {}: {}", path, e.toString());
      return Optional.empty();
    }
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
    write(file, snapshot, bootId);
    current = snapshot;
  }

  static Ownership read(Path file) throws IOException {
    return load(file).ownership();
  }

  private record Loaded(Ownership ownership, String bootId) {}

  private static Loaded load(Path file) throws IOException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return new Loaded(Ownership.empty(), null);
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
      ServiceKey key = serviceKey(s);
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
    if (f.intended != null) {
      readIntents(f.intended, o.intents());
    }
    return new Loaded(o, f.bootId);
  }

  private static ServiceKey serviceKey(ServiceRecord s) {
    return new ServiceKey(
        s.family, s.protocol, s.fwmark != 0 ? null : Ips.literal(s.address), s.port, s.fwmark);
  }

  private static void readIntents(IntentsRecord r, Intents into) {
    for (ServiceRecord s : nullToEmpty(r.services)) {
      ServiceKey key = serviceKey(s);
      into.service(
          new IpvsService(
              key, s.scheduler, orZero(s.flags), orZero(s.timeoutSeconds), orZero(s.netmask)));
    }
    for (ServiceRecord s : nullToEmpty(r.destinations)) {
      ServiceKey key = serviceKey(s);
      for (DestinationRecord d : nullToEmpty(s.destinations)) {
        into.destination(
            key,
            new IpvsDestination(
                Ips.literal(d.address),
                d.port,
                ForwardMethod.fromCode(orZero(d.forward)),
                orZero(d.weight),
                orZero(d.upperThreshold),
                orZero(d.lowerThreshold)));
      }
    }
    for (AddressRecord a : nullToEmpty(r.addresses)) {
      into.address(
          new OwnedAddress(
              a.linkIndex, a.interfaceName, Ips.literal(a.address), a.prefixLength, a.label));
    }
    for (SysctlRecord s : nullToEmpty(r.sysctls)) {
      into.sysctl(s.path, new OwnedSysctl(s.original, s.applied));
    }
  }

  private static ServiceRecord serviceRecord(ServiceKey k) {
    ServiceRecord s = new ServiceRecord();
    s.family = k.family();
    s.protocol = k.protocol();
    s.address = k.address() == null ? null : k.address().getHostAddress();
    s.port = k.port();
    s.fwmark = k.fwmark();
    s.description = k.toString();
    return s;
  }

  private static AddressRecord addressRecord(OwnedAddress a) {
    AddressRecord r = new AddressRecord();
    r.linkIndex = a.linkIndex();
    r.interfaceName = a.interfaceName();
    r.address = a.address().getHostAddress();
    r.prefixLength = a.prefixLength();
    r.label = a.label();
    return r;
  }

  private static SysctlRecord sysctlRecord(String path, OwnedSysctl s) {
    SysctlRecord r = new SysctlRecord();
    r.path = path;
    r.original = s.original();
    r.applied = s.applied();
    return r;
  }

  private static IntentsRecord intentsRecord(Intents in) {
    IntentsRecord r = new IntentsRecord();
    r.services = new ArrayList<>();
    for (IpvsService svc : in.services().values()) {
      ServiceRecord s = serviceRecord(svc.key());
      s.scheduler = svc.scheduler();
      s.flags = svc.flags();
      s.timeoutSeconds = svc.timeoutSeconds();
      s.netmask = svc.netmask();
      r.services.add(s);
    }
    r.destinations = new ArrayList<>();
    for (Map.Entry<ServiceKey, Map<DestinationKey, IpvsDestination>> e :
        in.destinations().entrySet()) {
      ServiceRecord s = serviceRecord(e.getKey());
      s.destinations = new ArrayList<>();
      for (IpvsDestination d : e.getValue().values()) {
        DestinationRecord dr = new DestinationRecord();
        dr.address = d.address().getHostAddress();
        dr.port = d.port();
        dr.forward = d.forward().code();
        dr.weight = d.weight();
        dr.upperThreshold = d.upperThreshold();
        dr.lowerThreshold = d.lowerThreshold();
        s.destinations.add(dr);
      }
      r.destinations.add(s);
    }
    r.addresses = new ArrayList<>();
    in.addresses().values().forEach(a -> r.addresses.add(addressRecord(a)));
    r.sysctls = new ArrayList<>();
    in.sysctls().forEach((path, v) -> r.sysctls.add(sysctlRecord(path, v)));
    return r;
  }

  static void write(Path file, Ownership o) throws IOException {
    write(file, o, null);
  }

  static void write(Path file, Ownership o, String bootId) throws IOException {
    StateFile f = new StateFile();
    f.version = FORMAT_VERSION;
    f.bootId = bootId;
    f.services = new ArrayList<>();
    for (ServiceKey k : o.services()) {
      ServiceRecord s = serviceRecord(k);
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
    o.addresses().values().forEach(a -> f.addresses.add(addressRecord(a)));
    f.sysctls = new ArrayList<>();
    o.sysctls().forEach((path, s) -> f.sysctls.add(sysctlRecord(path, s)));
    f.intended = o.intents().isEmpty() ? null : intentsRecord(o.intents());

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

  private static int orZero(Integer i) {
    return i == null ? 0 : i;
  }

  private static <T> List<T> nullToEmpty(List<T> list) {
    return list == null ? List.of() : list;
  }

  // The file format: plain fields, so the file stays readable and stable.

  static final class StateFile {
    public int version;
    public String bootId;
    public List<ServiceRecord> services;
    public List<AddressRecord> addresses;
    public List<SysctlRecord> sysctls;
    public IntentsRecord intended;
  }

  /** What an apply in progress is creating, each object as it is asked for. */
  static final class IntentsRecord {
    public List<ServiceRecord> services;
    public List<ServiceRecord> destinations;
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
    // Intended services only: the settings asked for.
    public String scheduler;
    public Integer flags;
    public Integer timeoutSeconds;
    public Integer netmask;
    public List<DestinationRecord> destinations;
  }

  static final class DestinationRecord {
    public String address;
    public int port;
    // Intended destinations only: the settings asked for.
    public Integer forward;
    public Integer weight;
    public Integer upperThreshold;
    public Integer lowerThreshold;
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

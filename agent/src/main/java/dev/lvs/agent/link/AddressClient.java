package dev.lvs.agent.link;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Links and addresses of one network namespace, through rtnetlink. Implemented by {@code
 * dev.lvs.agent.netlink.rtnl.RtnlAddressClient} and in memory for tests.
 */
public interface AddressClient extends AutoCloseable {

  List<Link> links() throws IOException;

  Optional<Link> link(String name) throws IOException;

  Optional<Link> link(int index) throws IOException;

  /** Every address of every link, both families. */
  List<IfAddress> addresses() throws IOException;

  /** Adds an address (RTM_NEWADDR, NLM_F_CREATE|NLM_F_EXCL): EEXIST when it is there. */
  void addAddress(IfAddress address) throws IOException;

  /** A lifetime that never ends (the kernel's INFINITY_LIFE_TIME). */
  long FOREVER = 0xFFFFFFFFL;

  /**
   * Adds an address whose valid (and preferred) lifetime is {@code validSeconds}: the kernel
   * removes it by itself when that runs out, unless {@link #setLifetime} extends it first.
   */
  default void addAddress(IfAddress address, long validSeconds) throws IOException {
    if (validSeconds != FOREVER) {
      throw new UnsupportedOperationException("address lifetimes");
    }
    addAddress(address);
  }

  /**
   * Sets an existing address's lifetime, counted from now ({@link #FOREVER}: none). The kernel
   * re-creates the address if it is gone: never call it concurrently with a removal.
   */
  default void setLifetime(IfAddress address, long validSeconds) throws IOException {
    throw new UnsupportedOperationException("address lifetimes");
  }

  /** Deletes an address (RTM_DELADDR): EADDRNOTAVAIL when it is not there. */
  void deleteAddress(IfAddress address) throws IOException;

  @Override
  void close();
}

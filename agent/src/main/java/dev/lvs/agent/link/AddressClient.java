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

  /** Deletes an address (RTM_DELADDR): EADDRNOTAVAIL when it is not there. */
  void deleteAddress(IfAddress address) throws IOException;

  @Override
  void close();
}

package dev.lvs.agent.netlink.genl;

import dev.lvs.agent.netlink.NetlinkException;

/** The controller does not know the family (ENOENT): the kernel module is not loaded. */
public class GenlFamilyNotFoundException extends NetlinkException {
  private final String family;

  public GenlFamilyNotFoundException(String operation, String family, String detail) {
    super(operation, ENOENT, detail);
    this.family = family;
  }

  public String family() {
    return family;
  }
}

package dev.lvs.agent.ipvs;

/** GET_INFO: the IPVS version (e.g. 0x010201 is 1.2.1) and the connection table size. */
public record IpvsInfo(int version, int connectionTableSize) {
  public String versionString() {
    return ((version >> 16) & 0xff) + "." + ((version >> 8) & 0xff) + "." + (version & 0xff);
  }
}

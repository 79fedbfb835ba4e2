package dev.lvs.agent.ipvs;

/** IPVS forwarding methods (IP_VS_CONN_F_* in include/uapi/linux/ip_vs.h, mask 0x7). */
public enum ForwardMethod {
  MASQUERADE(0),
  LOCAL_NODE(1),
  TUNNEL(2),
  DIRECT_ROUTE(3);

  public static final int MASK = 0x7;

  private final int code;

  ForwardMethod(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  /** Decodes the low three bits of a FWD_METHOD attribute. */
  public static ForwardMethod fromCode(int value) {
    int c = value & MASK;
    for (ForwardMethod m : values()) {
      if (m.code == c) {
        return m;
      }
    }
    throw new IllegalArgumentException("unknown IPVS forwarding method " + c);
  }
}

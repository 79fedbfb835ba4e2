package dev.lvs.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The kernel's IPVS schedulers, by the names {@code ipvsadm -s} and the kernel use. */
public enum Scheduler {
  /** Round robin. */
  @JsonProperty("rr")
  RR("rr"),
  /** Weighted round robin. */
  @JsonProperty("wrr")
  WRR("wrr"),
  /** Least connection. */
  @JsonProperty("lc")
  LC("lc"),
  /** Weighted least connection (the default). */
  @JsonProperty("wlc")
  WLC("wlc"),
  /** Locality-based least connection. */
  @JsonProperty("lblc")
  LBLC("lblc"),
  /** Locality-based least connection with replication. */
  @JsonProperty("lblcr")
  LBLCR("lblcr"),
  /** Destination hashing. */
  @JsonProperty("dh")
  DH("dh"),
  /** Source hashing. */
  @JsonProperty("sh")
  SH("sh"),
  /** Shortest expected delay. */
  @JsonProperty("sed")
  SED("sed"),
  /** Never queue. */
  @JsonProperty("nq")
  NQ("nq"),
  /** Weighted failover. */
  @JsonProperty("fo")
  FO("fo"),
  /** Weighted overflow. */
  @JsonProperty("ovf")
  OVF("ovf"),
  /** Maglev hashing. */
  @JsonProperty("mh")
  MH("mh"),
  /** Weighted random twos choice. */
  @JsonProperty("twos")
  TWOS("twos");

  private final String kernelName;

  Scheduler(String kernelName) {
    this.kernelName = kernelName;
  }

  /** The name the kernel knows the scheduler by (IPVS_SVC_ATTR_SCHED_NAME). */
  public String kernelName() {
    return kernelName;
  }
}

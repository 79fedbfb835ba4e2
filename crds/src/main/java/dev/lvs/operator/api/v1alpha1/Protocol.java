package dev.lvs.operator.api.v1alpha1;

/** The transport protocols IPVS balances. */
public enum Protocol {
  TCP,
  UDP,
  SCTP
}

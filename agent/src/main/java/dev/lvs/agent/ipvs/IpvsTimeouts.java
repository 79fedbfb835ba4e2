package dev.lvs.agent.ipvs;

/** GET_CONFIG / SET_CONFIG: the TCP, TCP FIN and UDP connection timeouts, in seconds. */
public record IpvsTimeouts(int tcp, int tcpFin, int udp) {}

package dev.lvs.agent.ipvs;

/** A destination as listed from the kernel: configuration, connection counts and counters. */
public record DestinationEntry(
    IpvsDestination destination,
    int activeConnections,
    int inactiveConnections,
    int persistentConnections,
    IpvsStats stats) {}

package dev.lvs.agent.ipvs;

/** A service as listed from the kernel: its configuration and its counters. */
public record ServiceEntry(IpvsService service, IpvsStats stats) {}

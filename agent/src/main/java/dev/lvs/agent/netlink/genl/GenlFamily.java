package dev.lvs.agent.netlink.genl;

/** A generic netlink family as the controller describes it. */
public record GenlFamily(int id, String name, int version, int headerSize, int maxAttr) {}

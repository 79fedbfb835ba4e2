package dev.lvs.agent.state;

/**
 * A kernel parameter the agent changed: its value before the first change (restored when no longer
 * wanted) and the value the agent last wrote.
 */
public record OwnedSysctl(String original, String applied) {}

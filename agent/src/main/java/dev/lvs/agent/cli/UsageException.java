package dev.lvs.agent.cli;

/** A command line the agent cannot run: the message says what is wrong. */
public final class UsageException extends Exception {
  public UsageException(String message) {
    super(message);
  }
}

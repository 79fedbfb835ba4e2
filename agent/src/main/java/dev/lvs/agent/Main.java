package dev.lvs.agent;

/** The lvs-agent command line. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.out.println("lvs-agent: not implemented yet");
  }
}

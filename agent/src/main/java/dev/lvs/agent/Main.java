package dev.lvs.agent;

import dev.lvs.agent.cli.Agent;
import dev.lvs.agent.cli.CliArgs;
import dev.lvs.agent.cli.Command;
import dev.lvs.agent.cli.UsageException;
import java.io.IOException;
import org.slf4j.LoggerFactory;

/** The lvs-agent command line: {@code run}, {@code cleanup}, {@code --help}. */
public final class Main {
  static final int EXIT_FAILED = 1;
  static final int EXIT_USAGE = 2;

  private Main() {}

  public static void main(String[] args) {
    Agent.exit(execute(args));
  }

  static int execute(String[] args) {
    Command command;
    try {
      command = CliArgs.parse(args, System.getenv());
    } catch (UsageException e) {
      System.err.println("lvs-agent: " + e.getMessage());
      return EXIT_USAGE;
    }
    try {
      if (command instanceof Command.Help h) {
        System.out.print(h.text());
        return 0;
      }
      if (command instanceof Command.Cleanup c) {
        return Agent.cleanup(c.stateDir(), System.err);
      }
      Command.Run run = (Command.Run) command;
      return run.options().once()
          ? Agent.runOnce(run.options(), System.err)
          : Agent.runForever(run.options());
    } catch (IOException | RuntimeException e) {
      LoggerFactory.getLogger(Main.class).debug("fatal", e);
      System.err.println("lvs-agent: " + e.getMessage());
      return EXIT_FAILED;
    }
  }
}

package dev.lvs.operator.api;

/** Text limits shared by the operator and the agents. */
public final class Texts {
  private Texts() {}

  /**
   * {@code text} cut to at most {@code max} characters, ending in "..." when cut, without splitting
   * a surrogate pair (a lone surrogate would not survive the API server's UTF-8 round trip, so the
   * stored text would never equal the wanted one and every reconcile would write it again).
   */
  public static String cut(String text, int max) {
    if (text == null || text.length() <= max) {
      return text;
    }
    int end = max - 3;
    if (end > 0 && Character.isHighSurrogate(text.charAt(end - 1))) {
      end--;
    }
    return text.substring(0, end) + "...";
  }

  /**
   * A generated object name: {@code base} then "." and {@code suffix}, with base shortened so the
   * whole stays a valid DNS subdomain of at most 253 characters.
   */
  public static String generatedName(String base, String suffix) {
    int room = 253 - 1 - suffix.length();
    String b = base.length() > room ? base.substring(0, room) : base;
    while (!b.isEmpty() && !Character.isLetterOrDigit(b.charAt(b.length() - 1))) {
      b = b.substring(0, b.length() - 1);
    }
    return b + "." + suffix;
  }
}

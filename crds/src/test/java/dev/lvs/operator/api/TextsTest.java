package dev.lvs.operator.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TextsTest {
  @Test
  void shortTextIsKept() {
    assertThat(Texts.cut("abc", 5)).isEqualTo("abc");
    assertThat(Texts.cut(null, 5)).isNull();
  }

  @Test
  void longTextEndsInAnEllipsisWithinTheLimit() {
    assertThat(Texts.cut("abcdefgh", 6)).isEqualTo("abc...");
  }

  @Test
  void aSurrogatePairIsNeverSplit() {
    String face = new String(Character.toChars(0x1F600)); // two chars
    String text = "ab" + face + "cdefgh";
    String cut = Texts.cut(text, 6); // would end after the high surrogate
    assertThat(cut).isEqualTo("ab...");
    assertThat(cut.chars().noneMatch(c -> Character.isSurrogate((char) c))).isTrue();
  }

  @Test
  void generatedNamesStayValidDnsSubdomains() {
    assertThat(Texts.generatedName("web", "1a2b")).isEqualTo("web.1a2b");
    String longName = "a".repeat(230) + "-" + "b".repeat(22); // 253 characters
    String n = Texts.generatedName(longName, "0123456789abcdef");
    assertThat(n).hasSizeLessThanOrEqualTo(253).endsWith(".0123456789abcdef");
    assertThat(n).matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?");
    assertThat(Texts.generatedName("a".repeat(236) + "-x", "0123456789abcdef"))
        .as("no '-' left before the dot")
        .isEqualTo("a".repeat(236) + ".0123456789abcdef");
  }
}

package dev.lvs.agent.report;

import java.util.Locale;
import java.util.Map;

/** A writer of the Prometheus text exposition format (version 0.0.4). */
final class PrometheusText {
  private final StringBuilder out = new StringBuilder();

  PrometheusText header(String name, String type, String help) {
    out.append("# HELP ").append(name).append(' ').append(help.replace("\n", " ")).append('\n');
    out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    return this;
  }

  PrometheusText sample(String name, Map<String, String> labels, double value) {
    out.append(name);
    if (!labels.isEmpty()) {
      out.append('{');
      boolean first = true;
      for (Map.Entry<String, String> e : labels.entrySet()) {
        if (!first) {
          out.append(',');
        }
        first = false;
        out.append(e.getKey()).append("=\"").append(escape(e.getValue())).append('"');
      }
      out.append('}');
    }
    out.append(' ').append(format(value)).append('\n');
    return this;
  }

  PrometheusText sample(String name, double value) {
    return sample(name, Map.of(), value);
  }

  static String escape(String v) {
    return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }

  static String format(double v) {
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return String.format(Locale.ROOT, "%s", v);
  }

  @Override
  public String toString() {
    return out.toString();
  }
}

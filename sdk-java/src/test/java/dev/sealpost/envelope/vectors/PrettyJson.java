package dev.sealpost.envelope.vectors;

import java.util.List;
import java.util.Map;

/** A small indenting JSON writer, so the checked-in vector files read well in a diff. */
final class PrettyJson {
  private PrettyJson() {}

  static String write(Object value) {
    StringBuilder sb = new StringBuilder();
    write(sb, value, "");
    return sb.append('\n').toString();
  }

  private static void write(StringBuilder sb, Object value, String indent) {
    if (value == null) {
      sb.append("null");
    } else if (value instanceof String) {
      sb.append(HandJose.quote((String) value));
    } else if (value instanceof Number || value instanceof Boolean) {
      sb.append(value);
    } else if (value instanceof Map) {
      Map<?, ?> map = (Map<?, ?>) value;
      if (map.isEmpty()) {
        sb.append("{}");
        return;
      }
      String inner = indent + "  ";
      sb.append("{\n");
      int i = 0;
      for (Map.Entry<?, ?> e : map.entrySet()) {
        sb.append(inner).append(HandJose.quote(String.valueOf(e.getKey()))).append(": ");
        write(sb, e.getValue(), inner);
        sb.append(++i < map.size() ? ",\n" : "\n");
      }
      sb.append(indent).append('}');
    } else if (value instanceof List) {
      List<?> list = (List<?>) value;
      if (list.isEmpty()) {
        sb.append("[]");
        return;
      }
      String inner = indent + "  ";
      sb.append("[\n");
      for (int i = 0; i < list.size(); i++) {
        sb.append(inner);
        write(sb, list.get(i), inner);
        sb.append(i + 1 < list.size() ? ",\n" : "\n");
      }
      sb.append(indent).append(']');
    } else {
      throw new IllegalArgumentException("cannot write " + value.getClass());
    }
  }
}

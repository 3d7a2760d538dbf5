package dev.sealpost.envelope.vectors;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps the worked examples in docs/FORMAT.md section 6.2 and 10 equal to the checked-in vector
 * {@value #VECTOR}: the generator rewrites them, {@code TestVectorsTest} checks them.
 */
final class FormatDocExamples {
  static final String VECTOR = "link-a256kw-attachments";
  private static final String FENCE = "```\n";
  private static final String BLOCK_START = FENCE + "jweProtectedHeader";
  private static final Pattern PREFIX = Pattern.compile("`noncePrefix`\n`[A-Za-z0-9_-]{10}`");
  private static final Pattern NONCE = Pattern.compile("nonce_(\\d) = [0-9a-f]{14} ");

  private FormatDocExamples() {}

  /** {@code doc} with its examples rewritten from {@code vector} (the parsed vector file). */
  static String sync(String doc, Map<String, Object> vector) throws java.text.ParseException {
    Map<String, Object> i = TestVectorsTest.map(vector.get("intermediate"));
    Map<String, Object> manifest = JSONObjectUtils.parse((String) i.get("manifest"));
    String block =
        FENCE
            + "jweProtectedHeader  "
            + i.get("jweProtectedHeader")
            + "\ncek                 "
            + i.get("cek")
            + "\njwsHeader           "
            + i.get("jwsHeader")
            + "\nmanifest            "
            + PrettyJson.write(manifest).trim().replace("\n", "\n                    ")
            + "\n"
            + FENCE;
    int a = doc.indexOf(BLOCK_START);
    int b = doc.indexOf(FENCE, a + FENCE.length());
    if (a < 0 || b < 0) {
      throw new IllegalStateException("FORMAT.md has no intermediate-values block");
    }
    String result = doc.substring(0, a) + block + doc.substring(b + FENCE.length());

    String prefix = null;
    for (Object o : (List<?>) manifest.get("attachments")) {
      Map<String, Object> att = TestVectorsTest.map(o);
      if ("claim.txt".equals(att.get("name"))) {
        prefix = (String) att.get("noncePrefix");
      }
    }
    if (prefix == null) {
      throw new IllegalStateException(VECTOR + " has no claim.txt");
    }
    String hex = hex(HandJose.unb64(prefix));
    result =
        PREFIX
            .matcher(result)
            .replaceAll(Matcher.quoteReplacement("`noncePrefix`\n`" + prefix + "`"));
    result = NONCE.matcher(result).replaceAll("nonce_$1 = " + hex + " ");
    return result;
  }

  static String hex(byte[] b) {
    StringBuilder sb = new StringBuilder();
    for (byte x : b) {
      sb.append(String.format("%02x", x));
    }
    return sb.toString();
  }
}

package dev.sealpost.api.domain;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Coverage-guided fuzzing (Jazzer) of the clear-text guard, which runs its normaliser and regular
 * expressions over every subject, sender name and other clear-text field of every seal request.
 *
 * <p>Contract: {@link ClearTextGuard#scan} answers for any text, and {@link ClearTextGuard#check}
 * either passes or refuses with {@link InvalidInputException} (a 422); nothing else escapes (no
 * {@code StackOverflowError} from a regular expression), and one input stays under the per-input
 * timeout (no catastrophic backtracking). Corpus: {@code
 * src/test/resources/dev/sealpost/api/domain/ClearTextGuardFuzzTestInputs/scan/}.
 */
class ClearTextGuardFuzzTest {
  private static final ClearTextGuard GUARD = ClearTextGuard.asOf(2026);

  @FuzzTest
  void scan(byte[] data) {
    String text = new String(data, StandardCharsets.UTF_8);
    boolean found = GUARD.scan(text).isPresent();
    try {
      GUARD.check("subject", text);
      if (found) {
        throw new AssertionError("scan found personal data that check let through");
      }
    } catch (InvalidInputException e) {
      if (!found) {
        throw new AssertionError("check refused what scan let through", e);
      }
    }
  }
}

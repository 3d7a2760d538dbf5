package dev.sealpost.api.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * A one-time code for EMAIL_OTP: {@value #DIGITS} digits from a CSPRNG. Stored only as {@code
 * <salt>.<hex SHA-256(salt || recipientId || ":" || code)>}, bound to the recipient.
 *
 * <p>Why a fast hash is enough here: a code lives {@code 10} minutes, allows 5 wrong answers in
 * total before the recipient locks, and alone opens nothing (the link share is only in the mail's
 * link). Someone holding a copy of the database could brute-force a live code offline, but would
 * still lack the link secret.
 */
public final class OtpCode {
  public static final int DIGITS = 6;
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private OtpCode() {}

  /** A fresh code, e.g. {@code 042917}. */
  public static String generate() {
    int bound = (int) Math.pow(10, DIGITS);
    return String.format("%0" + DIGITS + "d", RANDOM.nextInt(bound));
  }

  public static String hash(RecipientId recipientId, String code) {
    byte[] salt = new byte[16];
    RANDOM.nextBytes(salt);
    String s = B64.encodeToString(salt);
    return s + "." + digest(s, recipientId, code);
  }

  /** Constant-time check of a typed code against a stored hash. */
  public static boolean matches(RecipientId recipientId, String code, String stored) {
    if (stored == null || code == null) {
      return false;
    }
    int dot = stored.indexOf('.');
    if (dot < 0) {
      return false;
    }
    String normalized = code.replaceAll("[\\s-]", "");
    if (!normalized.matches("[0-9]{" + DIGITS + "}")) {
      return false;
    }
    byte[] expected = stored.substring(dot + 1).getBytes(StandardCharsets.US_ASCII);
    byte[] actual =
        digest(stored.substring(0, dot), recipientId, normalized)
            .getBytes(StandardCharsets.US_ASCII);
    return MessageDigest.isEqual(expected, actual);
  }

  private static String digest(String salt, RecipientId recipientId, String code) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(salt.getBytes(StandardCharsets.US_ASCII));
      md.update(recipientId.value().getBytes(StandardCharsets.UTF_8));
      md.update((byte) ':');
      md.update(code.getBytes(StandardCharsets.US_ASCII));
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}

package dev.sealpost.api.infrastructure.jdbc;

import com.ibm.icu.lang.UCharacter;
import com.ibm.icu.text.Normalizer2;
import com.ibm.icu.text.SpoofChecker;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * The key under which tenant display names must be unique: two names that a reader could take for
 * one another (differing in case, width or by confusable characters such as Cyrillic {@code А} for
 * Latin {@code A}, {@code l} for {@code I}, {@code rn} for {@code m}) get the same key.
 *
 * <p>The name is normalised (NFKC with case folding, which also maps full-width forms and drops
 * default-ignorable characters; white space runs become one space), upper-cased, reduced to its
 * Unicode TR39 skeleton (ICU {@link SpoofChecker#getSkeleton}), case-folded again and reduced once
 * more. The two passes catch confusables that exist only in one case (Cyrillic {@code м} looks like
 * {@code M} but has no lower-case Latin twin; {@code I} looks like {@code l} only before folding).
 * Case-insensitive plus confusable-insensitive is transitive, so {@code L} and {@code I} collide
 * too: stricter than needed, never looser. The column stores the SHA-256 (hex) of the skeleton, a
 * fixed 64 characters however long the skeleton grows.
 */
final class DisplayNameSkeleton {
  private static final Logger LOG = Logger.getLogger(DisplayNameSkeleton.class.getName());
  private static final Normalizer2 NFKC_CASEFOLD = Normalizer2.getNFKCCasefoldInstance();
  private static final SpoofChecker SPOOF = new SpoofChecker.Builder().build();
  private static final Pattern SPACES = Pattern.compile("\\s+");

  private DisplayNameSkeleton() {}

  /** The skeleton itself (for tests and diagnostics). */
  static String skeleton(String displayName) {
    String folded = SPACES.matcher(NFKC_CASEFOLD.normalize(displayName)).replaceAll(" ").trim();
    String upper = SPOOF.getSkeleton(UCharacter.toUpperCase(Locale.ROOT, folded));
    return SPOOF.getSkeleton(NFKC_CASEFOLD.normalize(upper));
  }

  /** What the unique column {@code tenants.display_name_skeleton} holds. */
  static String key(String displayName) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(skeleton(displayName).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JRE", e);
    }
  }

  /**
   * Fills in the skeleton of tenants from before it existed, oldest first, each row on its own
   * (auto-commit). A tenant whose name clashes with an earlier one's keeps none and is logged: an
   * old duplicate never stops the start, and that tenant gets a skeleton once it picks a distinct
   * name. Several instances may run this at once: a row is only filled while still empty.
   */
  static void backfill(DataSource dataSource) {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(true);
      List<String[]> missing = new ArrayList<>();
      try (PreparedStatement q =
              c.prepareStatement(
                  "SELECT id, display_name FROM tenants WHERE display_name_skeleton IS NULL"
                      + " ORDER BY created_at, id");
          ResultSet rs = q.executeQuery()) {
        while (rs.next()) {
          missing.add(new String[] {rs.getString(1), rs.getString(2)});
        }
      }
      for (String[] row : missing) {
        try (PreparedStatement u =
            c.prepareStatement(
                "UPDATE tenants SET display_name_skeleton = ? WHERE id = ? AND"
                    + " display_name_skeleton IS NULL")) {
          u.setString(1, key(row[1]));
          u.setString(2, row[0]);
          u.executeUpdate();
        } catch (SQLException e) {
          if (!Jdbc.isConstraintViolation(e)) {
            throw e;
          }
          LOG.warning(
              "tenant "
                  + row[0]
                  + ": its display name looks like another tenant's; it stays unchecked until"
                  + " changed (PATCH /v1/tenant)");
        }
      }
    } catch (SQLException e) {
      throw new DataAccessException("could not fill in tenant display name skeletons", e);
    }
  }
}

package dev.sealpost.client.auth;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where the client finds the partner's private key for an envelope: by the {@code kid} of the
 * partner's entry in the envelope. Keep old keys here after a rotation so older envelopes still
 * open. Implement it to reach a key store or HSM-backed JWK source.
 *
 * <pre>{@code
 * DecryptionKeyProvider keys = DecryptionKeyProvider.fromFiles(Path.of("partner-2026.jwk"),
 *                                                              Path.of("partner-2025.jwk"));
 * }</pre>
 */
@FunctionalInterface
public interface DecryptionKeyProvider {
  /** The private JWK with this {@code kid}, or empty if this provider does not hold it. */
  Optional<JWK> privateKey(String kid);

  /** A provider over these private JWKs (each needs a {@code kid}, distinct). */
  static DecryptionKeyProvider of(JWK... privateKeys) {
    return of(Arrays.asList(privateKeys));
  }

  /** A provider over these private JWKs (each needs a {@code kid}, distinct). */
  static DecryptionKeyProvider of(List<? extends JWK> privateKeys) {
    Map<String, JWK> byKid = new LinkedHashMap<>();
    for (JWK k : privateKeys) {
      if (k == null || k.getKeyID() == null) {
        throw new IllegalArgumentException("every decryption key needs a kid");
      }
      if (!k.isPrivate()) {
        throw new IllegalArgumentException("key " + k.getKeyID() + " is not a private key");
      }
      if (byKid.put(k.getKeyID(), k) != null) {
        throw new IllegalArgumentException("two decryption keys share the kid " + k.getKeyID());
      }
    }
    Map<String, JWK> keys = Collections.unmodifiableMap(byKid);
    return kid -> Optional.ofNullable(keys.get(kid));
  }

  /** A provider over the private JWK (or JWK set) files. */
  static DecryptionKeyProvider fromFiles(Path... files) {
    List<JWK> keys = new ArrayList<>();
    for (Path f : files) {
      try {
        String json = new String(Files.readAllBytes(f), StandardCharsets.UTF_8);
        keys.addAll(parse(json));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read key file " + f, e);
      } catch (ParseException e) {
        throw new IllegalArgumentException("not a JWK or JWK set: " + f);
      }
    }
    return of(keys);
  }

  private static List<JWK> parse(String json) throws ParseException {
    if (json.contains("\"keys\"")) {
      return JWKSet.parse(json).getKeys();
    }
    return List.of(JWK.parse(json));
  }
}

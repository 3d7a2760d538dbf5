package dev.sealpost.api.infrastructure.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sealpost.api.domain.DataKey;
import dev.sealpost.api.domain.EnvelopeId;
import dev.sealpost.api.domain.KeyContext;
import dev.sealpost.api.domain.KeyUnavailableException;
import dev.sealpost.api.domain.TenantId;
import dev.sealpost.api.infrastructure.jdbc.Database;
import dev.sealpost.api.infrastructure.jdbc.InMemoryDatabase;
import dev.sealpost.api.infrastructure.jdbc.Jdbc;
import dev.sealpost.api.infrastructure.jdbc.JdbcSigningKeyStore;
import dev.sealpost.api.infrastructure.jdbc.JdbcTransactions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AesGcmSecretSealerTest {
  private static final byte[] SECRET = "link-secret-value".getBytes(StandardCharsets.US_ASCII);

  @TempDir Path dir;
  private Database db;
  private LocalKeyService keys;
  private AesGcmSecretSealer sealer;
  private final KeyContext context =
      new KeyContext(TenantId.random(), new EnvelopeId("env-1"), "link-secret:r-1");

  @BeforeEach
  void setUp() throws Exception {
    db = InMemoryDatabase.start(2);
    JdbcTransactions tx = new JdbcTransactions(db.dataSource());
    keys =
        LocalKeyService.open(
            dir.resolve("keyring.json"),
            tx,
            new JdbcSigningKeyStore(new Jdbc(tx)),
            Clock.systemUTC());
    sealer = new AesGcmSecretSealer(keys);
  }

  @AfterEach
  void tearDown() {
    db.close();
  }

  @Test
  void sealThenOpen_roundTrips_inTheStoredFormat() {
    String sealed = sealer.seal(context, SECRET);
    assertThat(sealed).startsWith("sb1.").doesNotContain("link-secret-value");
    assertThat(sealed.split("\\.")).hasSize(3);
    assertThat(sealer.open(context, sealed)).isEqualTo(SECRET);
  }

  @Test
  void otherContext_doesNotOpen() {
    String sealed = sealer.seal(context, SECRET);
    KeyContext other =
        new KeyContext(context.tenantId(), new EnvelopeId("env-1"), "link-secret:r-2");
    assertThatThrownBy(() -> sealer.open(other, sealed))
        .isInstanceOf(KeyUnavailableException.class);
  }

  @Test
  void flippedCiphertextByte_doesNotOpen() {
    String[] parts = sealer.seal(context, SECRET).split("\\.");
    byte[] body = Base64.getUrlDecoder().decode(parts[2]);
    body[body.length - 1] ^= 1;
    String tampered =
        parts[0]
            + "."
            + parts[1]
            + "."
            + Base64.getUrlEncoder().withoutPadding().encodeToString(body);
    assertThatThrownBy(() -> sealer.open(context, tampered))
        .isInstanceOf(KeyUnavailableException.class);
  }

  @Test
  void notASealedSecret_orTooShort_doesNotOpen() {
    String[] parts = sealer.seal(context, SECRET).split("\\.");
    assertThatThrownBy(() -> sealer.open(context, "sb2." + parts[1] + "." + parts[2]))
        .isInstanceOf(KeyUnavailableException.class);
    assertThatThrownBy(() -> sealer.open(context, parts[0] + "." + parts[1] + ".AAAA"))
        .isInstanceOf(KeyUnavailableException.class);
  }

  /** What the server stored before this class (the former application-layer SecretBox) opens. */
  @Test
  void secretSealedByTheFormerSecretBoxLayout_stillOpens() throws Exception {
    String sealed;
    try (DataKey key = keys.generateDataKey(context)) {
      byte[] nonce = new byte[12];
      new SecureRandom().nextBytes(nonce);
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(
          Cipher.ENCRYPT_MODE,
          new SecretKeySpec(key.bytes(), "AES"),
          new GCMParameterSpec(128, nonce));
      c.updateAAD(context.associatedData());
      byte[] ct = c.doFinal(SECRET);
      byte[] out = new byte[12 + ct.length];
      System.arraycopy(nonce, 0, out, 0, 12);
      System.arraycopy(ct, 0, out, 12, ct.length);
      sealed =
          "sb1."
              + key.wrapped().value()
              + "."
              + Base64.getUrlEncoder().withoutPadding().encodeToString(out);
    }
    assertThat(sealer.open(context, sealed)).isEqualTo(SECRET);
  }
}

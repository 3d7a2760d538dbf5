package dev.sealpost.api.infrastructure.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sealpost.api.domain.ConflictException;
import dev.sealpost.api.domain.DisplayNameTakenException;
import dev.sealpost.api.domain.Tenant;
import dev.sealpost.api.domain.TenantId;
import dev.sealpost.api.domain.TenantSettings;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Display names unique by TR39 skeleton: the key itself, and the unique column on real H2. */
class DisplayNameSkeletonTest {
  private static final String ACME = "Acme Insurance";

  private Database db;
  private JdbcTransactions tx;
  private Jdbc jdbc;
  private JdbcTenantRepository tenants;

  @BeforeEach
  void setUp() {
    db = InMemoryDatabase.start(2);
    tx = new JdbcTransactions(db.dataSource());
    jdbc = new Jdbc(tx);
    tenants = new JdbcTenantRepository(jdbc);
  }

  @AfterEach
  void tearDown() {
    db.close();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "ACME INSURANCE", // case
        "acme insurance",
        "\uff21\uff43\uff4d\uff45 Insurance", // full-width Ａｃｍｅ
        "\u0410\u0441\u043c\u0435 Insurance", // Cyrillic Асме
        "\u0410\u0421\u041c\u0415 INSURANCE", // Cyrillic АСМЕ
        "Acme lnsurance", // l for I
        "Acme 1nsurance", // 1 for I
        "Acrne Insurance", // rn for m
        "  Acme   Insurance ", // white space
        "Acme \u2160nsurance" // Roman numeral one
      })
  void confusableNames_shareTheKey(String lookalike) {
    assertThat(DisplayNameSkeleton.key(lookalike))
        .as(lookalike + " -> " + DisplayNameSkeleton.skeleton(lookalike))
        .isEqualTo(DisplayNameSkeleton.key(ACME));
  }

  @ParameterizedTest
  @ValueSource(strings = {"Acme Insurers", "Globex Insurance", "Acme", "Acme Insurance 2"})
  void distinctNames_haveDistinctKeys(String other) {
    assertThat(DisplayNameSkeleton.key(other)).isNotEqualTo(DisplayNameSkeleton.key(ACME));
  }

  @Test
  void key_isSha256Hex() {
    assertThat(DisplayNameSkeleton.key(ACME)).matches("[0-9a-f]{64}");
  }

  @Test
  void insert_confusableName_isDisplayNameTaken() {
    insert("acme", ACME);
    assertThatThrownBy(() -> insert("acme-2", "\u0410\u0441\u043c\u0435 Insurance"))
        .isInstanceOf(DisplayNameTakenException.class);
    assertThatThrownBy(() -> insert("acme", "Other Name"))
        .isInstanceOf(ConflictException.class)
        .isNotInstanceOf(DisplayNameTakenException.class);
  }

  @Test
  void update_toConfusableName_isDisplayNameTaken_ownNameIsFine() {
    insert("acme", ACME);
    TenantId globex = insert("globex", "Globex");
    TenantSettings mine = TenantSettings.defaults("GLOBEX");
    tx.run(() -> tenants.updateSettings(globex, mine));
    assertThatThrownBy(
            () ->
                tx.run(
                    () ->
                        tenants.updateSettings(globex, TenantSettings.defaults("ACME INSURANCE"))))
        .isInstanceOf(DisplayNameTakenException.class);
  }

  @Test
  void backfill_keepsTheOlderClaim_andNeverFailsOnOldDuplicates() {
    TenantId first = insert("first", ACME);
    TenantId second = insert("second", "Second");
    TenantId third = insert("third", "Third");
    // As before V56: no skeletons, and a duplicate display name.
    tx.run(
        () -> {
          jdbc.update("UPDATE tenants SET display_name_skeleton = NULL");
          jdbc.update(
              "UPDATE tenants SET display_name = ? WHERE id = ?", "ACME INSURANCE", third.value());
        });

    DisplayNameSkeleton.backfill(db.dataSource());

    assertThat(skeleton(first)).isEqualTo(DisplayNameSkeleton.key(ACME));
    assertThat(skeleton(second)).isEqualTo(DisplayNameSkeleton.key("Second"));
    assertThat(skeleton(third)).isNull();
    // The unchecked tenant can still change other settings, not take a confusable name.
    TenantSettings custody =
        new TenantSettings(
            "ACME INSURANCE",
            TenantSettings.defaults("x").allowedVerificationMethods(),
            TenantSettings.DEFAULT_EXPIRY,
            TenantSettings.MAX_EXPIRY,
            true);
    tx.run(() -> tenants.updateSettings(third, custody));
    assertThat(skeleton(third)).isNull();
    tx.run(() -> tenants.updateSettings(third, TenantSettings.defaults("Third Insurance")));
    assertThat(skeleton(third)).isEqualTo(DisplayNameSkeleton.key("Third Insurance"));
  }

  private TenantId insert(String name, String displayName) {
    TenantId id = TenantId.random();
    tx.run(
        () ->
            tenants.insert(
                new Tenant(id, name, TenantSettings.defaults(displayName), false, Instant.now())));
    return id;
  }

  private String skeleton(TenantId id) {
    return tx.inTransaction(
        () ->
            jdbc.queryOne(
                    "SELECT display_name_skeleton FROM tenants WHERE id = ?",
                    rs -> Optional.ofNullable(rs.getString(1)),
                    id.value())
                .orElseThrow()
                .orElse(null));
  }
}

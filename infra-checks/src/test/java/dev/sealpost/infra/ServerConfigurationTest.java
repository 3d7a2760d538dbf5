package dev.sealpost.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The environment the ECS task sets is configuration the server really reads: every SEALPOST_*
 * variable in infra/terraform maps (MicroProfile Config: upper case, '.' and '-' to '_') to a
 * {@code sealpost.*} key in the api's sources, and the production parts are selected.
 */
class ServerConfigurationTest {

  private static final Pattern KEY = Pattern.compile("\"(sealpost\\.[a-z0-9.-]+)\"");
  private static final Pattern ENV = Pattern.compile("\\b(SEALPOST_[A-Z0-9_]+)\\s*=");

  @Test
  void terraformSetsOnlyVariablesTheServerReads() {
    Set<String> serverVariables = new TreeSet<>();
    for (String key : serverKeys()) {
      serverVariables.add(key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'));
    }
    TerraformConfig tf =
        TerraformConfig.load(
            Path.of(System.getProperty("infra.terraformDir", "../infra/terraform")));
    Set<String> set = new TreeSet<>();
    Matcher m = ENV.matcher(SecurityRules.containerEnvironment(tf));
    while (m.find()) {
      set.add(m.group(1));
    }
    for (JsonNode secret : tf.locals().get("container_secrets")) {
      set.add(secret.path("name").asText());
    }

    assertThat(set).isNotEmpty();
    assertThat(serverVariables)
        .as("sealpost.* keys in api/src/main/java (a renamed key must be renamed in ecs.tf too)")
        .containsAll(set);
    assertThat(SecurityRules.containerEnvironment(tf))
        .containsPattern("SEALPOST_BLOBS\\s*=\\s*\"s3\"")
        .containsPattern("SEALPOST_KEYS\\s*=\\s*\"aws-kms\"")
        .containsPattern("SEALPOST_MAIL\\s*=\\s*\"smtp\"");
  }

  private static Set<String> serverKeys() {
    Path sources = Path.of(System.getProperty("infra.apiSources", "../api/src/main/java"));
    Set<String> keys = new TreeSet<>();
    try (Stream<Path> files = Files.walk(sources)) {
      files
          .filter(f -> f.toString().endsWith(".java"))
          .forEach(
              f -> {
                try {
                  Matcher m = KEY.matcher(Files.readString(f));
                  while (m.find()) {
                    keys.add(m.group(1));
                  }
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return keys;
  }
}

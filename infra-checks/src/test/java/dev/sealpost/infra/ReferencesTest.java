package dev.sealpost.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code terraform validate} would catch first, without Terraform: every {@code var.}, {@code
 * local.}, {@code data.} and resource reference inside an expression names something this
 * configuration declares (a typo such as {@code aws_kms_key.envelop.arn} fails here).
 */
class ReferencesTest {

  private static final Pattern VAR = Pattern.compile("(?<![\\w.])var\\.([A-Za-z0-9_-]+)");
  private static final Pattern LOCAL = Pattern.compile("(?<![\\w.])local\\.([A-Za-z0-9_-]+)");
  private static final Pattern DATA =
      Pattern.compile("(?<![\\w.])data\\.([A-Za-z0-9_]+)\\.([A-Za-z0-9_-]+)");
  private static final Pattern RESOURCE =
      Pattern.compile("(?<![\\w.\"/:-])(aws_[a-z0-9_]+)\\.([A-Za-z_][A-Za-z0-9_-]*)");

  static TerraformConfig tf;

  @BeforeAll
  static void parse() {
    tf =
        TerraformConfig.load(
            Path.of(System.getProperty("infra.terraformDir", "../infra/terraform")));
  }

  @Test
  void everyReference_namesADeclaredVariableLocalDataSourceOrResource() {
    assertThat(unresolved(tf)).isEmpty();
  }

  @Test
  void aMistypedReference_isFound(@TempDir Path dir) throws Exception {
    java.nio.file.Files.writeString(
        dir.resolve("main.tf"),
        """
        variable "region" {
          type = string
        }
        resource "aws_kms_key" "envelope" {
          description = "k in ${var.region}"
        }
        resource "aws_kms_alias" "envelope" {
          name          = "alias/${var.regoin}"
          target_key_id = aws_kms_key.envelop.key_id
        }
        """);
    assertThat(unresolved(TerraformConfig.load(dir)))
        .containsExactlyInAnyOrder("var.regoin", "aws_kms_key.envelop");
  }

  static List<String> unresolved(TerraformConfig config) {
    Set<String> variables = config.variables().keySet();
    Set<String> locals = config.locals().keySet();
    Set<String> data = config.declared("data");
    Set<String> resources = config.declared("resource");
    Set<String> missing = new TreeSet<>();
    for (String value : config.allStrings()) {
      for (String expression : expressions(value)) {
        find(
            VAR,
            expression,
            m -> variables.contains(m.group(1)),
            m -> "var." + m.group(1),
            missing);
        find(
            LOCAL,
            expression,
            m -> locals.contains(m.group(1)),
            m -> "local." + m.group(1),
            missing);
        find(
            DATA,
            expression,
            m -> data.contains(m.group(1) + "." + m.group(2)),
            m -> "data." + m.group(1) + "." + m.group(2),
            missing);
        String withoutData = DATA.matcher(expression).replaceAll("");
        find(
            RESOURCE,
            withoutData,
            m -> resources.contains(m.group(1) + "." + m.group(2)),
            m -> m.group(1) + "." + m.group(2),
            missing);
      }
    }
    return new ArrayList<>(missing);
  }

  /**
   * The {@code ${...}} spans of a string (nested braces balanced), or the whole string if it has
   * none.
   */
  static List<String> expressions(String value) {
    List<String> spans = new ArrayList<>();
    int i = value.indexOf("${");
    while (i >= 0) {
      int depth = 0;
      int j = i + 1;
      for (; j < value.length(); j++) {
        char c = value.charAt(j);
        if (c == '{') {
          depth++;
        } else if (c == '}' && --depth == 0) {
          break;
        }
      }
      spans.add(value.substring(i + 2, Math.min(j, value.length())));
      i = value.indexOf("${", j);
    }
    return spans;
  }

  private static void find(
      Pattern p,
      String expression,
      java.util.function.Predicate<Matcher> declared,
      java.util.function.Function<Matcher, String> name,
      Set<String> missing) {
    Matcher m = p.matcher(expression);
    while (m.find()) {
      if (!declared.test(m)) {
        missing.add(name.apply(m));
      }
    }
  }
}

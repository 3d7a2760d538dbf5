package dev.sealpost.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The evidence maps (docs/COMPLIANCE.md, docs/SECURITY.md) cite tests as {@code FooTest}, {@code
 * FooIT} or {@code FooTest.method}: every cited class must exist in a module's test sources and
 * every cited method must be declared in it, so a renamed or deleted test cannot leave a claim
 * standing on nothing.
 */
class DocsEvidenceTest {
  private static final Path ROOT = Path.of("..");
  private static final Pattern CITATION =
      Pattern.compile("\\b([A-Z][a-z][A-Za-z0-9]*(?:Test|IT))(?:\\.([a-z][A-Za-z0-9_]*))?\\b");

  @ParameterizedTest
  @ValueSource(strings = {"docs/COMPLIANCE.md", "docs/SECURITY.md"})
  void everyCitedTest_existsWithItsMethod(String doc) throws IOException {
    Path file = ROOT.resolve(doc);
    assertThat(file).exists();
    Map<String, Path> tests = testSources();
    List<String> missing = new ArrayList<>();
    int citations = 0;
    Matcher m = CITATION.matcher(Files.readString(file));
    while (m.find()) {
      citations++;
      Path source = tests.get(m.group(1));
      if (source == null) {
        missing.add(m.group() + " (no such test class)");
      } else if (m.group(2) != null && !declares(source, m.group(2))) {
        missing.add(m.group() + " (no such method in " + ROOT.relativize(source) + ")");
      }
    }
    assertThat(citations).as("tests cited in %s", doc).isGreaterThan(5);
    assertThat(missing).as("citations in %s that point at nothing", doc).isEmpty();
  }

  private static boolean declares(Path source, String method) {
    try {
      return Pattern.compile("\\bvoid\\s+" + Pattern.quote(method) + "\\s*\\(")
          .matcher(Files.readString(source))
          .find();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Map<String, Path> testSources() throws IOException {
    try (Stream<Path> modules = Files.list(ROOT)) {
      return modules
          .map(module -> module.resolve("src/test/java"))
          .filter(Files::isDirectory)
          .flatMap(DocsEvidenceTest::javaFiles)
          .collect(
              Collectors.toMap(
                  p -> p.getFileName().toString().replace(".java", ""), p -> p, (a, b) -> a));
    }
  }

  private static Stream<Path> javaFiles(Path dir) {
    try {
      return Files.walk(dir).filter(p -> p.toString().endsWith(".java")).toList().stream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

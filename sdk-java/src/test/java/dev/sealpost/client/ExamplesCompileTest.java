package dev.sealpost.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's {@code java} code blocks and {@code sdk-java/examples/} compile against the SDK at
 * {@code --release 11} (what partners run), so the documentation cannot drift from the API; the
 * README's {@code <dependency>} snippet names this SDK and release, and it has an example for each
 * role (sender, partner, auditor).
 */
class ExamplesCompileTest {
  private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
  private static final String IMPORTS =
      String.join(
          "\n",
          "import dev.sealpost.audit.*;",
          "import dev.sealpost.client.*;",
          "import dev.sealpost.client.auth.*;",
          "import dev.sealpost.envelope.*;",
          "import dev.sealpost.exception.*;",
          "import dev.sealpost.webhooks.*;",
          "import java.io.*;",
          "import java.net.URI;",
          "import java.nio.file.*;",
          "import java.time.*;",
          "import java.util.*;");

  @TempDir Path out;

  static List<String> javaBlocks(String markdown) {
    List<String> blocks = new ArrayList<>();
    Matcher m = Pattern.compile("(?ms)^```java\\s*\\n(.*?)^```").matcher(markdown);
    while (m.find()) {
      blocks.add(m.group(1));
    }
    return blocks;
  }

  @Test
  void readmeJavaSnippets_compileAgainstTheSdk() throws IOException {
    String readme = Files.readString(ROOT.resolve("README.md"), StandardCharsets.UTF_8);
    List<String> blocks = javaBlocks(readme);
    assertThat(blocks).as("java blocks in README.md").isNotEmpty();
    List<JavaFileObject> sources = new ArrayList<>();
    for (int i = 0; i < blocks.size(); i++) {
      String name = "ReadmeSnippet" + i;
      String code = blocks.get(i);
      String unit =
          code.contains("class ")
              ? IMPORTS + "\n" + code
              : IMPORTS
                  + "\nclass "
                  + name
                  + " {\n  void run() throws Exception {\n"
                  + code
                  + "\n  }\n}\n";
      sources.add(source(name, unit));
    }
    compile(sources);
  }

  @Test
  void readmeDependencySnippet_namesThisSdkAndRelease() throws IOException {
    String readme = Files.readString(ROOT.resolve("README.md"), StandardCharsets.UTF_8);
    Matcher xml = Pattern.compile("(?ms)^```xml\\s*\\n(.*?)^```").matcher(readme);
    assertThat(xml.find()).as("an xml block in README.md").isTrue();
    String pom = Files.readString(ROOT.resolve("sdk-java/pom.xml"), StandardCharsets.UTF_8);
    Matcher parent = Pattern.compile("(?s)<parent>.*?<version>([^<]+)</version>").matcher(pom);
    assertThat(parent.find()).isTrue();
    assertThat(xml.group(1).replaceAll("\\s+", ""))
        .isEqualTo(
            "<dependency><groupId>dev.sealpost</groupId><artifactId>sealpost-sdk</artifactId>"
                + "<version>"
                + parent.group(1)
                + "</version></dependency>");
  }

  @Test
  void readme_hasASenderAPartnerAndAnAuditorExample() throws IOException {
    String code =
        String.join(
            "\n", javaBlocks(Files.readString(ROOT.resolve("README.md"), StandardCharsets.UTF_8)));
    // sender: seal with an attachment, status, revoke
    assertThat(code).contains(".send(", ".attach(", ".status(", ".revoke(");
    // partner: inbox, open end to end
    assertThat(code).contains(".inbox()", ".open(", "decryptionKeys(");
    // auditor: an export checked offline
    assertThat(code).contains("AuditExportReader.verify(");
  }

  @Test
  void examples_compileAgainstTheSdk() throws IOException {
    List<JavaFileObject> sources = new ArrayList<>();
    try (Stream<Path> files = Files.walk(ROOT.resolve("sdk-java/examples"))) {
      for (Path f :
          files.filter(p -> p.toString().endsWith(".java")).collect(Collectors.toList())) {
        String name = f.getFileName().toString().replace(".java", "");
        sources.add(source(name, Files.readString(f, StandardCharsets.UTF_8)));
      }
    }
    assertThat(sources).as("examples").isNotEmpty();
    compile(sources);
  }

  private void compile(List<JavaFileObject> sources) {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    String classpath = System.getProperty("surefire.test.class.path");
    if (classpath == null || classpath.isBlank()) {
      classpath = System.getProperty("java.class.path");
    }
    StringWriter diagnostics = new StringWriter();
    boolean ok =
        javac
            .getTask(
                diagnostics,
                null,
                null,
                List.of(
                    "--release",
                    "11",
                    "-classpath",
                    classpath,
                    "-d",
                    out.toString(),
                    "-Xlint:none"),
                null,
                sources)
            .call();
    assertThat(ok).as(diagnostics.toString()).isTrue();
  }

  private static JavaFileObject source(String className, String code) {
    return new SimpleJavaFileObject(
        URI.create("string:///" + className.replace('.', File.separatorChar) + ".java"),
        JavaFileObject.Kind.SOURCE) {
      @Override
      public CharSequence getCharContent(boolean ignoreEncodingErrors) {
        return code;
      }
    };
  }
}

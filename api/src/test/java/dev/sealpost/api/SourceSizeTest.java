package dev.sealpost.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.sun.source.tree.AnnotationTree;
import com.sun.source.tree.BlockTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.LineMap;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.JavacTask;
import com.sun.source.util.SourcePositions;
import com.sun.source.util.TreeScanner;
import com.sun.source.util.Trees;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * Issue 11: no main source file in api/ over {@value #MAX_FILE_LINES} lines and no method or
 * constructor over {@value #MAX_METHOD_LINES}. Sources are parsed with the JDK's own compiler tree
 * API (no new dependency); a method counts from its declaration's first line (annotations and
 * Javadoc excluded) to its closing brace, so lambdas, local and anonymous classes inside it count
 * towards it. Methods of nested, local and anonymous classes, records' compact constructors,
 * initializer blocks and lambdas in field initializers are each measured as well.
 */
class SourceSizeTest {
  static final int MAX_FILE_LINES = 400;
  static final int MAX_METHOD_LINES = 60;
  private static final Path MAIN_SOURCES = Path.of("src", "main", "java");

  @Test
  void mainSources_stayWithinTheSizeLimits() throws IOException {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(MAIN_SOURCES)) {
      files = walk.filter(p -> p.toString().endsWith(".java")).sorted().toList();
    }
    assertThat(files)
        .as("main sources under %s", MAIN_SOURCES.toAbsolutePath())
        .hasSizeGreaterThan(50);

    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    try (StandardJavaFileManager fm =
        compiler.getStandardFileManager(null, null, StandardCharsets.UTF_8)) {
      List<Measure> measures = measure(fm.getJavaFileObjectsFromPaths(files));
      assertThat(measures.stream().filter(m -> m.kind() == Kind.METHOD).count())
          .as("methods found")
          .isGreaterThan(300);
      String offenders = report(measures);
      if (!offenders.isEmpty()) {
        fail(
            "Over the limits of issue 11 (file > %d lines, method > %d lines):%n%s",
            MAX_FILE_LINES, MAX_METHOD_LINES, offenders);
      }
    }
  }

  @Test
  void measure_findsMethodsOfNestedAnonymousAndRecordTypes() {
    String src =
        """
        package p;
        class Outer {
          /** Javadoc is not counted. */
          @Deprecated
          void plain() {
            Runnable r = () -> {
              System.out.println();
            };
          }
          static class Inner {
            Inner() {
              new Object() {
                @Override
                public String toString() {
                  return "";
                }
              };
            }
          }
          record Point(int x, int y) {
            Point {
              if (x < 0) {
                throw new IllegalArgumentException();
              }
            }
            int sum() { return x + y; }
          }
          static {
            System.out.println();
          }
          static final Runnable FIELD = () -> {
            System.out.println();
          };
          enum E { A { void m() {} }; void m() {} }
          interface I { void abstractOne(); default void d() {} }
        }
        """;
    List<Measure> measures = measure(List.of(new StringSource("p/Outer.java", src)));

    assertThat(measures)
        .extracting(m -> m.name() + "=" + m.lines())
        .containsExactlyInAnyOrder(
            "p/Outer.java=36",
            "Outer.plain()=5",
            "Outer.Inner.Inner()=8",
            "Outer.Inner.Inner().new Object(){}.toString()=3",
            "Outer.Point.Point{}=5",
            "Outer.Point.sum()=1",
            "Outer.static{}=3",
            "Outer.FIELD=3",
            "Outer.E.A{}.m()=1",
            "Outer.E.m()=1",
            "Outer.I.abstractOne()=1",
            "Outer.I.d()=1");
  }

  enum Kind {
    FILE,
    METHOD
  }

  record Measure(Kind kind, String file, int line, String name, int lines) {
    boolean tooLong() {
      return lines > (kind == Kind.FILE ? MAX_FILE_LINES : MAX_METHOD_LINES);
    }
  }

  static String report(List<Measure> measures) {
    return measures.stream()
        .filter(Measure::tooLong)
        .sorted(Comparator.comparing(Measure::file).thenComparingInt(Measure::line))
        .map(
            m ->
                m.kind() == Kind.FILE
                    ? m.file() + ": " + m.lines() + " lines"
                    : m.file() + ":" + m.line() + " " + m.name() + ": " + m.lines() + " lines")
        .collect(Collectors.joining("\n"));
  }

  static List<Measure> measure(Iterable<? extends JavaFileObject> sources) {
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    JavacTask task =
        (JavacTask)
            compiler.getTask(
                new StringWriter(), null, diagnostics, List.of("-proc:none"), null, sources);
    List<CompilationUnitTree> units = new ArrayList<>();
    try {
      task.parse().forEach(units::add);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<String> errors =
        diagnostics.getDiagnostics().stream()
            .filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
            .map(Object::toString)
            .toList();
    assertThat(errors).as("parse errors").isEmpty();

    SourcePositions positions = Trees.instance(task).getSourcePositions();
    List<Measure> measures = new ArrayList<>();
    for (CompilationUnitTree unit : units) {
      String file = displayName(unit);
      CharSequence text;
      try {
        text = unit.getSourceFile().getCharContent(true);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      measures.add(new Measure(Kind.FILE, file, 1, file, lineCount(text)));
      new MethodScanner(unit, positions, text, file, measures).scan(unit, null);
    }
    return measures;
  }

  /** Lines as `wc -l` and editors count them: a trailing newline does not open another line. */
  private static int lineCount(CharSequence text) {
    int lines = 0;
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) == '\n') {
        lines++;
      }
    }
    return text.length() > 0 && text.charAt(text.length() - 1) != '\n' ? lines + 1 : lines;
  }

  private static String displayName(CompilationUnitTree unit) {
    URI uri = unit.getSourceFile().toUri();
    String path = uri.getPath() == null ? uri.toString() : uri.getPath();
    String marker = "/src/main/java/";
    int at = path.lastIndexOf(marker);
    return at >= 0 ? path.substring(at + marker.length()) : path.replaceFirst("^/+", "");
  }

  /**
   * Walks every type, keeping the chain of enclosing names so that members of nested, local and
   * anonymous classes are named unambiguously.
   */
  private static final class MethodScanner extends TreeScanner<Void, Void> {
    private final CompilationUnitTree unit;
    private final SourcePositions positions;
    private final CharSequence text;
    private final LineMap lines;
    private final String file;
    private final List<Measure> out;
    private final Deque<String> names = new ArrayDeque<>();
    private String anonymousName = "{}";

    MethodScanner(
        CompilationUnitTree unit,
        SourcePositions positions,
        CharSequence text,
        String file,
        List<Measure> out) {
      this.unit = unit;
      this.positions = positions;
      this.text = text;
      this.lines = unit.getLineMap();
      this.file = file;
      this.out = out;
    }

    @Override
    public Void visitClass(ClassTree node, Void unused) {
      String simple = node.getSimpleName().toString();
      names.addLast(simple.isEmpty() ? anonymousName : simple);
      try {
        for (Tree member : node.getMembers()) {
          if (member instanceof BlockTree block) {
            record(block, block.isStatic() ? "static{}" : "{}", null);
            scan(block, null);
          } else if (member instanceof VariableTree field
              && field.getInitializer() instanceof LambdaExpressionTree lambda) {
            record(lambda, field.getName().toString(), null);
            scan(member, null);
          } else if (member instanceof VariableTree field
              && field.getInitializer() instanceof NewClassTree created
              && created.getClassBody() != null) {
            // an enum constant with a body, or a field holding an anonymous class
            scanAnonymous(created, field.getName() + "{}");
          } else {
            scan(member, null);
          }
        }
      } finally {
        names.removeLast();
      }
      return null;
    }

    @Override
    public Void visitNewClass(NewClassTree node, Void unused) {
      if (node.getClassBody() == null) {
        return super.visitNewClass(node, null);
      }
      scanAnonymous(node, "new " + node.getIdentifier() + "(){}");
      return null;
    }

    private void scanAnonymous(NewClassTree node, String name) {
      scan(node.getEnclosingExpression(), null);
      scan(node.getArguments(), null);
      String saved = anonymousName;
      anonymousName = name;
      try {
        scan(node.getClassBody(), null);
      } finally {
        anonymousName = saved;
      }
    }

    @Override
    public Void visitMethod(MethodTree node, Void unused) {
      String name =
          node.getName().contentEquals("<init>") ? names.getLast() : node.getName().toString();
      String params =
          node.getParameters().stream()
              .map(p -> p.getType().toString())
              .collect(Collectors.joining(", ", "(", ")"));
      boolean compact = isCompactConstructor(node);
      String label = compact ? name + "{}" : name + params;
      record(node, label, node.getModifiers().getAnnotations());
      names.addLast(label);
      try {
        super.visitMethod(node, null);
      } finally {
        names.removeLast();
      }
      return null;
    }

    /**
     * A record's compact constructor has no parameter list in the source: after its name comes the
     * opening brace.
     */
    private boolean isCompactConstructor(MethodTree node) {
      if (!node.getName().contentEquals("<init>") || node.getBody() == null) {
        return false;
      }
      long bodyStart = positions.getStartPosition(unit, node.getBody());
      long i = bodyStart - 1;
      while (i >= 0 && Character.isWhitespace(text.charAt((int) i))) {
        i--;
      }
      return i >= 0 && text.charAt((int) i) != ')' && node.getThrows().isEmpty();
    }

    private void record(Tree tree, String label, List<? extends AnnotationTree> annotations) {
      long start = positions.getStartPosition(unit, tree);
      long end = positions.getEndPosition(unit, tree);
      if (start < 0 || end < 0) {
        return; // generated by the parser, not written in the source
      }
      if (annotations != null && !annotations.isEmpty()) {
        long afterAnnotations =
            positions.getEndPosition(unit, annotations.get(annotations.size() - 1));
        while (afterAnnotations < end
            && Character.isWhitespace(text.charAt((int) afterAnnotations))) {
          afterAnnotations++;
        }
        start = Math.max(start, afterAnnotations);
      }
      long first = lines.getLineNumber(start);
      long last = lines.getLineNumber(Math.max(start, end - 1));
      String qualified = String.join(".", names) + "." + label;
      out.add(new Measure(Kind.METHOD, file, (int) first, qualified, (int) (last - first + 1)));
    }
  }

  private static final class StringSource extends SimpleJavaFileObject {
    private final String code;

    StringSource(String path, String code) {
      super(URI.create("string:///" + path), JavaFileObject.Kind.SOURCE);
      this.code = code;
    }

    @Override
    public CharSequence getCharContent(boolean ignoreEncodingErrors) {
      return code;
    }
  }
}

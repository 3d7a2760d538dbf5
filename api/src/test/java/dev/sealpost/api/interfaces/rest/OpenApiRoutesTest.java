package dev.sealpost.api.interfaces.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.sealpost.api.it.OpenApiContract;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * openapi.yaml and the JAX-RS resources name the same {@code /v1} operations. (GET /openapi serves
 * the file itself, not a scan of the code, so this is where code and document meet; parameter names
 * may differ, {@code {id}} vs {@code {envelopeId}}.)
 */
class OpenApiRoutesTest {
  /**
   * Routes that are not part of the product API and so not in openapi.yaml: the benchmark's trivial
   * authenticated endpoint, 404 unless {@code sealpost.bench.endpoint=true} (docs/OPERATIONS.md).
   */
  private static final Set<String> NOT_PRODUCT_API = Set.of("GET /v1/bench/noop");

  @Test
  void jaxRsResources_andOpenapiYaml_listTheSameV1Operations() {
    Set<String> code = new TreeSet<>();
    for (JavaClass c :
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.sealpost.api.interfaces.rest")) {
      Class<?> type = c.reflect();
      Path base = type.getAnnotation(Path.class);
      if (base == null) {
        continue;
      }
      for (Method m : type.getDeclaredMethods()) {
        String verb = httpMethod(m);
        if (verb != null) {
          Path sub = m.getAnnotation(Path.class);
          code.add(
              verb
                  + " "
                  + normalize("/v1/" + base.value() + "/" + (sub == null ? "" : sub.value())));
        }
      }
    }
    assertThat(code).as("routes kept out of openapi.yaml still exist").containsAll(NOT_PRODUCT_API);
    code.removeAll(NOT_PRODUCT_API);
    Set<String> file =
        OpenApiContract.operations(OpenApiContract.document(), "/v1/").stream()
            .map(
                op ->
                    op.substring(0, op.indexOf(' ') + 1)
                        + normalize(op.substring(op.indexOf(' ') + 1)))
            .collect(Collectors.toCollection(TreeSet::new));
    assertThat(code).as("JAX-RS resources vs openapi.yaml").isNotEmpty().isEqualTo(file);
  }

  private static String httpMethod(Method m) {
    for (Annotation a : m.getAnnotations()) {
      HttpMethod h = a.annotationType().getAnnotation(HttpMethod.class);
      if (h != null) {
        return h.value();
      }
    }
    return null;
  }

  /** Slashes collapsed, no trailing slash, every template parameter as {@code {}}. */
  private static String normalize(String path) {
    String p = path.replaceAll("\\{[^}]+}", "{}").replaceAll("/+", "/");
    return p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
  }
}

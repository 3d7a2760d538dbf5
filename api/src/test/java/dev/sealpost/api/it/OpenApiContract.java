package dev.sealpost.api.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * openapi.yaml (repository root) as a test oracle: which paths and methods it lists, and JSON
 * Schema (2020-12, as OpenAPI 3.1 uses) validation of request and answer bodies against it. Every
 * IT exchange is checked through {@link ContractCheck}; a test can also assert one body with {@link
 * #assertResponseMatches} / {@link #assertRequestMatches}.
 */
public final class OpenApiContract {
  private static final ObjectMapper JSON = JsonMapper.builder().build();
  private static final SchemaRegistry SCHEMAS =
      SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
  private static volatile JsonNode document;
  private static final Map<JsonNode, Schema> COMPILED =
      java.util.Collections.synchronizedMap(new java.util.IdentityHashMap<>());

  private OpenApiContract() {}

  /** The file, with {@code #/components/schemas/X} refs rewritten to {@code #/$defs/X}. */
  public static JsonNode document() {
    if (document == null) {
      try {
        Path file = locate();
        // A key written twice is an error (YAML parsers otherwise keep one silently).
        JsonNode yaml =
            YAMLMapper.builder()
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build()
                .readTree(Files.readString(file));
        String json = JSON.writeValueAsString(yaml).replace("#/components/schemas/", "#/$defs/");
        document = JSON.readTree(json);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return document;
  }

  static Path locate() {
    for (Path p : List.of(Path.of("openapi.yaml"), Path.of("..", "openapi.yaml"))) {
      if (Files.isRegularFile(p)) {
        return p;
      }
    }
    throw new AssertionError("openapi.yaml not found at the repository root");
  }

  /** Every {@code METHOD /path} of a paths object whose path starts with {@code prefix}. */
  public static Set<String> operations(JsonNode openapi, String prefix) {
    Set<String> ops = new TreeSet<>();
    JsonNode paths = openapi.get("paths");
    for (Map.Entry<String, JsonNode> path : paths.properties()) {
      String p = path.getKey();
      int v = p.indexOf(prefix);
      if (v < 0) {
        continue;
      }
      String normalized = p.substring(v);
      for (String method : path.getValue().propertyNames()) {
        if (Set.of("get", "put", "post", "delete", "patch", "head", "options").contains(method)) {
          ops.add(method.toUpperCase() + " " + normalized);
        }
      }
    }
    return ops;
  }

  public static JsonNode parseYaml(String yaml) {
    return YAMLMapper.builder().build().readTree(yaml);
  }

  public static void assertResponseMatches(
      String method, String pathTemplate, int status, String mediaType, String body) {
    JsonNode op = operation(method, pathTemplate);
    JsonNode response = op.path("responses").path(Integer.toString(status));
    assertThat(response.isMissingNode())
        .as("openapi.yaml lists no %d answer for %s %s", status, method, pathTemplate)
        .isFalse();
    response = resolve(response);
    JsonNode schema = response.path("content").path(mediaType).path("schema");
    assertThat(schema.isMissingNode())
        .as(
            "openapi.yaml has no %s schema for %d of %s %s",
            mediaType, status, method, pathTemplate)
        .isFalse();
    validate(schema, body, method + " " + pathTemplate + " -> " + status);
  }

  public static void assertRequestMatches(
      String method, String pathTemplate, String mediaType, String body) {
    JsonNode schema =
        operation(method, pathTemplate)
            .path("requestBody")
            .path("content")
            .path(mediaType)
            .path("schema");
    assertThat(schema.isMissingNode())
        .as("openapi.yaml has no %s request schema for %s %s", mediaType, method, pathTemplate)
        .isFalse();
    validate(schema, body, "request " + method + " " + pathTemplate);
  }

  private static JsonNode operation(String method, String pathTemplate) {
    JsonNode op = document().path("paths").path(pathTemplate).path(method.toLowerCase());
    assertThat(op.isMissingNode())
        .as("openapi.yaml lists no %s %s", method, pathTemplate)
        .isFalse();
    return op;
  }

  /** Follows a {@code #/components/responses/X} ref. */
  static JsonNode resolveResponse(JsonNode node) {
    return resolve(node);
  }

  private static JsonNode resolve(JsonNode node) {
    JsonNode ref = node.get("$ref");
    if (ref == null) {
      return node;
    }
    String name = ref.asString().substring("#/components/responses/".length());
    return document().path("components").path("responses").path(name);
  }

  /** Validates {@code body} against a schema node of the document; compiled once per node. */
  static void validate(JsonNode schemaNode, String body, String what) {
    Schema schema = COMPILED.computeIfAbsent(schemaNode, OpenApiContract::compile);
    List<Error> errors = schema.validate(body, InputFormat.JSON);
    assertThat(errors).as("%s does not match openapi.yaml: %s", what, body).isEmpty();
  }

  private static Schema compile(JsonNode schemaNode) {
    ObjectNode root = JSON.createObjectNode();
    root.put("$schema", "https://json-schema.org/draft/2020-12/schema");
    root.set("$defs", document().path("components").path("schemas"));
    Iterator<Map.Entry<String, JsonNode>> it = schemaNode.properties().iterator();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      root.set(e.getKey(), e.getValue());
    }
    return SCHEMAS.getSchema(root);
  }
}

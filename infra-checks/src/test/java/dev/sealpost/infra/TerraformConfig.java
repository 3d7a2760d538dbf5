package dev.sealpost.infra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Terraform configuration directory as parsed by HashiCorp's HCL parser ({@code @cdktf/hcl2json}
 * through {@code tf2json.mjs}): every block of every {@code .tf} file, merged, so that rules can
 * follow references across files. Blocks are JSON arrays of objects (one per block); expressions
 * stay strings such as {@code "${aws_s3_bucket.blobs.id}"}.
 */
final class TerraformConfig {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern VAR_REF = Pattern.compile("\\$\\{var\\.([A-Za-z0-9_-]+)}");

  private final Map<String, JsonNode> files;

  private TerraformConfig(Map<String, JsonNode> files) {
    this.files = files;
  }

  /**
   * Parses every {@code .tf} file of {@code dir}; any parse error fails with the parser's words.
   */
  static TerraformConfig load(Path dir) {
    String node = System.getProperty("infra.node", "node");
    String script = System.getProperty("infra.tf2json", "tf2json.mjs");
    try {
      Process p =
          new ProcessBuilder(node, script, dir.toAbsolutePath().toString())
              .redirectErrorStream(false)
              .start();
      p.getOutputStream().close();
      // Read both streams fully (stderr is small) before waiting, so neither pipe can fill up.
      byte[] out = p.getInputStream().readAllBytes();
      byte[] err = p.getErrorStream().readAllBytes();
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("tf2json did not finish within 120 s");
      }
      if (p.exitValue() != 0) {
        throw new IllegalStateException(
            "Terraform configuration in "
                + dir
                + " does not parse: "
                + new String(err, StandardCharsets.UTF_8).trim());
      }
      JsonNode root = JSON.readTree(out);
      Map<String, JsonNode> files = new LinkedHashMap<>();
      root.fields().forEachRemaining(e -> files.put(e.getKey(), e.getValue()));
      return new TerraformConfig(files);
    } catch (IOException e) {
      throw new UncheckedIOException("could not run " + node + " " + script, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Every string value of every file (attribute values, including expressions), depth first. */
  List<String> allStrings() {
    List<String> all = new ArrayList<>();
    for (JsonNode file : files.values()) {
      collectStrings(file, all);
    }
    return all;
  }

  private static void collectStrings(JsonNode node, List<String> into) {
    if (node.isTextual()) {
      into.add(node.asText());
    } else if (node.isContainerNode()) {
      node.forEach(child -> collectStrings(child, into));
    }
  }

  /** Names of all declared {@code kind} blocks of every type: {@code "aws_s3_bucket.blobs"}. */
  Set<String> declared(String kind) {
    Set<String> names = new TreeSet<>();
    for (JsonNode file : files.values()) {
      file.path(kind)
          .fields()
          .forEachRemaining(
              type ->
                  type.getValue()
                      .fieldNames()
                      .forEachRemaining(n -> names.add(type.getKey() + "." + n)));
    }
    return names;
  }

  List<String> fileNames() {
    return List.copyOf(files.keySet());
  }

  /** {@code resource "TYPE" "NAME"} blocks of that type, by name. */
  Map<String, JsonNode> resources(String type) {
    return named("resource", type);
  }

  /** {@code data "TYPE" "NAME"} blocks of that type, by name. */
  Map<String, JsonNode> data(String type) {
    return named("data", type);
  }

  Map<String, JsonNode> variables() {
    return labelled("variable");
  }

  Map<String, JsonNode> outputs() {
    return labelled("output");
  }

  /** All {@code locals} blocks merged: local name to its (expression) value. */
  Map<String, JsonNode> locals() {
    Map<String, JsonNode> all = new LinkedHashMap<>();
    for (JsonNode file : files.values()) {
      for (JsonNode block : blocks(file, "locals")) {
        block.fields().forEachRemaining(e -> all.put(e.getKey(), e.getValue()));
      }
    }
    return all;
  }

  /** The {@code terraform {}} blocks of every file. */
  List<JsonNode> terraformBlocks() {
    List<JsonNode> all = new ArrayList<>();
    for (JsonNode file : files.values()) {
      all.addAll(blocks(file, "terraform"));
    }
    return all;
  }

  private Map<String, JsonNode> named(String kind, String type) {
    Map<String, JsonNode> all = new LinkedHashMap<>();
    for (JsonNode file : files.values()) {
      JsonNode ofType = file.path(kind).path(type);
      for (Iterator<Map.Entry<String, JsonNode>> it = ofType.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        all.put(e.getKey(), first(e.getValue()));
      }
    }
    return all;
  }

  private Map<String, JsonNode> labelled(String kind) {
    Map<String, JsonNode> all = new LinkedHashMap<>();
    for (JsonNode file : files.values()) {
      file.path(kind).fields().forEachRemaining(e -> all.put(e.getKey(), first(e.getValue())));
    }
    return all;
  }

  /**
   * The value of an attribute, with a bare {@code "${var.x}"} replaced by that variable's default.
   * Empty when the attribute is missing or the variable has no default.
   */
  Optional<JsonNode> resolved(JsonNode block, String attribute) {
    JsonNode v = block.path(attribute);
    if (v.isMissingNode() || v.isNull()) {
      return Optional.empty();
    }
    if (v.isTextual()) {
      Matcher m = VAR_REF.matcher(v.asText());
      if (m.matches()) {
        JsonNode variable = variables().get(m.group(1));
        if (variable == null || !variable.has("default") || variable.get("default").isNull()) {
          return Optional.empty();
        }
        return Optional.of(variable.get("default"));
      }
    }
    return Optional.of(v);
  }

  /** Nested blocks named {@code name} of {@code node} (HCL blocks are arrays in the JSON form). */
  static List<JsonNode> blocks(JsonNode node, String name) {
    JsonNode v = node.path(name);
    List<JsonNode> list = new ArrayList<>();
    if (v.isArray()) {
      v.forEach(list::add);
    } else if (v.isObject()) {
      list.add(v);
    }
    return list;
  }

  /** The first nested block named {@code name}, or a missing node. */
  static JsonNode block(JsonNode node, String name) {
    List<JsonNode> list = blocks(node, name);
    return list.isEmpty() ? MissingNode.getInstance() : list.get(0);
  }

  /**
   * A list attribute as strings; a single expression string (e.g. a for expression) is one item.
   */
  static List<String> strings(JsonNode v) {
    List<String> list = new ArrayList<>();
    if (v.isArray()) {
      v.forEach(x -> list.add(x.asText()));
    } else if (!v.isMissingNode() && !v.isNull()) {
      list.add(v.asText());
    }
    return list;
  }

  /** {@code "${TYPE.NAME"} prefix: how an attribute of that resource appears in an expression. */
  static String ref(String type, String name) {
    return "${" + type + "." + name + ".";
  }

  /** The resource name that {@code expression} references for {@code type}, if any. */
  static Optional<String> referencedName(String expression, String type) {
    Matcher m = Pattern.compile(Pattern.quote(type) + "\\.([A-Za-z0-9_-]+)").matcher(expression);
    return m.find() ? Optional.of(m.group(1)) : Optional.empty();
  }

  /** All resource names of {@code type} referenced anywhere in {@code expression}. */
  static List<String> referencedNames(String expression, String type) {
    Matcher m = Pattern.compile(Pattern.quote(type) + "\\.([A-Za-z0-9_-]+)").matcher(expression);
    List<String> names = new ArrayList<>();
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }

  private static JsonNode first(JsonNode v) {
    return v.isArray() && v.size() > 0 ? v.get(0) : v;
  }
}

package dev.sealpost.api.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Fails when an operation of openapi.yaml was never checked by {@link ContractCheck} during the ITs
 * of this build and database: a successful (2xx) answer, and, when it takes a JSON body, a request
 * the server accepted. (Problem answers are checked whenever they occur, and listed.) api/pom.xml
 * runs it in its own Failsafe execution after the other ITs (profile {@code openapi-coverage}, off
 * with {@code -Dit.test=...}), reading the record they appended to {@code
 * sealpost.it.coverageFile}; it writes a table of what was checked beside it.
 */
class OpenApiCoverageIT {

  @Test
  void everyOperationOfOpenapiYaml_wasCheckedDuringThisRun() throws IOException {
    String name = System.getProperty("sealpost.it.coverageFile");
    assertThat(name).as("sealpost.it.coverageFile (set by api/pom.xml)").isNotBlank();
    Path record = Path.of(name);
    assertThat(record).as("no IT recorded a checked exchange").exists();
    Set<String> checked = new TreeSet<>(Files.readAllLines(record));
    Set<String> missing = new TreeSet<>();
    List<String> table = new ArrayList<>();
    for (ContractCheck.Route r : ContractCheck.routes()) {
      String id = r.operationId();
      boolean takesJson = r.operation().path("requestBody").path("content").has("application/json");
      String answer = checked.contains("answer " + id) ? "checked" : "MISSING";
      String request =
          takesJson ? (checked.contains("request " + id) ? "checked" : "MISSING") : "-";
      if (answer.equals("MISSING")) {
        missing.add("answer " + id);
      }
      if (request.equals("MISSING")) {
        missing.add("request " + id);
      }
      String problem = checked.contains("problem " + id) ? "checked" : "-";
      table.add(
          String.format(
              "%-22s %-6s %-58s answer=%s request=%s problem=%s",
              id, r.method(), r.template(), answer, request, problem));
    }
    Path report = Path.of(name.replaceFirst("\\.txt$", "") + "-table.txt");
    Files.write(report, table);
    assertThat(missing)
        .as("operations no IT checked against openapi.yaml (see %s)", report)
        .isEmpty();
  }
}

package dev.sealpost.infra;

import dev.sealpost.infra.Dockerfile.Instruction;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Static checks of the root Dockerfile, each a function to its violations (empty: it holds). */
final class DockerfileRules {

  private static final Pattern FROM =
      Pattern.compile(
          "^(?:--platform=\\S+\\s+)?(\\S+)(?:\\s+AS\\s+(\\S+))?$", Pattern.CASE_INSENSITIVE);
  private static final Pattern EXACT_TAG =
      Pattern.compile(":\\d+\\.\\d+\\.\\d+[\\w.+-]*(@sha256:[0-9a-f]{64})?$");
  private static final Pattern DIGEST = Pattern.compile("@sha256:[0-9a-f]{64}$");
  private static final Pattern SECRET_NAME =
      Pattern.compile("(?i)(PASSWORD|SECRET|TOKEN|API_KEY|ADMIN_KEY|ACCESS_KEY|PRIVATE_KEY)");
  private static final List<Pattern> SECRET_VALUES =
      List.of(
          Pattern.compile("AKIA[0-9A-Z]{16}"),
          Pattern.compile("-----BEGIN [A-Z ]*PRIVATE KEY-----"),
          Pattern.compile("sp_[A-Za-z0-9_-]{43}"),
          Pattern.compile("(?i)aws_secret_access_key"));

  record Rule(String name, Function<Dockerfile, List<String>> check) {
    @Override
    public String toString() {
      return name;
    }
  }

  static final List<Rule> ALL =
      List.of(
          new Rule("multi-stage jdk build, jre run", DockerfileRules::multiStageJdkBuildJreRun),
          new Rule("pinned base images", DockerfileRules::baseImagesPinned),
          new Rule("non-root user", DockerfileRules::runsAsNonRoot),
          new Rule("health check", DockerfileRules::healthCheckProbesReadiness),
          new Rule("no secrets", DockerfileRules::noSecrets),
          new Rule("payara micro launch", DockerfileRules::launchesPayaraMicroAtRoot),
          new Rule("container jvm flags", DockerfileRules::jvmSizedByContainer),
          new Rule("configured by environment", DockerfileRules::configuredByEnvironmentOnly),
          new Rule("dockerignore", DockerfileRules::contextExcludesBuildOutputAndSecrets),
          new Rule("owner-only data files", DockerfileRules::dataFilesOwnerOnly));

  private DockerfileRules() {}

  static List<String> multiStageJdkBuildJreRun(Dockerfile d) {
    List<String> v = new ArrayList<>();
    List<Instruction> froms = d.all("FROM");
    if (froms.size() < 2) {
      v.add("not a multi-stage build (" + froms.size() + " FROM)");
      return v;
    }
    String build = image(froms.get(0)).orElse("");
    String run = image(froms.get(froms.size() - 1)).orElse("");
    if (!build.contains("-jdk") || !build.contains(":17")) {
      v.add("build stage " + build + " is not a JDK 17 image");
    }
    if (!run.contains("-jre") || !run.contains(":17")) {
      v.add("run stage " + run + " is not a JRE 17 image");
    }
    boolean wrapper =
        d.all("RUN").stream()
            .anyMatch(r -> r.args().contains("./mvnw") && r.args().contains("package"));
    if (!wrapper) {
      v.add("no RUN builds with the Maven wrapper (./mvnw ... package)");
    }
    return v;
  }

  static List<String> baseImagesPinned(Dockerfile d) {
    List<String> v = new ArrayList<>();
    Set<String> stages = new LinkedHashSet<>();
    for (Instruction from : d.all("FROM")) {
      Matcher m = FROM.matcher(from.args());
      if (!m.matches()) {
        v.add("FROM " + from.args() + " can not be read");
        continue;
      }
      String image = m.group(1);
      if (!stages.contains(image)
          && !EXACT_TAG.matcher(image).find()
          && !DIGEST.matcher(image).find()) {
        v.add("base image " + image + " is not pinned to an exact version or digest");
      }
      if (m.group(2) != null) {
        stages.add(m.group(2));
      }
    }
    return v;
  }

  static List<String> runsAsNonRoot(Dockerfile d) {
    List<Instruction> users =
        d.finalStage().stream().filter(i -> i.keyword().equals("USER")).toList();
    if (users.isEmpty()) {
      return List.of("the image runs as root (no USER in the final stage)");
    }
    String user = users.get(users.size() - 1).args().split(":")[0].trim();
    return user.equals("root") || user.equals("0")
        ? List.of("the image runs as root (USER " + user + ")")
        : List.of();
  }

  static List<String> healthCheckProbesReadiness(Dockerfile d) {
    List<Instruction> checks =
        d.finalStage().stream().filter(i -> i.keyword().equals("HEALTHCHECK")).toList();
    if (checks.isEmpty() || checks.get(0).args().equalsIgnoreCase("NONE")) {
      return List.of("no HEALTHCHECK in the final stage");
    }
    String check = checks.get(0).args();
    boolean probes =
        check.contains("/health/ready")
            || d.scripts().entrySet().stream()
                .anyMatch(
                    s -> check.contains(s.getKey()) && s.getValue().contains("/health/ready"));
    return probes ? List.of() : List.of("HEALTHCHECK does not probe /health/ready");
  }

  static List<String> noSecrets(Dockerfile d) {
    List<String> v = new ArrayList<>();
    for (Instruction i : d.instructions()) {
      if (!i.keyword().equals("ENV") && !i.keyword().equals("ARG")) {
        continue;
      }
      for (String name : variableNames(i.args())) {
        if (SECRET_NAME.matcher(name).find()) {
          v.add(i.keyword() + " " + name + " puts a secret into the image");
        }
      }
    }
    for (Pattern p : SECRET_VALUES) {
      if (p.matcher(d.text()).find()) {
        v.add("the Dockerfile contains something that looks like a secret (" + p.pattern() + ")");
      }
    }
    return v;
  }

  static List<String> launchesPayaraMicroAtRoot(Dockerfile d) {
    String launch = launchText(d);
    List<String> v = new ArrayList<>();
    for (String needed :
        List.of("payara-micro.jar", "--deploy", ".war", "--contextroot /", "--nocluster")) {
      if (!launch.contains(needed)) {
        v.add("the entrypoint does not run Payara Micro with '" + needed + "'");
      }
    }
    boolean port = d.all("EXPOSE").stream().anyMatch(e -> e.args().matches("8080(/tcp)?"));
    if (!port) {
      v.add("port 8080 is not exposed");
    }
    return v;
  }

  static List<String> jvmSizedByContainer(Dockerfile d) {
    String all = d.text() + "\n" + String.join("\n", d.scripts().values());
    List<String> v = new ArrayList<>();
    if (!all.contains("-XX:MaxRAMPercentage=")) {
      v.add("the JVM heap does not follow the container's memory (-XX:MaxRAMPercentage)");
    }
    if (all.matches("(?s).*-Xmx\\d+.*")) {
      v.add("a fixed -Xmx ignores the container's memory limit");
    }
    return v;
  }

  /**
   * Configuration comes from SEALPOST_* variables only: no configuration file is baked in, and the
   * ENV the image sets are JVM flags or SEALPOST_* defaults.
   */
  /**
   * Payara's two log formats (issue 16), like preboot.asadmin server settings rather than
   * configuration: the entrypoint picks one by SEALPOST_LOG_FORMAT. Only these two, from there.
   */
  private static final java.util.regex.Pattern PAYARA_LOG_FORMATS =
      java.util.regex.Pattern.compile(
          "--from=build (/src/api/src/main/payara/logging(-json)?\\.properties ){2}/opt/sealpost/");

  static List<String> configuredByEnvironmentOnly(Dockerfile d) {
    List<String> v = new ArrayList<>();
    for (Instruction i : d.finalStage()) {
      if (i.keyword().equals("ENV")) {
        for (String name : variableNames(i.args())) {
          if (!name.startsWith("SEALPOST_") && !name.equals("JAVA_OPTS")) {
            v.add("ENV " + name + " is neither a SEALPOST_* setting nor JAVA_OPTS");
          }
        }
      }
      if (i.keyword().equals("COPY") || i.keyword().equals("ADD")) {
        if (i.args().matches("(?s).*\\.(properties|ya?ml|xml|conf|json|env)(\\s|$).*")
            && !PAYARA_LOG_FORMATS.matcher(i.args()).matches()) {
          v.add(i.keyword() + " " + i.args() + " bakes a configuration file into the image");
        }
      }
    }
    if (d.finalStage().stream().noneMatch(i -> i.keyword().equals("ENTRYPOINT"))) {
      v.add("no ENTRYPOINT");
    }
    return v;
  }

  /**
   * The server writes its data directory (the H2 database included) with umask 077, so every file
   * is 0600 and every directory 0700 whatever the base image's default.
   */
  static List<String> dataFilesOwnerOnly(Dockerfile d) {
    List<String> v = new ArrayList<>();
    if (!Pattern.compile("(?m)^\\s*umask\\s+0?077\\b").matcher(launchText(d)).find()) {
      v.add("the entrypoint does not set umask 077 before starting the server");
    }
    return v;
  }

  static List<String> contextExcludesBuildOutputAndSecrets(Dockerfile d) {
    List<String> v = new ArrayList<>();
    for (String needed : List.of(".git", "**/target", "**/node_modules", "data", "**/*.key")) {
      if (!d.ignore().contains(needed)) {
        v.add(".dockerignore does not exclude " + needed);
      }
    }
    return v;
  }

  private static Optional<String> image(Instruction from) {
    Matcher m = FROM.matcher(from.args());
    return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
  }

  /** ENTRYPOINT and CMD of the final stage, plus the scripts they name. */
  private static String launchText(Dockerfile d) {
    StringBuilder text = new StringBuilder();
    for (Instruction i : d.finalStage()) {
      if (i.keyword().equals("ENTRYPOINT") || i.keyword().equals("CMD")) {
        String args = i.args().replaceAll("\"\\s*,\\s*\"", " ");
        text.append(args).append('\n');
        d.scripts()
            .forEach(
                (name, body) -> {
                  if (i.args().contains(name)) {
                    text.append(body.replaceAll("\\\\\\s*\n\\s*", " ")).append('\n');
                  }
                });
      }
    }
    return text.toString();
  }

  /** Names set by ENV/ARG: {@code A=1 B="x y"}, {@code NAME value} or {@code NAME}. */
  static List<String> variableNames(String args) {
    List<String> names = new ArrayList<>();
    Matcher m = Pattern.compile("(?:^|\\s)([A-Za-z_][A-Za-z0-9_]*)=").matcher(args);
    while (m.find()) {
      names.add(m.group(1));
    }
    if (names.isEmpty()) {
      names.add(args.split("\\s+")[0]);
    }
    return names;
  }
}

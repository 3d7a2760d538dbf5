package dev.sealpost.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A Dockerfile read as a list of instructions (continuation lines joined, comments dropped),
 * together with the scripts it copies from the build context and the .dockerignore beside it.
 */
record Dockerfile(
    String text, List<Instruction> instructions, Map<String, String> scripts, List<String> ignore) {

  record Instruction(String keyword, String args) {}

  static Dockerfile read(Path dockerfile, Path dockerignore, Path contextRoot) {
    try {
      String text = Files.readString(dockerfile);
      List<Instruction> instructions = parse(text);
      Map<String, String> scripts = new LinkedHashMap<>();
      for (Instruction i : instructions) {
        if (!i.keyword().equals("COPY") || i.args().contains("--from=")) {
          continue;
        }
        for (String token : i.args().split("\\s+")) {
          if (token.endsWith(".sh")) {
            Path script = contextRoot.resolve(token);
            if (Files.isRegularFile(script)) {
              scripts.put(script.getFileName().toString(), Files.readString(script));
            }
          }
        }
      }
      List<String> ignore =
          Files.isRegularFile(dockerignore)
              ? Files.readAllLines(dockerignore).stream()
                  .map(String::trim)
                  .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                  .toList()
              : List.of();
      return new Dockerfile(text, instructions, scripts, ignore);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<Instruction> parse(String text) {
    List<Instruction> list = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String raw : text.split("\n", -1)) {
      String line = raw.strip();
      if (line.startsWith("#") || (line.isEmpty() && current.length() == 0)) {
        continue;
      }
      boolean continues = line.endsWith("\\");
      current.append(continues ? line.substring(0, line.length() - 1) : line).append(' ');
      if (!continues) {
        String joined = current.toString().strip();
        current.setLength(0);
        if (joined.isEmpty()) {
          continue;
        }
        int space = joined.indexOf(' ');
        String keyword = (space < 0 ? joined : joined.substring(0, space)).toUpperCase(Locale.ROOT);
        String args = space < 0 ? "" : joined.substring(space + 1).strip();
        list.add(new Instruction(keyword, args));
      }
    }
    return list;
  }

  /** The instructions of the last stage (after the last FROM): what the image is at run time. */
  List<Instruction> finalStage() {
    int last = -1;
    for (int i = 0; i < instructions.size(); i++) {
      if (instructions.get(i).keyword().equals("FROM")) {
        last = i;
      }
    }
    return last < 0 ? List.of() : instructions.subList(last, instructions.size());
  }

  List<Instruction> all(String keyword) {
    return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
  }
}

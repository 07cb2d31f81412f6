package dev.canopy.deploy.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docs/security.md stays true: every test it cites as covering a threat exists, so a renamed or
 * deleted test cannot leave a threat listed as covered when nothing covers it.
 */
class SecurityDocTest {

  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  /** `SomeTest` or `SomeTest.method` (or `SomeIT…`) in backquotes; `…` abbreviates a method name's start. */
  private static final Pattern CITED = Pattern.compile("`([A-Z][A-Za-z0-9]*(?:Test|IT))(?:\\.([A-Za-z0-9_…]+))?`");

  @Test
  void everyTestTheSecurityPageCitesExists() throws IOException {
    Map<String, String> testSources = testSources();
    List<String> missing = new ArrayList<>();
    Matcher cited = CITED.matcher(Files.readString(ROOT.resolve("docs/security.md")));
    int citations = 0;
    while (cited.find()) {
      citations++;
      String className = cited.group(1);
      String method = cited.group(2);
      String source = testSources.get(className);
      if (source == null) {
        missing.add(className);
        continue;
      }
      if (method != null && !hasMethod(source, method)) {
        missing.add(className + "." + method);
      }
    }
    assertThat(citations).as("citations in docs/security.md").isGreaterThan(10);
    assertThat(missing).as("tests cited in docs/security.md that do not exist").isEmpty();
  }

  /** `…Suffix` cites the method whose name ends with the suffix. */
  private static boolean hasMethod(String source, String method) {
    String name = method.startsWith("…") ? "[A-Za-z0-9_]*" + Pattern.quote(method.substring(1)) : Pattern.quote(method);
    return Pattern.compile("void " + name + "\\(").matcher(source).find();
  }

  private static Map<String, String> testSources() throws IOException {
    try (Stream<Path> files = Files.walk(ROOT)) {
      return files
          .filter(p -> p.toString().contains("/src/test/java/") && p.toString().endsWith(".java"))
          .collect(Collectors.toMap(
              p -> p.getFileName().toString().replace(".java", ""),
              p -> {
                try {
                  return Files.readString(p);
                } catch (IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              },
              (a, b) -> a + b));
    }
  }
}

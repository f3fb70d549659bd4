package dev.earshot;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code ```java} block of the README compiles against this build: each becomes the body of a method that
 * imports every earshot package (a snippet is statements, as a user would paste them).
 */
class ReadmeSnippetsTest {
  private static final Path README = Path.of("..", "README.md");
  private static final Pattern JAVA = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);

  @TempDir Path dir;

  @Test
  void javaSnippetsCompile() throws IOException {
    List<String> snippets = new ArrayList<>();
    Matcher m = JAVA.matcher(Files.readString(README, StandardCharsets.UTF_8));
    while (m.find()) {
      snippets.add(m.group(1));
    }
    assertThat(snippets).as("java blocks in " + README).isNotEmpty();
    StringBuilder imports = new StringBuilder("import java.nio.file.*;\nimport java.util.*;\n");
    for (String p : earshotPackages()) {
      imports.append("import ").append(p).append(".*;\n");
    }
    List<String> sources = new ArrayList<>();
    for (int i = 0; i < snippets.size(); i++) {
      Path file = dir.resolve("Snippet" + i + ".java");
      Files.writeString(file, imports + "\nclass Snippet" + i + " {\n  void run() throws Exception {\n"
          + snippets.get(i) + "\n  }\n}\n");
      sources.add(file.toString());
    }
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
    List<String> args = new ArrayList<>(List.of("-proc:none", "-d", dir.resolve("classes").toString(), "-cp",
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"))));
    args.addAll(sources);
    int status = javac.run(null, diagnostics, diagnostics, args.toArray(new String[0]));
    assertThat(status).as("README snippets compile:%n%s%n%s", diagnostics.toString(StandardCharsets.UTF_8),
        String.join("\n---\n", snippets)).isZero();
  }

  /** The packages of earshot-core's main classes. */
  private static List<String> earshotPackages() throws IOException {
    Path classes = Path.of("target", "classes");
    try (Stream<Path> walk = Files.walk(classes.resolve("dev"))) {
      return walk.filter(f -> f.toString().endsWith(".class")).map(f -> classes.relativize(f.getParent()).toString()
          .replace(java.io.File.separatorChar, '.')).distinct().sorted().toList();
    }
  }
}

package dev.earshot.spark;

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
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's Spark snippets ({@code ```java spark} blocks; core's test compiles the plain {@code ```java} ones)
 * compile against this module and Spark: each becomes the body of a method.
 */
class SparkReadmeSnippetsTest {
  private static final Path README = Path.of("..", "README.md");
  private static final Pattern SPARK = Pattern.compile("```java spark\\n(.*?)```", Pattern.DOTALL);

  @TempDir Path dir;

  @Test
  void sparkSnippetsCompile() throws IOException {
    List<String> snippets = new ArrayList<>();
    Matcher m = SPARK.matcher(Files.readString(README, StandardCharsets.UTF_8));
    while (m.find()) {
      snippets.add(m.group(1));
    }
    assertThat(snippets).as("java spark blocks in " + README).isNotEmpty();
    String imports = "import java.nio.file.*;\nimport java.util.*;\nimport org.apache.spark.sql.*;\n"
        + "import dev.earshot.spark.*;\nimport dev.earshot.recipe.*;\n";
    List<String> args = new ArrayList<>(List.of("-proc:none", "-d", dir.resolve("classes").toString(), "-cp",
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"))));
    for (int i = 0; i < snippets.size(); i++) {
      Path file = dir.resolve("SparkSnippet" + i + ".java");
      Files.writeString(file, imports + "\nclass SparkSnippet" + i + " {\n  void run() throws Exception {\n"
          + snippets.get(i) + "\n  }\n}\n");
      args.add(file.toString());
    }
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
    int status = javac.run(null, diagnostics, diagnostics, args.toArray(new String[0]));
    assertThat(status).as("README Spark snippets compile:%n%s", diagnostics.toString(StandardCharsets.UTF_8)).isZero();
  }
}

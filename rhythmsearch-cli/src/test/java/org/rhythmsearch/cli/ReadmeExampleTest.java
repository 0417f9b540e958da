package org.rhythmsearch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every Java example in the README compiles against the library as it is. */
class ReadmeExampleTest {

  @TempDir Path tmp;

  @Test
  void everyJavaBlockOfTheReadmeCompiles() throws Exception {
    String readme = Files.readString(Path.of("..", "README.md"));
    Matcher m = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(readme);
    List<String> blocks = new ArrayList<>();
    while (m.find()) {
      blocks.add(m.group(1));
    }
    assertThat(blocks).as("Java blocks in README.md").isNotEmpty();
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    for (int b = 0; b < blocks.size(); b++) {
      StringBuilder imports = new StringBuilder("import java.nio.file.*;\nimport java.util.*;\n");
      StringBuilder body = new StringBuilder();
      for (String line : blocks.get(b).split("\n")) {
        (line.startsWith("import ") ? imports : body).append(line).append('\n');
      }
      String name = "ReadmeExample" + b;
      String source = imports + "class " + name + " {\n  static void run() throws Exception {\n" + body + "  }\n}\n";
      SimpleJavaFileObject file = new SimpleJavaFileObject(URI.create("string:///" + name + ".java"),
          SimpleJavaFileObject.Kind.SOURCE) {
        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
          return source;
        }
      };
      StringWriter out = new StringWriter();
      List<String> options = List.of("-classpath", System.getProperty("java.class.path"), "-d", tmp.toString(),
          "--release", "17", "-proc:none");
      boolean ok = javac.getTask(out, null, null, options, null, List.of(file)).call();
      assertThat(ok).as("README Java block %d:%n%s%n%s", b + 1, source, out).isTrue();
    }
    assertThat(new File(tmp.toFile(), "ReadmeExample0.class")).exists();
  }
}

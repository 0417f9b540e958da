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

/** Every Java example in the README compiles, exactly as printed, against the library as it is. */
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
      String source = blocks.get(b);
      Matcher cls = Pattern.compile("public class (\\w+)").matcher(source);
      assertThat(cls.find()).as("README Java block %d is a whole public class:%n%s", b + 1, source).isTrue();
      String name = cls.group(1);
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
    assertThat(new File(tmp.toFile(), "FindSimilar.class")).exists();
  }
}

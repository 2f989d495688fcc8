package io.streamprocessor.engine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The embedding example in the README compiles exactly as written and prints what the README says it prints. */
class ReadmeExampleTest {
    @Test
    void theReadmeEmbeddingExampleCompilesRunsAndPrintsWhatItSays(@TempDir Path dir) throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        Matcher block = Pattern.compile("```java\n(import .*?)```", Pattern.DOTALL).matcher(readme);
        assertTrue(block.find(), "the README has a Java example starting with its imports");
        Path source = dir.resolve("Embedded.java");
        Files.writeString(source, block.group(1));

        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        int rc = javac.run(null, null, errors, "-d", dir.toString(),
            "-cp", System.getProperty("java.class.path"), source.toString());
        assertEquals(0, rc, "the README example does not compile:\n" + errors.toString(StandardCharsets.UTF_8));

        String printed = run(dir);
        Matcher promised = Pattern.compile("It prints `([^`]*)`").matcher(readme);
        assertTrue(promised.find(), "the README says what the example prints");
        assertEquals(promised.group(1), printed.strip());
    }

    private static String run(Path classes) throws IOException, ReflectiveOperationException {
        PrintStream stdout = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()},
                ReadmeExampleTest.class.getClassLoader())) {
            Method main = loader.loadClass("Embedded").getMethod("main", String[].class);
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            main.invoke(null, (Object) new String[0]);
        } finally {
            System.setOut(stdout);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}

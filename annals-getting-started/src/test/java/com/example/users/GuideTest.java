package com.example.users;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Holds docs/getting-started.md and this module to each other, so that the page cannot go
 * stale: every code block of the page names the file of this module it shows
 * ({@code <!-- file: PATH -->} on the line before it) and is that file as it is, which the build
 * compiles and these tests run; the dependency block is this module's own.
 */
class GuideTest {

    private static final Path GUIDE = Path.of("..", "docs", "getting-started.md");
    private static final Pattern MARKER = Pattern.compile("<!-- file: ([^ ]+) -->");
    private static final String DEPENDENCIES = "pom.xml#dependencies";

    record Block(String file, String language, String text, int line) {
    }

    private static List<Block> blocks() throws IOException {
        List<String> lines = Files.readAllLines(GUIDE);
        var blocks = new ArrayList<Block>();
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).startsWith("```") || lines.get(i).equals("```")) {
                continue;
            }
            String language = lines.get(i).substring(3).trim();
            Matcher marker = i > 0 ? MARKER.matcher(lines.get(i - 1).trim()) : MARKER.matcher("");
            int end = i + 1;
            while (!lines.get(end).equals("```")) {
                end++;
            }
            String text = String.join("\n", lines.subList(i + 1, end)) + "\n";
            blocks.add(new Block(marker.matches() ? marker.group(1) : null, language, text, i + 1));
            i = end;
        }
        return blocks;
    }

    @Test
    void everyJavaBlockIsAFileOfThisModuleAsItIs() throws IOException {
        int shown = 0;
        for (Block block : blocks()) {
            if (!block.language().equals("java")) {
                continue;
            }
            if (block.file() == null) {
                fail("getting-started.md line " + block.line() + ": a Java block must name the file it shows (<!-- file: src/... -->)");
            }
            Path file = Path.of(block.file());
            assertTrue(Files.isRegularFile(file), "getting-started.md line " + block.line() + ": no file " + file);
            assertEquals(Files.readString(file), block.text(), "getting-started.md line " + block.line() + " shows " + file);
            shown++;
        }
        assertTrue(shown >= 6, "the guide shows its code");
    }

    @Test
    void theDependencyBlockIsThisModulesOwn() throws IOException {
        String pom = Files.readString(Path.of("pom.xml"));
        int start = pom.indexOf("  <dependencies>");
        int end = pom.indexOf("</dependencies>", start) + "</dependencies>".length();
        String own = pom.substring(start, end).lines().map(line -> line.startsWith("  ") ? line.substring(2) : line)
                .reduce("", (all, line) -> all + line + "\n");
        List<Block> xml = blocks().stream().filter(block -> DEPENDENCIES.equals(block.file())).toList();
        assertEquals(1, xml.size(), "the guide shows the dependencies once, marked <!-- file: " + DEPENDENCIES + " -->");
        assertEquals(own, xml.getFirst().text());
        assertFalse(own.contains("${"), "the guide's coordinates are literal, as a user writes them");
    }
}

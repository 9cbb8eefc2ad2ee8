package org.segstream.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The fenced code blocks of one section of a Markdown file, so tests can run what a document tells users to run. */
final class MarkdownBlocks {
    /** One fenced block: its info string ("bash", "python", or empty) and its lines, fences excluded. */
    record Block(String language, List<String> lines) {
        String code() {
            return String.join("\n", lines) + "\n";
        }
    }

    private MarkdownBlocks() {
    }

    /** The blocks between the heading "## {@code title}" and the next heading of that level (or the end of the file). */
    static List<Block> inSection(Path file, String title) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        int start = lines.indexOf("## " + title);
        if (start < 0) {
            throw new IllegalArgumentException(file + ": no section '## " + title + "'");
        }
        List<Block> blocks = new ArrayList<>();
        String language = null;
        List<String> code = new ArrayList<>();
        for (int i = start + 1; i < lines.size(); i++) {
            String line = lines.get(i);
            if (language == null && line.startsWith("## ")) {
                break;
            }
            if (line.startsWith("```")) {
                if (language == null) {
                    language = line.substring(3).trim();
                    code = new ArrayList<>();
                } else {
                    blocks.add(new Block(language, List.copyOf(code)));
                    language = null;
                }
            } else if (language != null) {
                code.add(line);
            }
        }
        if (language != null) {
            throw new IllegalArgumentException(file + ", section '" + title + "': a ```" + language + " block is never closed");
        }
        return blocks;
    }
}

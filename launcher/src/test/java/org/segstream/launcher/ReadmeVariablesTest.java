package org.segstream.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** README.md's table of environment variables lists exactly the variables the services declare. */
class ReadmeVariablesTest {
    private static final Pattern VARIABLE = Pattern.compile("`((?:SEGSTREAM|KAFKA)_[A-Z0-9_]+\\*?)`");

    /** The variables named in the first column of the table whose header is "| variable | service | default | meaning |". */
    static Set<String> documented(List<String> readme) {
        int header = readme.indexOf("| variable | service | default | meaning |");
        assertTrue(header >= 0, "README.md has no table of variables");
        Set<String> names = new TreeSet<>();
        for (int i = header + 2; i < readme.size() && readme.get(i).startsWith("|"); i++) {
            String firstColumn = readme.get(i).split("(?<!\\\\)\\|")[1];
            Matcher m = VARIABLE.matcher(firstColumn);
            while (m.find()) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    @Test
    void everyDeclaredVariableIsDocumentedAndNothingElse() throws Exception {
        List<String> readme = Files.readAllLines(Path.of("..", "README.md"), StandardCharsets.UTF_8);
        Set<String> documented = documented(readme);
        Set<String> declared = new TreeSet<>(EnvironmentVariables.names());
        Set<String> undocumented = new TreeSet<>(declared);
        undocumented.removeAll(documented);
        Set<String> unknown = new TreeSet<>(documented);
        unknown.removeAll(declared);
        assertEquals(Set.of(), undocumented, "declared but not in README.md's table");
        assertEquals(Set.of(), unknown, "in README.md's table but read by no service");
    }

    @Test
    void theTableParserReadsEveryVariableOfARow() {
        var table = List.of("| variable | service | default | meaning |", "|---|---|---|---|",
                "| `SEGSTREAM_A`, `SEGSTREAM_B` | all | `x` | uses `SEGSTREAM_C` |", "| `KAFKA_CLIENT_*` | all | | |", "", "| `SEGSTREAM_D` |");
        assertEquals(new TreeSet<>(Set.of("SEGSTREAM_A", "SEGSTREAM_B", "KAFKA_CLIENT_*")), documented(table));
    }
}

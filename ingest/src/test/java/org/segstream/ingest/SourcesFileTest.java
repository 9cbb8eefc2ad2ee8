package org.segstream.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A streams file takes passwords from the environment: ${NAME} in values. */
class SourcesFileTest {
    static final Map<String, String> ENV = Map.of("ENTRANCE_PASSWORD", "s3cr%40t", "PARKING_USER", "viewer", "CAM_FPS", "2",
            "EMPTY", "");

    @Test
    void variablesInValuesComeFromTheEnvironment(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("cameras.properties"), """
                default.fps = ${CAM_FPS}
                entrance.url = rtsp://admin:${ENTRANCE_PASSWORD}@10.0.0.5:554/stream1
                parking.url = rtsp://${PARKING_USER}:${ENTRANCE_PASSWORD}@10.0.0.6:554/stream1
                parking.fps = 5${EMPTY}
                """);
        List<SourceSpec> specs = SourcesFile.load(file, ENV);
        assertEquals(List.of("entrance", "parking"), specs.stream().map(SourceSpec::stream).toList());
        assertEquals("rtsp://admin:s3cr%40t@10.0.0.5:554/stream1", specs.get(0).location(), "the value as it is");
        assertEquals("rtsp://viewer:s3cr%40t@10.0.0.6:554/stream1", specs.get(1).location());
        assertEquals(2, specs.get(0).options().fps(), "defaults too");
        assertEquals(5, specs.get(1).options().fps());
        assertFalse(specs.get(0).redactedLocation().contains("s3cr"), "logs still show the password masked");
    }

    @Test
    void jsonValuesTooAndAValueIsNeverScannedTwice(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("cameras.json"), """
                {"gate": {"url": "rtsp://admin:${PASSWORD}@10.0.0.5/stream1"}}
                """);
        var specs = SourcesFile.load(file, Map.of("PASSWORD", "a${B}c$$d"));
        assertEquals("rtsp://admin:a${B}c$$d@10.0.0.5/stream1", specs.get(0).location());
    }

    @Test
    void anUnsetVariableIsAnErrorNamingItAndTheKey(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("cameras.properties"), """
                entrance.url = rtsp://admin:${ENTRANCE_PASSWORD}@10.0.0.5/stream1
                lobby.url = rtsp://admin:${LOBBY_PASSWORD}@10.0.0.7/stream1
                """);
        var error = assertThrows(IllegalArgumentException.class, () -> SourcesFile.load(file, ENV));
        assertTrue(error.getMessage().contains("lobby.url uses ${LOBBY_PASSWORD}, but the environment variable LOBBY_PASSWORD is not set"),
                error.getMessage());
        assertTrue(error.getMessage().startsWith(file.toString()), "names the file: " + error.getMessage());
        assertFalse(error.getMessage().contains("s3cr"), "no other value in the message");
    }

    @Test
    void dollarsThatAreNotVariables() {
        assertEquals("price $5 and ${literal}", SourcesFile.substitute("price $5 and $${literal}", Map.of(), "k"));
        assertEquals("http://h/a?x=$y", SourcesFile.substitute("http://h/a?x=$y", Map.of(), "k"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SourcesFile.substitute("rtsp://${OPEN", Map.of(), "cam.url"))
                .getMessage().contains("cam.url: '${' without its closing '}'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SourcesFile.substitute("${A-B}", Map.of(), "cam.url"))
                .getMessage().contains("'${A-B}' is not a variable name"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SourcesFile.substitute("${}", Map.of(), "cam.url"))
                .getMessage().contains("is not a variable name"));
    }
}

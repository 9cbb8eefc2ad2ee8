package org.segstream.segmenter.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The small JSON file that travels with a model (see tools/model/README.md): what the ONNX graph
 * expects and returns, and the sha256 of the ONNX file so a swapped or damaged file is refused.
 */
public record ModelDescriptor(
        Path descriptorFile,
        String name,
        String version,
        Path modelFile,
        String sha256,
        String inputName,
        String outputName,
        List<String> classes) {

    /** Reads a descriptor; {@code file} may name the .json or the .onnx beside it. */
    public static ModelDescriptor read(Path file) throws IOException {
        Path json = file.toString().endsWith(".onnx")
                ? file.resolveSibling(file.getFileName().toString().replaceFirst("\\.onnx$", ".json"))
                : file;
        if (!Files.isRegularFile(json)) {
            throw new IOException("model descriptor " + json + " does not exist (expected next to the .onnx file)");
        }
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(json.toFile());
        } catch (IOException e) {
            throw new IOException("model descriptor " + json + " is not valid JSON: " + e.getMessage(), e);
        }
        List<String> classes = new ArrayList<>();
        root.path("classes").forEach(c -> classes.add(c.asText()));
        return new ModelDescriptor(
                json,
                required(root, json, "name"),
                root.path("version").asText("unversioned"),
                json.resolveSibling(required(root, json, "file")),
                required(root, json, "sha256"),
                required(root.path("input"), json, "name"),
                required(root.path("output"), json, "name"),
                List.copyOf(classes));
    }

    /** "name:version", as written in the masks' {@code segstream.model} header. */
    public String label() {
        return name + ":" + version;
    }

    private static String required(JsonNode node, Path json, String field) throws IOException {
        JsonNode value = node.get(field);
        if (value == null || value.asText().isBlank()) {
            throw new IOException("model descriptor " + json + " has no '" + field + "'");
        }
        return value.asText();
    }
}

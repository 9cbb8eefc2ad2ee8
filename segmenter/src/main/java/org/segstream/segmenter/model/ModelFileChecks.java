package org.segstream.segmenter.model;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.TensorInfo;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/** The checks a model passes before it runs: the ONNX file is the one its descriptor names, its tensors the ones expected. */
final class ModelFileChecks {
    private ModelFileChecks() {
    }

    /** The {@code role} tensor {@code name} is in {@code nodes}, uint8, of {@code rank}; else an IOException naming what it is. */
    static void expectTensor(Map<String, NodeInfo> nodes, String name, int rank, String role, ModelDescriptor d)
            throws IOException {
        NodeInfo node = nodes.get(name);
        if (node == null) {
            throw new IOException("model " + d.modelFile() + " has no " + role + " '" + name + "'; it has " + nodes.keySet());
        }
        if (!(node.getInfo() instanceof TensorInfo tensor) || tensor.type != OnnxJavaType.UINT8
                || tensor.getShape().length != rank) {
            throw new IOException("model " + d.modelFile() + " " + role + " '" + name + "' is " + node.getInfo()
                    + "; expected a uint8 tensor of rank " + rank);
        }
    }

    static void verifySha256(ModelDescriptor d) throws IOException {
        if (!Files.isRegularFile(d.modelFile())) {
            throw new IOException("model file " + d.modelFile() + " (named by " + d.descriptorFile() + ") does not exist");
        }
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (InputStream in = Files.newInputStream(d.modelFile())) {
            byte[] buffer = new byte[1 << 16];
            int n;
            while ((n = in.read(buffer)) > 0) {
                digest.update(buffer, 0, n);
            }
        }
        String actual = HexFormat.of().formatHex(digest.digest());
        if (!actual.equalsIgnoreCase(d.sha256())) {
            throw new IOException("model file " + d.modelFile() + " has sha256 " + actual + " but its descriptor "
                    + d.descriptorFile() + " says " + d.sha256() + "; refusing a swapped or damaged model");
        }
    }
}

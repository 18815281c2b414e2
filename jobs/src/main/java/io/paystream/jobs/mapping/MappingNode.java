package io.paystream.jobs.mapping;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * One node of a mapping file with where it stands (file, line and path such as
 * {@code tables.payments.columns.status}), so that every problem found in the file names its line.
 * Only the YAML subset a mapping needs: maps with text keys, scalars and lists of scalars.
 */
final class MappingNode {
    private final String file;
    private final String path;
    private final Node node;

    private MappingNode(String file, String path, Node node) {
        this.file = file;
        this.path = path;
        this.node = node;
    }

    static MappingNode parse(Path file) throws IOException {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return parse(file.toString(), r);
        }
    }

    static MappingNode parse(String name, String text) {
        return parse(name, new StringReader(text));
    }

    private static MappingNode parse(String name, Reader reader) {
        Node root;
        try {
            root = new Yaml(new SafeConstructor(new LoaderOptions())).compose(reader);
        } catch (YAMLException e) {
            throw new InvalidMappingException(List.of(name + ": not a YAML file: " + e.getMessage()));
        }
        if (root == null) {
            throw new InvalidMappingException(List.of(name + ": the mapping is empty"));
        }
        return new MappingNode(name, "", root);
    }

    /** {@code file:line path}: the place a problem names. */
    String where() {
        return file + ":" + (node.getStartMark().getLine() + 1) + (path.isEmpty() ? "" : " " + path);
    }

    String path() {
        return path;
    }

    boolean isScalar() {
        return node instanceof ScalarNode;
    }

    boolean isMap() {
        return node instanceof org.yaml.snakeyaml.nodes.MappingNode;
    }

    /** The scalar's text; the caller has checked {@link #isScalar()}. */
    String text() {
        return ((ScalarNode) node).getValue();
    }

    /** The entries of a map node, in file order; empty for a node of another kind. */
    Map<String, MappingNode> entries() {
        if (!(node instanceof org.yaml.snakeyaml.nodes.MappingNode)) {
            return Collections.emptyMap();
        }
        Map<String, MappingNode> out = new LinkedHashMap<>();
        for (NodeTuple t : ((org.yaml.snakeyaml.nodes.MappingNode) node).getValue()) {
            String key = t.getKeyNode() instanceof ScalarNode ? ((ScalarNode) t.getKeyNode()).getValue() : "?";
            out.put(key, new MappingNode(file, path.isEmpty() ? key : path + "." + key, t.getValueNode()));
        }
        return out;
    }

    /** The items of a list node, each as a node of its own. */
    List<MappingNode> items() {
        if (!(node instanceof org.yaml.snakeyaml.nodes.SequenceNode)) {
            return List.of();
        }
        List<Node> values = ((org.yaml.snakeyaml.nodes.SequenceNode) node).getValue();
        java.util.ArrayList<MappingNode> out = new java.util.ArrayList<>(values.size());
        for (int i = 0; i < values.size(); i++) {
            out.add(new MappingNode(file, path + "[" + i + "]", values.get(i)));
        }
        return out;
    }

    boolean isList() {
        return node instanceof org.yaml.snakeyaml.nodes.SequenceNode;
    }
}

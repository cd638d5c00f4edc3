package io.switchboard.simulator.scenario;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * A scenario's YAML as a Jackson tree, with where each value stands by the path errors name it by ({@code
 * messages.rate}, {@code variants[0].name}, {@code server.router.shards}).
 *
 * <p>Jackson's trees keep no locations, so this reads the document token by token from Jackson's YAML parser. Every
 * scalar stays the text written, so that the binder reads it by Java's rules rather than YAML 1.1's ({@code 010} is
 * ten, not eight; {@code 1_000} is no integer) and an error can quote it. A key given twice is refused here, also once
 * nested and once dotted, since both have one path. {@code --set} values are written into the tree ({@link #set}),
 * where the binder meets them as it would the file's. Aliases of anchored lists and mappings are followed (50 at most);
 * Jackson's parser keeps no anchor of a single value.
 */
final class YamlTree {
    private static final YAMLFactory YAML = new YAMLFactory();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Spot NOWHERE = new Spot(0, 0, NullNode.instance, false);
    /** As snakeyaml's own default: each alias copies a subtree, so a few nested ones could fill the heap. */
    private static final int MAX_ALIASES = 50;

    /**
     * Where a value came from: the line of its key (of the item, in a list) and of the value itself, 0 for {@code
     * --set}.
     */
    record Spot(int keyLine, int line, JsonNode node, boolean fromOverride) {
        /** The value as an error quotes it. */
        String shown() {
            if (node.isContainerNode()) {
                return node.isObject() ? "a mapping" : "a list";
            }
            return node.isNull() ? "nothing" : "'" + node.asText() + "'";
        }
    }

    private final Path file;
    private final Map<String, Spot> spots = new HashMap<>();
    private final Map<String, JsonNode> anchors = new HashMap<>();
    private int aliases;
    private JsonNode root = NODES.objectNode();

    private YamlTree(Path file) {
        this.file = file;
    }

    /** Reads one document; an empty one is an empty mapping. */
    static YamlTree read(Path file, String text) {
        YamlTree tree = new YamlTree(file);
        try (YAMLParser parser = YAML.createParser(text)) {
            if (parser.nextToken() != null) {
                tree.root = tree.value(parser, "", 0);
            }
            if (parser.nextToken() != null) {
                throw tree.fail(line(parser), "", "not valid YAML: expected one document, found a second");
            }
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            String problem = e.getOriginalMessage();
            if (e.getCause() instanceof MarkedYAMLException marked) { // snakeyaml's words, without its excerpt
                line = marked.getProblemMark() == null
                        ? line
                        : marked.getProblemMark().getLine() + 1;
                problem = (marked.getContext() == null ? "" : marked.getContext() + ": ") + marked.getProblem();
            }
            throw tree.fail(line, "", "not valid YAML: " + problem.replaceAll("\\s+", " "));
        } catch (IOException e) {
            throw new ScenarioException(file, "cannot read: " + e);
        }
        return tree;
    }

    JsonNode root() {
        return root;
    }

    /** Where the value at {@code path} stands, or the nearest value around it that the file or {@code --set} gave. */
    Spot spot(String path) {
        Spot spot = spots.get(path);
        int parent = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
        if (spot != null || path.isEmpty()) {
            return spot == null ? NOWHERE : spot;
        }
        return spot(path.substring(0, Math.max(0, parent)));
    }

    /** A problem with the value at {@code path}, named by its line or as {@code --set}. */
    ScenarioException fail(String path, String problem) {
        Spot spot = spot(path);
        return new ScenarioException(file, spot.line(), path.isEmpty() ? null : path, spot.fromOverride(), problem);
    }

    /** A problem with the key at {@code path} (an unknown field), named by the key's line. */
    ScenarioException failAtKey(String path, String problem) {
        Spot spot = spot(path);
        return new ScenarioException(file, spot.keyLine(), path, spot.fromOverride(), problem);
    }

    private ScenarioException fail(int line, String path, String problem) {
        return new ScenarioException(file, line, path.isEmpty() ? null : path, false, problem);
    }

    /**
     * Writes a {@code --set} value at a dotted path, making its section when the file has none. Where the file has
     * something other than a mapping on the way, the value is left out and the binder reports the file's value.
     */
    void set(String path, String value) {
        String[] keys = path.split("\\.");
        JsonNode node = root;
        for (int i = 0; i < keys.length - 1 && node instanceof ObjectNode section; i++) {
            JsonNode child = section.get(keys[i]);
            node = child == null || child.isNull() ? section.putObject(keys[i]) : child;
        }
        if (node instanceof ObjectNode section) {
            section.set(keys[keys.length - 1], TextNode.valueOf(value));
            spots.put(path, new Spot(0, 0, TextNode.valueOf(value), true));
        }
    }

    private JsonNode value(YAMLParser parser, String path, int keyLine) throws IOException {
        int line = line(parser);
        String anchor = parser.getObjectId();
        JsonNode node;
        if (parser.isCurrentAlias()) {
            node = anchors.get(parser.getText());
            if (node == null || ++aliases > MAX_ALIASES) {
                throw fail(
                        line,
                        path,
                        node == null
                                ? "*" + parser.getText() + " names no list or mapping anchored before it"
                                : "more than " + MAX_ALIASES + " aliases");
            }
            node = node.deepCopy();
        } else if (parser.currentToken() == JsonToken.START_OBJECT) {
            ObjectNode mapping = NODES.objectNode();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String key = parser.currentName().strip();
                String field = path.isEmpty() ? key : path + "." + key;
                Spot earlier = spots.get(field);
                if (earlier != null) {
                    throw fail(line(parser), field, "given twice (also at line " + earlier.keyLine() + ")");
                }
                int at = line(parser);
                parser.nextToken();
                mapping.set(key, value(parser, field, at));
            }
            node = mapping;
        } else if (parser.currentToken() == JsonToken.START_ARRAY) {
            ArrayNode list = NODES.arrayNode();
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                list.add(value(parser, path + "[" + list.size() + "]", 0));
            }
            node = list;
        } else {
            node = parser.currentToken() == JsonToken.VALUE_NULL
                    ? NullNode.instance
                    : TextNode.valueOf(parser.getText().strip());
        }
        if (anchor != null) {
            anchors.put(anchor, node);
        }
        spots.put(path, new Spot(keyLine == 0 ? line : keyLine, line, node, false));
        return node;
    }

    private static int line(YAMLParser parser) {
        return parser.currentTokenLocation().getLineNr();
    }
}

package io.streamprocessor.config;

import io.streamprocessor.config.pipeline.Pipeline;
import io.streamprocessor.config.pipeline.SinkSpec;
import io.streamprocessor.config.pipeline.SinkTypes;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.InvalidPathException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the configuration file with snakeyaml-engine into raw values that remember their line.
 * Works on the composed node tree (not on constructed Java objects) because only nodes carry
 * line numbers. Checks the shape: known sections and keys, scalars where values go, steps and
 * sinks as lists; the values themselves are checked by the loader.
 */
final class YamlSource {
    static final List<String> STEP_WORDS = List.of("filter", "drop", "set", "rename", "remove");
    private static final List<String> TOP_LEVEL = List.of(
        "server", "processor", "window", "events", "cardinality", "pipeline", "sinks");

    final String file;
    final Map<Option<?>, Declared.Raw> values = new LinkedHashMap<>();
    final List<Declared.Step> steps = new ArrayList<>();
    /** Null when the file has no {@code sinks} key. */
    List<Declared.Sink> sinks;

    private YamlSource(String file) {
        this.file = file;
    }

    static YamlSource read(String file) {
        YamlSource source = new YamlSource(file);
        String text = text(file);
        LoadSettings settings = LoadSettings.builder().setLabel(file).setAllowDuplicateKeys(true)
            .setUseMarks(true).build();
        Optional<Node> root;
        try {
            root = new Compose(settings).composeString(text);
        } catch (MarkedYamlEngineException e) {
            int line = e.getProblemMark().or(e::getContextMark).map(m -> m.getLine() + 1).orElse(1);
            throw new ConfigException(file + ":" + line + ": not valid YAML: " + e.getProblem()
                + " (expressions that contain ': ' or start with !, \", ' or [ must be quoted)");
        } catch (YamlEngineException e) {
            throw new ConfigException(file + ": not valid YAML: " + e.getMessage());
        }
        root.ifPresent(source::readRoot);
        return source;
    }

    /** The file's text, or a message a person can act on: never the name of an exception. */
    private static String text(String file) {
        Path path;
        try {
            path = Path.of(file);
        } catch (InvalidPathException e) {
            throw new ConfigException(file + ": not a valid file name");
        }
        if (Files.isDirectory(path)) {
            throw new ConfigException(file + ": is a directory, not a configuration file");
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (IOException e) {
            throw new ConfigException(file + ": " + readProblem(e));
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new ConfigException(file + ": cannot read the configuration file: it is not UTF-8 text");
        }
    }

    /** What went wrong reading the file, in words: the exception's class is the only reliable clue. */
    static String readProblem(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "configuration file not found";
        }
        if (e instanceof AccessDeniedException) {
            return "cannot read the configuration file: permission denied";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return "cannot read the configuration file: " + f.getReason();
        }
        return "cannot read the configuration file";
    }

    private Origin at(Node node) {
        return Origin.file(file, node.getStartMark().map(m -> m.getLine() + 1).orElse(0));
    }

    private ConfigException error(Node node, String key, String problem) {
        return ConfigException.at(at(node), key, problem);
    }

    private void readRoot(Node root) {
        if (isNull(root)) {
            return;
        }
        if (!(root instanceof MappingNode map)) {
            throw new ConfigException(at(root) + ": expected sections at the top of the file ("
                + String.join(", ", TOP_LEVEL) + "), got " + kindOf(root));
        }
        for (NodeTuple t : entries(map, "")) {
            String section = ((ScalarNode) t.getKeyNode()).getValue();
            Node value = t.getValueNode();
            switch (section) {
                case "pipeline" -> readPipeline(value);
                case "sinks" -> readSinks(value);
                default -> {
                    if (!Options.SECTIONS.contains(section)) {
                        throw error(t.getKeyNode(), section, "unknown section" + suggest(section, TOP_LEVEL)
                            + "; allowed: " + String.join(", ", TOP_LEVEL));
                    }
                    readSection(section, value);
                }
            }
        }
    }

    private void readSection(String section, Node node) {
        List<String> names = new ArrayList<>();
        for (Option<?> o : Options.ALL) {
            if (o.section().equals(section)) {
                names.add(o.name());
            }
        }
        if (isNull(node)) {
            return;
        }
        if (!(node instanceof MappingNode map)) {
            throw error(node, section, "expected settings (" + String.join(", ", names) + "), got " + kindOf(node));
        }
        for (NodeTuple t : entries(map, section + ".")) {
            String name = ((ScalarNode) t.getKeyNode()).getValue();
            String key = section + "." + name;
            Option<?> option = Options.BY_KEY.get(key);
            if (option == null) {
                throw error(t.getKeyNode(), key, "unknown setting" + suggest(name, names) + "; allowed in "
                    + section + ": " + String.join(", ", names));
            }
            values.put(option, new Declared.Raw(scalar(t.getValueNode(), key, option.type().describe()),
                at(t.getValueNode())));
        }
    }

    private void readPipeline(Node node) {
        if (isNull(node)) {
            return;
        }
        if (!(node instanceof SequenceNode seq)) {
            throw error(node, "pipeline", "expected a list of steps such as '- filter: data.value > 0', got "
                + kindOf(node));
        }
        int index = 0;
        for (Node item : seq.getValue()) {
            String key = "pipeline[" + index++ + "]";
            if (!(item instanceof MappingNode step)) {
                throw error(item, key, "expected a step (one of " + String.join(", ", STEP_WORDS)
                    + ") such as 'filter: data.value > 0', got " + kindOf(item));
            }
            List<NodeTuple> entries = entries(step, key + ".");
            if (entries.size() != 1) {
                throw error(item, key, "a step has exactly one of " + String.join(", ", STEP_WORDS) + ", got "
                    + entries.size() + " keys; start a new step with '-'");
            }
            NodeTuple t = entries.get(0);
            String word = ((ScalarNode) t.getKeyNode()).getValue();
            readStep(key + "." + word, word, t);
        }
    }

    private void readStep(String key, String word, NodeTuple t) {
        Node value = t.getValueNode();
        switch (word) {
            case "filter", "drop" -> {
                Pipeline.Kind kind = word.equals("filter") ? Pipeline.Kind.FILTER : Pipeline.Kind.DROP;
                String condition = scalar(value, key, "a condition such as data.value > 0");
                steps.add(new Declared.Step(new Pipeline.Step(kind, condition, null), key, at(value)));
            }
            case "set", "rename" -> {
                boolean set = word.equals("set");
                String example = set ? "'normalized: data.value / 100'" : "'message: msg'";
                if (!(value instanceof MappingNode map)) {
                    throw error(value, key, "expected members and " + (set ? "expressions" : "new names")
                        + " such as " + example + ", got " + kindOf(value));
                }
                for (NodeTuple e : entries(map, key + ".")) {
                    String member = ((ScalarNode) e.getKeyNode()).getValue();
                    String entryKey = key + "." + member;
                    String text = scalar(e.getValueNode(), entryKey, set ? "an expression" : "a member name");
                    Pipeline.Kind kind = set ? Pipeline.Kind.SET : Pipeline.Kind.RENAME;
                    steps.add(new Declared.Step(new Pipeline.Step(kind, member, text), entryKey, at(e.getValueNode())));
                }
            }
            case "remove" -> {
                List<Node> items = value instanceof SequenceNode seq ? seq.getValue() : List.of(value);
                for (Node item : items) {
                    String member = scalar(item, key, "a member name or a list of them");
                    steps.add(new Declared.Step(new Pipeline.Step(Pipeline.Kind.REMOVE, member, null), key, at(item)));
                }
            }
            default -> throw error(t.getKeyNode(), key, "unknown step" + suggest(word, STEP_WORDS)
                + "; allowed: " + String.join(", ", STEP_WORDS));
        }
    }

    private void readSinks(Node node) {
        sinks = new ArrayList<>();
        if (isNull(node)) {
            return;
        }
        if (!(node instanceof SequenceNode seq)) {
            throw error(node, "sinks", "expected a list of sinks such as '- type: console', got " + kindOf(node));
        }
        String types = String.join(", ", SinkCatalog.types());
        Map<String, Origin> names = new HashMap<>();
        int index = 0;
        for (Node item : seq.getValue()) {
            String key = "sinks[" + index++ + "]";
            Node typeNode = item;
            List<NodeTuple> given = List.of();
            if (item instanceof MappingNode map) {
                given = entries(map, key + ".");
                typeNode = null;
                for (NodeTuple t : given) {
                    if (((ScalarNode) t.getKeyNode()).getValue().equals("type")) {
                        typeNode = t.getValueNode();
                    }
                }
                if (typeNode == null) {
                    throw error(item, key, "a sink needs a type; allowed: " + types);
                }
            }
            String typeName = scalar(typeNode, key + ".type", "a sink type (" + types + ")");
            SinkCatalog.Type type = SinkCatalog.type(typeName);
            if (type == null) {
                throw error(typeNode, key + ".type", "unknown sink type '" + typeName + "'"
                    + suggest(typeName, SinkCatalog.types()) + "; allowed: " + types);
            }
            sinks.add(readSink(type, key, typeNode, item, given, names));
        }
    }

    /** One sink's settings: each known to its type, each read by its setting's rules; the required ones present. */
    private Declared.Sink readSink(SinkCatalog.Type type, String key, Node typeNode, Node item, List<NodeTuple> given,
                                   Map<String, Origin> names) {
        Map<String, Object> values = new LinkedHashMap<>();
        Map<String, Origin> origins = new LinkedHashMap<>();
        List<String> allowed = new ArrayList<>();
        SinkCatalog.settings(type).forEach(s -> allowed.add(s.key()));
        for (NodeTuple t : given) {
            String name = ((ScalarNode) t.getKeyNode()).getValue();
            if (name.equals("type")) {
                continue;
            }
            SinkSetting<?> setting = SinkCatalog.setting(type, name);
            if (setting == null) {
                throw error(t.getKeyNode(), key + "." + name, "unknown setting of a " + type.name() + " sink"
                    + suggest(name, allowed) + "; allowed: " + String.join(", ", allowed));
            }
            if (setting.type().isMapping()) {
                values.put(name, texts(t.getValueNode(), key + "." + name, setting.type().describe()));
            } else {
                String text = scalar(t.getValueNode(), key + "." + name, setting.type().describe());
                try {
                    values.put(name, setting.type().parse(text));
                } catch (IllegalArgumentException e) {
                    throw error(t.getValueNode(), key + "." + name, e.getMessage());
                }
            }
            origins.put(name, at(t.getValueNode()));
        }
        for (SinkSetting<?> s : type.settings()) {
            if (!values.containsKey(s.key())) {
                if (s.required()) {
                    throw error(item, key + "." + s.key(), "required for a " + type.name() + " sink: " + s.description());
                }
                values.put(s.key(), s.defaultValue());
            }
        }
        String name = (String) values.remove("name");
        if (name == null) {
            long same = sinks.stream().filter(d -> d.spec().type().equals(type.name())).count();
            name = same == 0 ? type.name() : type.name() + "-" + (same + 1);
        }
        Origin first = names.putIfAbsent(name, origins.getOrDefault("name", at(typeNode)));
        if (first != null) {
            throw error(item, key + ".name", "'" + name + "' names another sink too (line " + first.line()
                + "); give each sink its own name");
        }
        SinkSpec spec = new SinkSpec(type.name(), name, values);
        try {
            SinkTypes.check(spec);
        } catch (IllegalArgumentException e) {
            throw error(item, key, e.getMessage());
        }
        return new Declared.Sink(spec, key, at(typeNode), origins);
    }

    /** A mapping of names to scalar texts (empty for no value), each name once. */
    private Map<String, String> texts(Node node, String key, String expected) {
        Map<String, String> result = new LinkedHashMap<>();
        if (isNull(node)) {
            return result;
        }
        if (!(node instanceof MappingNode map)) {
            throw error(node, key, "expected " + expected + ", got " + kindOf(node));
        }
        for (NodeTuple t : entries(map, key + ".")) {
            String name = ((ScalarNode) t.getKeyNode()).getValue();
            result.put(name, scalar(t.getValueNode(), key + "." + name, "a value"));
        }
        return result;
    }

    /** The entries of a mapping, with scalar keys, each key once. */
    private List<NodeTuple> entries(MappingNode map, String prefix) {
        Map<String, Node> seen = new HashMap<>();
        for (NodeTuple t : map.getValue()) {
            if (!(t.getKeyNode() instanceof ScalarNode k)) {
                throw error(t.getKeyNode(), prefix.isEmpty() ? "key" : prefix + "key", "keys must be plain names, got "
                    + kindOf(t.getKeyNode()));
            }
            Node first = seen.putIfAbsent(k.getValue(), k);
            if (first != null) {
                throw error(k, prefix + k.getValue(), "set twice (first at line " + at(first).line() + ")");
            }
        }
        return map.getValue();
    }

    /** The text of a scalar value; anything else is a mistake that names what was expected. */
    private String scalar(Node node, String key, String expected) {
        if (!(node instanceof ScalarNode s)) {
            throw error(node, key, "expected " + expected + ", got " + kindOf(node));
        }
        String tag = s.getTag().getValue();
        if (!tag.startsWith(Tag.PREFIX)) {
            String text = s.getValue().isEmpty() ? tag : tag + " " + s.getValue();
            throw error(node, key, "YAML reads a value that starts with ! as a tag; quote it: '" + text + "'");
        }
        if (s.getTag().equals(Tag.NULL)) {
            throw error(node, key, "no value; expected " + expected);
        }
        return s.getValue();
    }

    private static boolean isNull(Node node) {
        return node instanceof ScalarNode s && s.getTag().equals(Tag.NULL);
    }

    private static String kindOf(Node node) {
        if (node instanceof MappingNode) {
            return "a mapping";
        }
        if (node instanceof SequenceNode) {
            return "a list";
        }
        String v = ((ScalarNode) node).getValue();
        return "'" + v + "'";
    }

    /** "; did you mean X?" when a known word is within two edits, else "". */
    static String suggest(String word, List<String> known) {
        String best = null;
        int bestDistance = 3;
        for (String k : known) {
            int d = distance(word.toLowerCase(java.util.Locale.ROOT), k.toLowerCase(java.util.Locale.ROOT));
            if (d < bestDistance) {
                best = k;
                bestDistance = d;
            }
        }
        return best == null ? "" : "; did you mean " + best + "?";
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}

package io.streamprocessor.config;

import io.streamprocessor.config.pipeline.Pipeline;
import io.streamprocessor.config.pipeline.SinkSpec;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Writes the effective configuration as loadable YAML with the origin of each value as a comment. */
final class ConfigPrinter {
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.\\-]*");
    private static final int COMMENT_COLUMN = 44;

    private ConfigPrinter() {
    }

    static String print(LoadedConfig config, List<Declared.Step> steps, List<Declared.Sink> sinks) {
        StringBuilder out = new StringBuilder();
        out.append("# stream-processor: effective configuration")
            .append(config.file().map(f -> " (file " + f + ")").orElse(" (no file)"))
            .append("\n# each value is followed by where it came from; precedence: flag > environment > file > default\n");
        Settings s = config.settings();
        String section = null;
        for (Option<?> o : Options.ALL) {
            if (!o.section().equals(section)) {
                section = o.section();
                out.append(section).append(":\n");
            }
            line(out, "  " + o.name() + ": " + quote(s.text(o)), s.origin(o).toString());
        }
        if (steps.isEmpty()) {
            line(out, "pipeline: []", "default: no steps");
        } else {
            out.append("pipeline:\n");
            for (Declared.Step d : steps) {
                Pipeline.Step st = d.step();
                String text = switch (st.kind()) {
                    case FILTER, DROP -> st.kind().word() + ": " + quoteAlways(st.argument());
                    case REMOVE -> "remove: " + quote(st.argument());
                    case SET -> "set: { " + quote(st.argument()) + ": " + quoteAlways(st.expression()) + " }";
                    case RENAME -> "rename: { " + quote(st.argument()) + ": " + quote(st.expression()) + " }";
                };
                line(out, "  - " + text, d.origin().toString());
            }
        }
        if (sinks.isEmpty()) {
            line(out, "sinks: []", "default: no sinks");
        } else {
            out.append("sinks:\n");
            for (Declared.Sink k : sinks) {
                SinkSpec spec = k.spec();
                line(out, "  - type: " + spec.type(), k.origin().toString());
                line(out, "    name: " + quote(spec.name()), k.settingOrigins().getOrDefault("name", Origin.DEFAULT).toString());
                SinkCatalog.Type type = SinkCatalog.type(spec.type());
                for (SinkSetting<?> setting : type.settings()) {
                    String origin = k.settingOrigins().getOrDefault(setting.key(), Origin.DEFAULT).toString();
                    if (setting.type().isMapping()) {
                        Map<String, String> map = spec.get(setting.key());
                        line(out, "    " + setting.key() + ":" + (map.isEmpty() ? " {}" : ""), origin);
                        map.forEach((name, value) -> line(out, "      " + quote(name) + ": " + quoteAlways(value), origin));
                    } else {
                        line(out, "    " + setting.key() + ": " + quote(format(setting, spec.get(setting.key()))), origin);
                    }
                }
            }
        }
        return out.toString();
    }

    @SuppressWarnings("unchecked")
    private static <T> String format(SinkSetting<T> setting, Object value) {
        return setting.type().format((T) value);
    }

    private static void line(StringBuilder out, String text, String origin) {
        out.append(text);
        int pad = Math.max(1, COMMENT_COLUMN - text.length());
        out.append(" ".repeat(pad)).append("# ").append(origin).append('\n');
    }

    static String quote(String text) {
        if (PLAIN.matcher(text).matches() && !isYamlWord(text)) {
            return text;
        }
        return quoteAlways(text);
    }

    private static boolean isYamlWord(String text) {
        return switch (text.toLowerCase(java.util.Locale.ROOT)) {
            case "true", "false", "null", "yes", "no", "on", "off", "~" -> true;
            default -> false;
        };
    }

    static String quoteAlways(String text) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case '\r' -> sb.append("\\r");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}

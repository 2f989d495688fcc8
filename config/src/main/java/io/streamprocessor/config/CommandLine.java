package io.streamprocessor.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The command-line flags, split into meta flags and raw setting values. */
final class CommandLine {
    boolean help;
    boolean version;
    boolean printConfig;
    Declared.Raw config;
    Declared.Raw sinks;
    final Map<Option<?>, Declared.Raw> values = new LinkedHashMap<>();

    static CommandLine parse(String[] args) {
        CommandLine c = new CommandLine();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h")) {
                c.help = true;
                return c;
            }
            if (arg.equals("--version")) {
                c.version = true;
                return c;
            }
            if (arg.equals("--print-config")) {
                c.printConfig = true;
                continue;
            }
            if (!arg.startsWith("--")) {
                throw new ConfigException("unexpected argument '" + arg + "'; options start with -- (--help lists them)");
            }
            String flag = arg;
            String value = null;
            int eq = arg.indexOf('=');
            if (eq > 0) {
                flag = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            }
            Option<?> option = lookup(flag);
            boolean meta = flag.equals("--config") || flag.equals("--sinks");
            if (option == null && !meta) {
                throw new ConfigException("unknown option " + flag + YamlSource.suggest(flag, flags())
                    + " (--help lists every option)");
            }
            if (value == null) {
                if (i + 1 >= args.length) {
                    throw new ConfigException(flag + " needs a value" + (option == null ? ""
                        : ": " + option.type().describe()));
                }
                value = args[++i];
            }
            Declared.Raw raw = new Declared.Raw(value, Origin.flag(flag));
            switch (flag) {
                case "--config" -> c.config = raw;
                case "--sinks" -> c.sinks = raw;
                default -> c.values.put(option, raw);
            }
        }
        return c;
    }

    private static Option<?> lookup(String flag) {
        for (Option<?> o : Options.ALL) {
            if (flag.equals(o.flag()) || flag.equals(o.shortFlag())) {
                return o;
            }
        }
        return null;
    }

    private static List<String> flags() {
        List<String> all = new ArrayList<>(List.of("--config", "--sinks", "--print-config", "--help", "--version"));
        for (Option<?> o : Options.ALL) {
            all.add(o.flag());
            if (o.shortFlag() != null) {
                all.add(o.shortFlag());
            }
        }
        return all;
    }
}

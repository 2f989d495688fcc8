package io.streamprocessor.config;


/** The text of {@code --help}, generated from {@link Options} so it lists every option. */
final class Help {
    private Help() {
    }

    static String text() {
        StringBuilder out = new StringBuilder();
        out.append("""
            Usage: stream-processor [--config FILE] [--print-config] [--KEY VALUE | --KEY=VALUE ...]
                   stream-processor --help | --version

            Every setting has a key (server.port), an environment variable (SP_SERVER_PORT: SP_, then
            the key in capitals with dots and dashes as underscores) and a flag (--server.port).
            Precedence, highest first: flags, environment, the YAML file, the defaults shown here.
            Durations take a unit (250ms, 10s, 5m, 1h, 1d); sizes may (16MiB, 64KiB, 1GB).

              --config FILE         YAML configuration file (or SP_CONFIG); see examples/
              --print-config        print the effective configuration and where each value came from, then exit
              --sinks LIST          sinks without settings, comma-separated (or SP_SINKS): console, metrics, or none
              --help, -h            this text
              --version             print the version, then exit
            """);
        String section = null;
        for (Option<?> o : Options.ALL) {
            if (!o.section().equals(section)) {
                section = o.section();
                out.append('\n').append(section).append(":\n");
            }
            String flag = o.flag() + (o.shortFlag() != null ? ", " + o.shortFlag() : "");
            out.append("  ").append(flag).append('\n');
            out.append("      ").append(o.description()).append('\n');
            out.append("      default ").append(o.defaultText()).append(" · ").append(o.environmentVariable())
                .append(" · ").append(o.type().describe()).append('\n');
        }
        out.append("""

            In the file, besides the sections above:
              pipeline:                      ordered steps, run on every valid event
                - filter: data.value > 0     keep events for which the condition holds
                - drop: data.level == "debug"        drop events for which it holds
                - set: { normalized: data.value / 100 }   set members of data to expressions
                - rename: { msg: message }   move a member of data
                - remove: [internal]         delete members of data
              sinks:                         where processed events go; one entry per sink, its type and
                - type: console              settings (below); a sink's name defaults to its type
                  sample-rate: 0.01
            SINK_TYPES
            Expressions: type, source, timestamp, receivedAt, data.<member>; numbers, "strings",
            true, false, null; + - * / %; == != < <= > >=; && || !; c ? a : b; x in [..];
            has(data.x), abs, floor, ceil, round, min, max; s.startsWith(..), endsWith, contains.
            A comparison with a missing member, null or a value of the wrong type is false.
            Quote an expression in YAML when it contains ': ' or starts with !, " or '.

            Standard output carries only data (the console sink's JSON lines); the server's own messages,
            such as "listening on", go to standard error. Variables starting with SP_ that are not
            settings are reported and ignored.
            SIGTERM or Ctrl-C drains: requests in flight are answered, then the process exits 0.
            """.replace("SINK_TYPES\n", sinkTypes()));
        return out.toString();
    }

    /** Every sink type and its settings, with their defaults. */
    private static String sinkTypes() {
        StringBuilder out = new StringBuilder("\nSink types and their settings (name: every type):\n");
        for (String name : SinkCatalog.types()) {
            SinkCatalog.Type t = SinkCatalog.type(name);
            out.append("  ").append(name).append(": ").append(t.description()).append('\n');
            for (SinkSetting<?> s : t.settings()) {
                out.append("      ").append(s.key()).append(" (").append(s.defaultText()).append("): ")
                    .append(s.description()).append('\n');
            }
        }
        return out.append('\n').toString();
    }
}

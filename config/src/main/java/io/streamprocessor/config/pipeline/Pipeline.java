package io.streamprocessor.config.pipeline;

import io.streamprocessor.config.expr.ExpressionException;
import io.streamprocessor.config.SinkCatalog;
import io.streamprocessor.config.expr.Expressions;
import io.streamprocessor.engine.event.FieldPath;
import io.streamprocessor.engine.pipeline.EventFilter;
import io.streamprocessor.engine.pipeline.EventTransform;
import io.streamprocessor.engine.pipeline.ProcessorSettings;

import java.util.ArrayList;
import java.util.List;

/**
 * A declared pipeline: an ordered list of steps (filter, drop, set, rename, remove) and a list of
 * sink types, the same whether it comes from the configuration file or from Java:
 *
 * <pre>{@code
 * Pipeline.builder().filter("data.value > 0").set("normalized", "data.value / 100").sink("console")
 *     .build().applyTo(StreamProcessor.builder());
 * }</pre>
 *
 * Steps are kept as text and compiled by {@link #build()} (so mistakes surface once, at
 * startup) and again by each {@link #applyTo}, which gives every processor its own evaluators.
 * Immutable.
 */
public final class Pipeline {
    /** What a step does. */
    public enum Kind {
        /** Keeps the events for which the condition holds. */
        FILTER,
        /** Drops the events for which the condition holds. */
        DROP,
        /** Sets a member of data to the value of an expression. */
        SET,
        /** Moves a member of data to another name. */
        RENAME,
        /** Deletes a member of data. */
        REMOVE;

        /** The word used in the file: {@code filter}, {@code drop}, ... */
        public String word() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * One step. {@code argument} is the condition (filter, drop), the target member (set), the
     * member to move (rename) or to delete (remove); {@code expression} the value of a set, the new
     * name of a rename, and null otherwise.
     */
    public record Step(Kind kind, String argument, String expression) {
        boolean decides() {
            return kind == Kind.FILTER || kind == Kind.DROP;
        }

        /** Compiles the step: an {@link EventFilter} for filter and drop, an {@link EventTransform} otherwise. */
        Object compile() {
            return switch (kind) {
                case FILTER -> Expressions.condition(argument);
                case DROP -> {
                    EventFilter condition = Expressions.condition(argument);
                    yield (EventFilter) e -> !condition.test(e);
                }
                case SET -> Expressions.assignment(argument, expression);
                case RENAME -> {
                    FieldPath from = Expressions.target(argument);
                    FieldPath to = Expressions.target(expression);
                    yield (EventTransform) e -> e.rename(from, to);
                }
                case REMOVE -> {
                    FieldPath path = Expressions.target(argument);
                    yield (EventTransform) e -> e.remove(path);
                }
            };
        }

        /** Checks the step compiles. @throws ExpressionException when it does not */
        public void check() {
            compile();
        }

        @Override
        public String toString() {
            return switch (kind) {
                case FILTER, DROP, REMOVE -> kind.word() + ": " + argument;
                case SET -> "set: " + argument + " = " + expression;
                case RENAME -> "rename: " + argument + " -> " + expression;
            };
        }
    }

    private static final Pipeline EMPTY = new Pipeline(List.of(), List.of());

    private final List<Step> steps;
    private final List<SinkSpec> sinks;

    private Pipeline(List<Step> steps, List<SinkSpec> sinks) {
        this.steps = List.copyOf(steps);
        this.sinks = List.copyOf(sinks);
    }

    public static Pipeline empty() {
        return EMPTY;
    }

    public static Builder builder() {
        return new Builder();
    }

    public List<Step> steps() {
        return steps;
    }

    public List<SinkSpec> sinks() {
        return sinks;
    }

    /**
     * Adds the steps and sinks to a processor builder, each compiled or made afresh. Filters and
     * drops that come before the first set, rename or remove become the processor's filters; from
     * the first transform on, every step runs in its declared order in the transform stage (a
     * filter or drop there as a step that may drop), so events dropped there still count as filtered.
     */
    public ProcessorSettings.Builder applyTo(ProcessorSettings.Builder builder) {
        applyStepsTo(builder);
        for (SinkSpec sink : sinks) {
            builder.addSink(SinkTypes.create(sink));
        }
        return builder;
    }

    /** As {@link #applyTo}, the steps only: for checking a configuration without making its sinks. */
    public ProcessorSettings.Builder applyStepsTo(ProcessorSettings.Builder builder) {
        int firstTransform = 0;
        while (firstTransform < steps.size() && steps.get(firstTransform).decides()) {
            builder.addFilter((EventFilter) steps.get(firstTransform).compile());
            firstTransform++;
        }
        // From the first transform on, steps run in the engine's transform stage in their declared
        // order; a filter or drop there is a step that may drop what the transforms before it made.
        for (Step s : steps.subList(firstTransform, steps.size())) {
            Object compiled = s.compile();
            if (compiled instanceof EventFilter f) {
                builder.addStep(f::test);
            } else {
                builder.addTransform((EventTransform) compiled);
            }
        }
        return builder;
    }

    @Override
    public String toString() {
        return "Pipeline" + steps + " sinks " + sinks;
    }

    /** Builds a {@link Pipeline}; not thread-safe. */
    public static final class Builder {
        private final List<Step> steps = new ArrayList<>();
        private final List<SinkSpec> sinks = new ArrayList<>();

        private Builder() {
        }

        /** Keeps events for which {@code condition} holds, e.g. {@code data.value > 0}. */
        public Builder filter(String condition) {
            return step(new Step(Kind.FILTER, condition, null));
        }

        /** Drops events for which {@code condition} holds, e.g. {@code data.level == "debug"}. */
        public Builder drop(String condition) {
            return step(new Step(Kind.DROP, condition, null));
        }

        /** Sets member {@code target} of data, e.g. {@code set("normalized", "data.value / 100")}. */
        public Builder set(String target, String expression) {
            return step(new Step(Kind.SET, target, expression));
        }

        public Builder rename(String from, String to) {
            return step(new Step(Kind.RENAME, from, to));
        }

        public Builder remove(String member) {
            return step(new Step(Kind.REMOVE, member, null));
        }

        public Builder step(Step step) {
            steps.add(step);
            return this;
        }

        /**
         * Adds a sink of a type that needs no settings ({@code console}, {@code metrics}), with its
         * defaults, named after its type ({@code console-2} for a second one).
         *
         * @throws IllegalArgumentException for an unknown type, or one that needs settings
         */
        public Builder sink(String type) {
            long same = sinks.stream().filter(s -> s.type().equals(type)).count();
            SinkSpec spec = SinkCatalog.defaults(type, same == 0 ? type : type + "-" + (same + 1));
            if (spec == null) {
                throw new IllegalArgumentException("sink type " + type + " needs settings; declare it with them");
            }
            return sink(spec);
        }

        /**
         * Adds a declared sink.
         *
         * @throws IllegalArgumentException when another sink has its name
         */
        public Builder sink(SinkSpec spec) {
            for (SinkSpec s : sinks) {
                if (s.name().equals(spec.name())) {
                    throw new IllegalArgumentException("two sinks named '" + spec.name() + "'");
                }
            }
            sinks.add(spec);
            return this;
        }

        /**
         * Checks every step compiles and returns the pipeline.
         *
         * @throws ExpressionException naming the first step that does not compile
         */
        public Pipeline build() {
            for (Step s : steps) {
                s.check();
            }
            return new Pipeline(steps, sinks);
        }
    }
}

package io.streamprocessor.config.expr;

/**
 * An expression that does not parse or does not type-check. The message says what is wrong and
 * what would be accepted; {@link #position()} is the 1-based character where the problem starts.
 * Thrown only at compile time, never while evaluating.
 */
public final class ExpressionException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int position;

    public ExpressionException(String message, int position) {
        super(message, null, false, false);
        this.position = position;
    }

    /** 1-based character of the expression text where the problem starts; 0 when it is about a member name. */
    public int position() {
        return position;
    }
}

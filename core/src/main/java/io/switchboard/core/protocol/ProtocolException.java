package io.switchboard.core.protocol;

/**
 * A frame that breaks the protocol. The message names the problem and the field, for the {@code error} frame sent
 * back and for logs.
 *
 * <p>It records no stack trace and no suppressed exceptions: it is thrown for bad input, which a hostile or buggy
 * client controls, so it must cost no more than building its message.
 */
public final class ProtocolException extends RuntimeException {
    private final ErrorCode code;

    public ProtocolException(final String message) {
        this(ErrorCode.BAD_FRAME, message);
    }

    public ProtocolException(final ErrorCode code, final String message) {
        super(message, null, false, false);
        this.code = code;
    }

    /**
     * The error code to answer with: {@link ErrorCode#BAD_FRAME} for every decode failure but a {@code hello} without a
     * token or with one that cannot be a token, which gets {@link ErrorCode#AUTH} as a wrong token does.
     */
    public ErrorCode code() {
        return code;
    }

    /**
     * A {@code BAD_FRAME} about one field: {@code field 'body' of env[2]: invalid base64}. {@code parent} names the
     * enclosing object (null at the top level); {@code index} is its position in an array, or -1.
     */
    static ProtocolException badField(final String field, final String parent, final int index, final String problem) {
        return new ProtocolException(describeField(field, parent, index) + ": " + problem);
    }

    static String describeField(final String field, final String parent, final int index) {
        final StringBuilder text =
                new StringBuilder(48).append("field '").append(field).append('\'');
        if (parent != null) {
            text.append(" of ");
            if (index >= 0) {
                text.append(parent).append('[').append(index).append(']');
            } else {
                text.append('\'').append(parent).append('\'');
            }
        }
        return text.toString();
    }
}

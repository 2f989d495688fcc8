package io.streamprocessor.transport.http;

import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * Stands in for a request that was refused before it was fully read (too large, no room to
 * buffer it, or shed under overload), so its error response still takes its turn among
 * pipelined responses.
 *
 * @param keepAlive whether the connection can go on after the response
 * @param backOff   whether the connection is left unread for the {@code Retry-After} time, so that
 *                  a client that sends again at once does not make the server read what it sheds
 * @param bodyFollows whether the request's body is still to be read (and dropped); a connection
 *                  that ends with this answer then closes only once it has been, see {@link #BODY_SKIPPED}
 */
record RejectedRequest(HttpResponseStatus status, String message, boolean keepAlive, boolean backOff, boolean bodyFollows) {
    /**
     * The user event that follows a {@code bodyFollows} rejection once the last of its body has
     * been read and dropped. Closing before then, with the client's bytes unread, would reset the
     * connection, and a client that reads its answer only after sending the whole body (most do)
     * would lose the answer to the reset.
     */
    static final Object BODY_SKIPPED = new Object() {
        @Override
        public String toString() {
            return "BODY_SKIPPED";
        }
    };

    RejectedRequest(HttpResponseStatus status, String message, boolean keepAlive) {
        this(status, message, keepAlive, false, false);
    }
}

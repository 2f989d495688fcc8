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
 */
record RejectedRequest(HttpResponseStatus status, String message, boolean keepAlive, boolean backOff) {
    RejectedRequest(HttpResponseStatus status, String message, boolean keepAlive) {
        this(status, message, keepAlive, false);
    }
}

package io.streamprocessor.transport.http;

import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * Stands in for a request that was refused before it was fully read (too large, or no room
 * to buffer it), so its error response still takes its turn among pipelined responses.
 *
 * @param keepAlive whether the connection can go on after the response
 */
record RejectedRequest(HttpResponseStatus status, String message, boolean keepAlive) {
}

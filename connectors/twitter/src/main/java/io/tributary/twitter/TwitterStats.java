package io.tributary.twitter;

/**
 * What a Twitter / X stream's receiver saw since the context started (over all its restarts and
 * reconnections). Fields that do not apply to a stream's API stay 0.
 *
 * @param stored statuses (v1.1) or tweets (v2) stored
 * @param malformed lines dropped because they are not valid UTF-8, not JSON, or JSON that is not a
 *     status / tweet (v1.1: also statuses twitter4j could not read)
 * @param oversized lines dropped for being longer than the configured maximum (v2)
 * @param deletionNotices v1.1 deletion notices (not stored)
 * @param limitNotices v1.1 track-limitation notices: the filter matched more than the stream delivers
 * @param stallWarnings v1.1 stall warnings from the server (the client reads too slowly)
 * @param streamErrors v2 error objects sent in the stream (e.g. an operational disconnect)
 * @param connects connections established
 * @param disconnects connections lost (ended by the server, broken, or dropped as stalled)
 * @param stalls connections dropped because nothing, not even a keep-alive, arrived within the stall timeout (v2)
 * @param rateLimited responses with HTTP 429 (v2), after which the receiver waited as asked
 */
public record TwitterStats(
    long stored,
    long malformed,
    long oversized,
    long deletionNotices,
    long limitNotices,
    long stallWarnings,
    long streamErrors,
    long connects,
    long disconnects,
    long stalls,
    long rateLimited) {

  /** Lines dropped as bad input: malformed or oversized. */
  public long badInput() {
    return malformed + oversized;
  }
}

package io.tributary.zeromq;

/**
 * What a ZeroMQ stream's receiver saw since the context started (over all its restarts).
 *
 * @param messagesReceived multipart messages read from the socket, good or bad
 * @param recordsStored records the converter made from them and the receiver stored
 * @param oversizedMessages messages dropped for being larger than {@code
 *     streaming.zeromq.maxMessageBytes} (all frames together)
 * @param failedConversions messages dropped because the converter threw (for text streams: bytes
 *     that are not valid UTF-8)
 * @param connects connections made (connect mode) or publishers accepted (bind mode)
 * @param disconnects connections lost; ZeroMQ reconnects by itself
 */
public record ZeroMQStats(
    long messagesReceived,
    long recordsStored,
    long oversizedMessages,
    long failedConversions,
    long connects,
    long disconnects) {

  /** Messages dropped as bad input: oversized or not convertible. */
  public long badMessages() {
    return oversizedMessages + failedConversions;
  }
}

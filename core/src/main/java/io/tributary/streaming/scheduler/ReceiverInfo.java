package io.tributary.streaming.scheduler;

/**
 * The state of one receiver: its stream id and name, whether it is running, where, and its last
 * reported error ({@code lastErrorTime} is -1 and the messages empty while it has none).
 */
public record ReceiverInfo(
    int streamId,
    String name,
    boolean active,
    String location,
    String executorId,
    String lastErrorMessage,
    String lastError,
    long lastErrorTime) {}

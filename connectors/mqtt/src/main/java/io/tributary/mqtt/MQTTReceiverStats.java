package io.tributary.mqtt;

/**
 * What an MQTT receiver did since its stream was defined (over all its connections), from
 * {@link MQTTReceiver#stats()}.
 *
 * @param received messages delivered by the broker, including bad ones and redeliveries
 * @param stored messages stored as records (QoS 0 ones once buffered)
 * @param acknowledged QoS 1/2 messages acknowledged to the broker: stored ones once their block was
 *     stored, oversized or undecodable ones at once
 * @param duplicates messages the broker marked as redelivered (DUP flag): un-acknowledged ones
 *     sent again on reconnect (MQTT 3 only: Paho's MQTT 5 client does not pass the flag on)
 * @param discarded QoS 1/2 messages dropped unacknowledged because the connection broke or the
 *     receiver stopped before their block was stored: the broker delivers them again
 * @param oversized messages larger than {@link MQTTOptions#maxPayloadBytes()}: acknowledged, not stored
 * @param undecodable messages whose payload is not valid UTF-8 (text streams): acknowledged, not stored
 * @param connections successful connects
 * @param connectFailures failed connects (refused, unreachable, bad credentials, TLS)
 * @param connectionsLost established connections that broke
 * @param ackFailures acknowledgements that could not be sent (the broker delivers those messages again)
 */
public record MQTTReceiverStats(
    long received,
    long stored,
    long acknowledged,
    long duplicates,
    long discarded,
    long oversized,
    long undecodable,
    long connections,
    long connectFailures,
    long connectionsLost,
    long ackFailures) {}

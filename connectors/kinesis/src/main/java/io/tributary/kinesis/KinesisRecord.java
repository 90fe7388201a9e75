package io.tributary.kinesis;

import java.io.Serializable;
import java.time.Instant;

/**
 * One Kinesis record as a message handler sees it: the (de-aggregated) data, its partition key,
 * sequence number (with the sub-sequence number of a record the KPL aggregated, 0 otherwise),
 * the shard it came from and its approximate arrival time. The data array is the handler's own.
 */
public record KinesisRecord(
    byte[] data, String partitionKey, String sequenceNumber, long subSequenceNumber, String shardId,
    Instant approximateArrivalTimestamp) implements Serializable {

  @Override
  public String toString() {
    return "KinesisRecord[" + shardId + " " + sequenceNumber + (subSequenceNumber == 0 ? "" : "/" + subSequenceNumber)
        + ", key " + partitionKey + ", " + data.length + " bytes, arrived " + approximateArrivalTimestamp + "]";
  }
}

package io.tributary.spark;

import java.io.Serializable;

/** What one map task of a Tributary shuffle wrote for one reduce partition: encoded pairs. */
record MapBucket(int mapPartition, byte[] pairs) implements Serializable {}

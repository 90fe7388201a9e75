package bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import io.tributary.StorageLevel;
import io.tributary.Durations;
import io.tributary.StreamingConf;
import io.tributary.streaming.StreamingContext;
import io.tributary.streaming.receiver.Receiver;
import io.tributary.streaming.scheduler.StreamingListener;
import io.tributary.streaming.scheduler.StreamingListenerBatchCompleted;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * The overload of issue 12: a receiver storing 100-byte strings with {@code store(record)} as fast
 * as it can into a slow pipeline (each batch sleeps 500 ms on top of its work), default settings
 * otherwise. Prints every 10 s the heap after GC (the largest after any GC in that window), the
 * batches done, the last scheduling delay and the received data held ({@code StreamingContext.bufferedBytes()}).
 * Usage: {@code java -Xmx512m -cp benchmarks/target/tributary-benchmarks.jar bench.Overload on|off SECONDS}.
 */
public final class Overload {
  static final class Flood extends Receiver<String> {
    Flood() {
      super(StorageLevel.MEMORY_ONLY);
    }

    @Override
    public void onStart() {
      Thread t = new Thread(() -> {
        String base = "r".repeat(90);
        try {
          for (long i = 0; !isStopped(); i++) {
            store(base + i % 10_000_000_000L);
          }
        } catch (IllegalStateException stopped) {
          // stopped while storing
        }
      }, "flood");
      t.setDaemon(true);
      t.start();
    }

    @Override
    public void onStop() {}
  }

  public static void main(String[] args) throws Exception {
    boolean backpressure = args[0].equals("on");
    long seconds = Long.parseLong(args[1]);
    AtomicLong afterGc = new AtomicLong();
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      ((NotificationEmitter) gc).addNotificationListener((n, hb) -> {
        if (n.getType().equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
          GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
          long used = info.getGcInfo().getMemoryUsageAfterGc().values().stream().mapToLong(MemoryUsage::getUsed).sum();
          afterGc.accumulateAndGet(used, Math::max);
        }
      }, null, null);
    }
    StreamingConf conf = new StreamingConf().setMaster("local[2]")
        .set("streaming.backpressure.enabled", String.valueOf(backpressure));
    StreamingContext ssc = new StreamingContext(conf, Durations.seconds(1));
    AtomicLong batches = new AtomicLong();
    AtomicLong records = new AtomicLong();
    AtomicLong schedDelay = new AtomicLong();
    ssc.addStreamingListener(new StreamingListener() {
      @Override
      public void onBatchCompleted(StreamingListenerBatchCompleted e) {
        batches.incrementAndGet();
        records.addAndGet(e.batchInfo().numRecords());
        schedDelay.set(e.batchInfo().schedulingDelay().orElse(-1L));
      }
    });
    ssc.receiverStream(new Flood()).foreachRDD(rdd -> {
      rdd.map(String::hashCode).count();
      Thread.sleep(500);
    });
    ssc.start();
    long start = System.currentTimeMillis();
    StringBuilder heaps = new StringBuilder();
    while (System.currentTimeMillis() - start < seconds * 1000) {
      Thread.sleep(10_000);
      long heap = afterGc.getAndSet(0) >> 20;
      heaps.append(heaps.length() == 0 ? "" : ",").append(heap);
      System.out.printf("t=%ds heap_after_gc_mb=%d batches=%d records=%d sched_delay_ms=%d held_mb=%d of %d%n",
          (System.currentTimeMillis() - start) / 1000, heap, batches.get(), records.get(), schedDelay.get(),
          ssc.bufferedBytes() >> 20, ssc.maxBufferedBytes() >> 20);
    }
    ssc.stop(false);
    System.out.printf("RESULT overload backpressure=%s seconds=%d batches=%d records=%d heap_after_gc_mb_per_10s=%s%n",
        backpressure, seconds, batches.get(), records.get(), heaps);
  }
}

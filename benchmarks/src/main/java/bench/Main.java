package bench;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import io.tributary.StreamingConf;
import io.tributary.rdd.PairRdd;
import io.tributary.rdd.Rdd;
import java.util.Optional;
import io.tributary.StorageLevel;
import io.tributary.function.Function3;
import io.tributary.Durations;
import io.tributary.State;
import io.tributary.streaming.StateSpec;
import io.tributary.streaming.DStream;
import io.tributary.streaming.MapWithStateDStream;
import io.tributary.streaming.PairDStream;
import io.tributary.streaming.ReceiverInputDStream;
import io.tributary.streaming.StreamingContext;
import io.tributary.Tuple2;

/**
 * The benchmark workloads on Tributary, ported from the Spark Streaming baseline by renaming
 * imports and types. Usage: bench.Main W1|W2|W3U|W3M|W5 [--opts]; W1-LIMIT is {@link SinglePass}.
 * W4 (Kafka) lives in {@link KafkaBench}. See ../shared/benchmarks/spark-baseline/README.md for the exact definitions.
 */
public final class Main {
  // ---- driver-side state (static: never captured by serialized closures / checkpoints) ----
  static final ConcurrentSkipListMap<Long, long[]> OUT = new ConcurrentSkipListMap<>();
  static final AtomicLong TOTAL = new AtomicLong();
  static volatile long doneTime = -1;
  static volatile String failure = null;
  static volatile long target = -1;
  static final ConcurrentSkipListMap<Long, Map<String, Long>> WINDOW_MAPS = new ConcurrentSkipListMap<>();
  static volatile boolean collectWindows = false;
  static final ConcurrentSkipListMap<Long, long[]> HIST = new ConcurrentSkipListMap<>();

  public static void main(String[] argv) throws Exception {
    if (argv.length == 0) {
      System.err.println("usage: bench.Main W1|W1-LIMIT|W2|W3U|W3M|W4|W5 [--lines N] [--vocab V] [--port P] ...");
      System.exit(2);
    }
    String w = argv[0].toUpperCase();
    if (w.equals("W4")) { KafkaBench.main(Arrays.copyOfRange(argv, 1, argv.length)); return; }
    Args a = new Args(argv, 1);
    switch (w) {
      case "W1": w1(a); break;
      case "W2": w2(a); break;
      case "W3U": w3(a, false); break;
      case "W3M": w3(a, true); break;
      case "W5": w5(a); break;
      case "W1-LIMIT": if (!SinglePass.run(a)) failure = "not verified"; break;
      default: throw new IllegalArgumentException("unknown workload " + w);
    }
    System.exit(failure == null ? 0 : 1);
  }

  static StreamingContext context(String name, long batchMs, Args a) {
    // spark.* and tributary.* system properties (-Dspark.x=y) are picked up by new StreamingConf()
    StreamingConf conf = new StreamingConf()
        .setMaster(a.str("master", "local[2]"))
        .setAppName(name);
    return new StreamingContext(conf, Durations.milliseconds(batchMs));
  }

  static String ckptDir(String w) throws IOException {
    Path p = Path.of("/tmp/spark-baseline-ckpt", w + "-" + ProcessHandle.current().pid());
    deleteRec(p.toFile());
    Files.createDirectories(p);
    return p.toString();
  }

  static void deleteRec(File f) {
    File[] ch = f.listFiles();
    if (ch != null) for (File c : ch) deleteRec(c);
    f.delete();
  }

  /** One action over a pair RDD: {number of keys, sum of values, sum(wordHash(key)*value)}. */
  static long[] summarize(PairRdd<String, ? extends Number> rdd) {
    List<long[]> parts = rdd.mapPartitions(it -> {
      long k = 0, s = 0, h = 0;
      while (it.hasNext()) {
        Tuple2<String, ? extends Number> t = it.next();
        long v = t._2().longValue();
        k++;
        s += v;
        h += DataGen.wordHash(t._1()) * v;
      }
      return Collections.singletonList(new long[] {k, s, h}).iterator();
    }).collect();
    long[] r = new long[3];
    for (long[] p : parts) { r[0] += p[0]; r[1] += p[1]; r[2] += p[2]; }
    return r;
  }

  static DStream<String> words(DStream<String> lines) {
    return lines.flatMap(l -> Arrays.asList(l.split(" ")).iterator());
  }

  static Long readGenStart(String statusFile, long waitMs) throws Exception {
    if (statusFile == null) return null;
    long deadline = System.currentTimeMillis() + waitMs;
    File f = new File(statusFile);
    while (!f.exists() && System.currentTimeMillis() < deadline) Thread.sleep(50);
    if (!f.exists()) return null;
    Properties p = new Properties();
    try (var r = Files.newBufferedReader(f.toPath())) { p.load(r); }
    return Long.parseLong(p.getProperty("start_ms"));
  }

  /** Waits for doneTime (set by an output operation) or timeout; returns true if done. */
  static boolean awaitDone(BatchTracker tr, long timeoutS) throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutS * 1000;
    long lastPrint = System.currentTimeMillis();
    while (doneTime < 0 && failure == null && System.currentTimeMillis() < deadline) {
      Thread.sleep(20);
      if (System.currentTimeMillis() - lastPrint > 10_000) {
        lastPrint = System.currentTimeMillis();
        Map.Entry<Long, BatchTracker.Done> last = tr.completed.lastEntry();
        System.err.printf("PROGRESS total=%d target=%d last_batch=%s sched_delay=%s%n", TOTAL.get(), target,
            last == null ? "-" : last.getKey(), last == null ? "-" : last.getValue().schedDelay);
      }
    }
    if (doneTime < 0 && failure == null) failure = "timeout after " + timeoutS + " s (total=" + TOTAL.get() + " target=" + target + ")";
    return failure == null;
  }

  static List<BatchTracker.Done> nonEmpty(List<BatchTracker.Done> l) {
    List<BatchTracker.Done> r = new ArrayList<>();
    for (BatchTracker.Done d : l) if (d.numRecords > 0) r.add(d);
    return r;
  }

  /** Batch times and line counts of all non-empty batches up to lastTime (inclusive). */
  static long[][] dataBatches(BatchTracker tr, long lastTime) {
    List<long[]> l = new ArrayList<>();
    for (Map.Entry<Long, Long> e : tr.submitted.headMap(lastTime, true).entrySet()) {
      if (e.getValue() > 0) l.add(new long[] {e.getKey(), e.getValue()});
    }
    long[] times = new long[l.size()], lines = new long[l.size()];
    for (int i = 0; i < l.size(); i++) { times[i] = l.get(i)[0]; lines[i] = l.get(i)[1]; }
    return new long[][] {times, lines};
  }

  static String common(String w, long n, long first, long batchMs, BatchTracker.Done last, Long genStart,
                       List<BatchTracker.Done> bs) {
    double secs = (last.procEnd - (first - batchMs)) / 1000.0;
    return throughput(w, n, secs) + " " + BatchTracker.metrics(bs) + genSeconds(n, last.procEnd, genStart);
  }

  /** The start of a line-throughput RESULT line: n lines of 10 words in secs seconds. */
  static String throughput(String w, long n, double secs) {
    return String.format("RESULT workload=%s records=%d words=%d seconds=%.2f records_per_s=%.0f words_per_s=%.0f",
        w, n, n * DataGen.WORDS_PER_LINE, secs, n / secs, n * DataGen.WORDS_PER_LINE / secs);
  }

  /** " gen_seconds=.. gen_records_per_s=..": from the generator's start_ms to endMs; "" without a status file. */
  static String genSeconds(long n, long endMs, Long genStart) {
    if (genStart == null) return "";
    double gs = (endMs - genStart) / 1000.0;
    return String.format(" gen_seconds=%.2f gen_records_per_s=%.0f", gs, n / gs);
  }

  // =============================== W1 ===============================
  static void w1(Args a) throws Exception {
    long n = a.lng("lines", 20_000_000L);
    int vocab = a.integer("vocab", 10_000);
    long seed = a.lng("seed", DataGen.DEFAULT_SEED);
    long batchMs = a.lng("batch-ms", 1000);
    target = n * DataGen.WORDS_PER_LINE;
    StreamingContext jssc = context("W1", batchMs, a);
    BatchTracker tr = new BatchTracker();
    jssc.addStreamingListener(tr);
    ReceiverInputDStream<String> lines = jssc.socketTextStream(a.str("host", "127.0.0.1"), a.integer("port", 9999),
        StorageLevel.MEMORY_AND_DISK_SER);
    PairDStream<String, Integer> counts = words(lines).mapToPair(w -> new Tuple2<>(w, 1)).reduceByKey(Integer::sum);
    counts.foreachRDD((rdd, time) -> {
      long[] r = summarize(rdd);
      OUT.put(time.milliseconds(), r);
      long t = TOTAL.addAndGet(r[1]);
      if (t == target && doneTime < 0) doneTime = time.milliseconds(); // first batch that completes the input
      else if (t > target) failure = "sum of counts " + t + " exceeds " + target;
    });
    HeapMonitor hm = new HeapMonitor().start();
    CpuMonitor cpu = new CpuMonitor().start();
    jssc.start();
    boolean ok = awaitDone(tr, a.lng("timeout-s", 900));
    BatchTracker.Done last = ok ? tr.awaitCompleted(doneTime, 30_000) : null;
    hm.stop();
    String cpuSummary = cpu.summary();
    jssc.stop(true, false);
    if (!ok || last == null) { System.out.println("RESULT workload=W1 FAILED " + failure); failure = "x"; return; }
    long first = tr.firstNonEmptyBatch();
    List<BatchTracker.Done> bs = nonEmpty(tr.range(first, doneTime));
    int allBatches = tr.range(first, doneTime).size();
    Long genStart = readGenStart(a.str("gen-status", null), 5000);

    // ---- verification: every batch's (keys, sum, checksum) vs direct recomputation ----
    long[][] db = dataBatches(tr, doneTime);
    long lineSum = Arrays.stream(db[1]).sum();
    String verify = "ok";
    if (lineSum != n) verify = "line_count_mismatch(" + lineSum + ")";
    else {
      long[] hashes = DataGen.vocabHashes(vocab);
      int[][] exp = Verifier.perBatchCounts(n, vocab, seed, db[1]);
      long keysSum = 0;
      for (int b = 0; b < db[0].length; b++) {
        long[] e = Verifier.summarize(exp[b], hashes);
        long[] got = OUT.get(db[0][b]);
        keysSum += e[0];
        if (got == null || got[0] != e[0] || got[1] != e[1] || got[2] != e[2]) {
          verify = "batch_mismatch@" + db[0][b] + " got=" + Arrays.toString(got) + " exp=" + Arrays.toString(e);
          break;
        }
      }
      // empty batches must produce nothing
      for (Map.Entry<Long, long[]> e : OUT.headMap(doneTime, true).entrySet()) {
        if (Arrays.binarySearch(db[0], e.getKey()) < 0 && e.getValue()[1] != 0) verify = "nonempty_output_for_empty_batch";
      }
    }
    long keysAccum = 0;
    for (long[] r : OUT.headMap(doneTime, true).values()) keysAccum += r[0];
    boolean verified = verify.equals("ok") && TOTAL.get() == target;
    System.out.println(common("W1", n, first, batchMs, last, genStart, bs)
        + " batches_incl_empty=" + allBatches + " sum_counts=" + TOTAL.get() + " keys_accumulated=" + keysAccum + " " + hm.summary() + " " + cpuSummary
        + " verified=" + verified + (verified ? "" : " verify_detail=" + verify.replace(' ', '_')));
    if (!verified) failure = verify;
  }

  // =============================== W2 ===============================
  static void w2(Args a) throws Exception {
    long n = a.lng("lines", 20_000_000L);
    int vocab = a.integer("vocab", 10_000);
    long seed = a.lng("seed", DataGen.DEFAULT_SEED);
    long batchMs = a.lng("batch-ms", 1000);
    long windowMs = a.lng("window-ms", 10_000), slideMs = a.lng("slide-ms", 2000);
    collectWindows = a.flag("full-verify") || n <= 2_000_000L;
    target = n * DataGen.WORDS_PER_LINE;
    StreamingContext jssc = context("W2", batchMs, a);
    String ck = ckptDir("W2");
    jssc.checkpoint(ck);
    BatchTracker tr = new BatchTracker();
    jssc.addStreamingListener(tr);
    ReceiverInputDStream<String> lines = jssc.socketTextStream(a.str("host", "127.0.0.1"), a.integer("port", 9999),
        StorageLevel.MEMORY_AND_DISK_SER);
    // No-op output operation on the input stream: Spark posts batch events (with #records) only for batches
    // that have jobs; this makes every 1-s batch visible to the listener. It runs no Spark job.
    lines.foreachRDD((rdd, time) -> { });
    PairDStream<String, Integer> pairs = words(lines).mapToPair(w -> new Tuple2<>(w, 1));
    PairDStream<String, Integer> win = pairs.reduceByKeyAndWindow(Integer::sum, (x, y) -> x - y,
        Durations.milliseconds(windowMs), Durations.milliseconds(slideMs), jssc.rddContext().defaultParallelism(),
        t -> t._2() > 0);
    win.foreachRDD((rdd, time) -> {
      long[] r = summarize(rdd);
      OUT.put(time.milliseconds(), r);
      if (collectWindows) {
        Map<String, Long> m = new HashMap<>();
        for (Tuple2<String, Integer> t : rdd.collect()) m.put(t._1(), (long) t._2());
        WINDOW_MAPS.put(time.milliseconds(), m); // all kept (only used for small N / --full-verify)
      }
    });
    HeapMonitor hm = new HeapMonitor().start();
    CpuMonitor cpu = new CpuMonitor().start();
    jssc.start();
    // done = first window output at/after the batch in which the cumulative #lines reached N
    long deadline = System.currentTimeMillis() + a.lng("timeout-s", 900) * 1000;
    long lastDataBatch = -1, finalWin = -1, lastPrint = System.currentTimeMillis();
    while (System.currentTimeMillis() < deadline) {
      Thread.sleep(20);
      if (System.currentTimeMillis() - lastPrint > 10_000) {
        lastPrint = System.currentTimeMillis();
        System.err.printf("PROGRESS lines=%d submitted_batches=%d completed=%d window_outputs=%d%n", TOTAL.get(),
            tr.submitted.size(), tr.completed.size(), OUT.size());
      }
      if (lastDataBatch < 0) {
        long cum = 0;
        for (Map.Entry<Long, Long> e : tr.submitted.entrySet()) {
          cum += e.getValue();
          if (cum >= n) { lastDataBatch = e.getKey(); break; }
        }
        TOTAL.set(cum);
      }
      if (lastDataBatch >= 0) {
        Long fw = OUT.ceilingKey(lastDataBatch);
        if (fw != null) { finalWin = fw; break; }
      }
    }
    BatchTracker.Done last = finalWin >= 0 ? tr.awaitCompleted(finalWin, 30_000) : null;
    hm.stop();
    String cpuSummary = cpu.summary();
    jssc.stop(true, false);
    deleteRec(new File(ck));
    if (last == null) {
      System.out.println("RESULT workload=W2 FAILED timeout lines_seen=" + TOTAL.get() + " submitted=" + tr.submitted.size()
          + " completed=" + tr.completed.size() + " window_outputs=" + OUT.size());
      failure = "x";
      return;
    }

    doneTime = finalWin;
    long first = tr.firstNonEmptyBatch();
    // batch metrics over the window-producing (slide) batches only: the other 1-s batches run no job
    List<BatchTracker.Done> bs = new ArrayList<>();
    for (BatchTracker.Done d : tr.range(first, finalWin)) if (OUT.containsKey(d.batchTime)) bs.add(d);
    Long genStart = readGenStart(a.str("gen-status", null), 5000);

    // ---- verification: every window output vs direct computation over the batches it covers ----
    long[][] db = dataBatches(tr, finalWin);
    long lineSum = Arrays.stream(db[1]).sum();
    String verify = "ok";
    int windowsChecked = 0;
    boolean fullChecked = false;
    if (lineSum != n) verify = "line_count_mismatch(" + lineSum + ")";
    else {
      long[] hashes = DataGen.vocabHashes(vocab);
      int[][] exp = Verifier.perBatchCounts(n, vocab, seed, db[1]);
      for (Map.Entry<Long, long[]> e : OUT.headMap(finalWin, true).entrySet()) {
        long t = e.getKey();
        int[] wc = new int[vocab];
        for (int b = 0; b < db[0].length; b++) {
          if (db[0][b] > t - windowMs && db[0][b] <= t) for (int k = 0; k < vocab; k++) wc[k] += exp[b][k];
        }
        long[] ex = Verifier.summarize(wc, hashes);
        long[] got = e.getValue();
        windowsChecked++;
        if (got[0] != ex[0] || got[1] != ex[1] || got[2] != ex[2]) {
          verify = "window_mismatch@" + t + " got=" + Arrays.toString(got) + " exp=" + Arrays.toString(ex);
          break;
        }
        Map<String, Long> lastWindowMap = WINDOW_MAPS.get(finalWin);
        if (t == finalWin && lastWindowMap != null) {
          fullChecked = true;
          int nz = 0;
          for (int k = 0; k < vocab; k++) {
            if (wc[k] == 0) continue;
            nz++;
            Long g = lastWindowMap.get("w" + k);
            if (g == null || g != wc[k]) { verify = "final_window_key_mismatch_w" + k; break; }
          }
          if (nz != lastWindowMap.size()) verify = "final_window_size_mismatch";
        }
      }
    }
    long[] fin = OUT.get(finalWin);

    boolean verified = verify.equals("ok") && windowsChecked > 0;
    System.out.println(common("W2", n, first, batchMs, last, genStart, bs)
        + " windows=" + windowsChecked + " final_window_time=" + finalWin + " final_window_keys=" + fin[0]
        + " final_window_sum=" + fin[1] + " full_final_window_check=" + fullChecked + " " + hm.summary() + " " + cpuSummary
        + " verified=" + verified + (verified ? "" : " verify_detail=" + verify.replace(' ', '_')));
    if (!verified) failure = verify;
  }

  // =============================== W3 ===============================
  static void w3(Args a, boolean mapWithState) throws Exception {
    String wl = mapWithState ? "W3M" : "W3U";
    long n = a.lng("lines", 20_000_000L);
    int vocab = a.integer("vocab", 1_000_000);
    long seed = a.lng("seed", DataGen.DEFAULT_SEED);
    long batchMs = a.lng("batch-ms", 1000);
    target = n * DataGen.WORDS_PER_LINE;
    StreamingContext jssc = context(wl, batchMs, a);
    String ck = ckptDir(wl);
    jssc.checkpoint(ck);
    BatchTracker tr = new BatchTracker();
    jssc.addStreamingListener(tr);
    ReceiverInputDStream<String> lines = jssc.socketTextStream(a.str("host", "127.0.0.1"), a.integer("port", 9999),
        StorageLevel.MEMORY_AND_DISK_SER);
    PairDStream<String, Long> pairs = words(lines).mapToPair(w -> new Tuple2<>(w, 1L));
    if (!mapWithState) {
      PairDStream<String, Long> state = pairs.updateStateByKey((List<Long> vs, Optional<Long> s) -> {
        long t = s.orElse(0L);
        for (Long v : vs) t += v;
        return Optional.of(t);
      });
      state.foreachRDD((rdd, time) -> {
        long[] r = summarize(rdd);
        OUT.put(time.milliseconds(), r);
        TOTAL.set(r[1]);
        if (r[1] == target && doneTime < 0) doneTime = time.milliseconds();
        else if (r[1] > target) failure = "state total " + r[1] + " exceeds " + target;
      });
    } else {
      Function3<String, Optional<Long>, State<Long>, Tuple2<String, Long>> f = (w, one, st) -> {
        long s = (st.exists() ? st.get() : 0L) + one.orElse(0L);
        st.update(s);
        return new Tuple2<>(w, s);
      };
      MapWithStateDStream<String, Long, Long, Tuple2<String, Long>> mapped = pairs.mapWithState(StateSpec.function(f));
      mapped.foreachRDD((rdd, time) -> {
        long c = rdd.count();
        long t = TOTAL.addAndGet(c);
        if (t == target && !OUT.containsKey(-1L)) OUT.put(-1L, new long[] {time.milliseconds()}); // marks the final batch for the snapshot op
        else if (t > target) failure = "mapped record total " + t + " exceeds " + target;
      });
      mapped.stateSnapshots().foreachRDD((rdd, time) -> {
        long[] mark = OUT.get(-1L);
        if (mark != null && mark[0] == time.milliseconds()) {
          OUT.put(time.milliseconds(), summarize(rdd));
          doneTime = time.milliseconds();
        }
      });
    }
    HeapMonitor hm = new HeapMonitor().start();
    CpuMonitor cpu = new CpuMonitor().start();
    jssc.start();
    boolean ok = awaitDone(tr, a.lng("timeout-s", 900));
    BatchTracker.Done last = ok ? tr.awaitCompleted(doneTime, 30_000) : null;
    hm.stop();
    String cpuSummary = cpu.summary();
    jssc.stop(true, false);
    deleteRec(new File(ck));
    if (!ok || last == null) {
      System.out.println("RESULT workload=" + wl + " FAILED " + String.valueOf(failure).replace(' ', '_') + " " + hm.summary() + " " + cpuSummary);
      failure = "x";
      return;
    }
    long first = tr.firstNonEmptyBatch();
    List<BatchTracker.Done> bs = nonEmpty(tr.range(first, doneTime));
    int allBatches = tr.range(first, doneTime).size();
    Long genStart = readGenStart(a.str("gen-status", null), 5000);
    long[] got = OUT.get(doneTime);
    long[] exp = Verifier.summarize(Verifier.globalCounts(n, vocab, seed), DataGen.vocabHashes(vocab));
    boolean verified = got != null && got[0] == exp[0] && got[1] == exp[1] && got[2] == exp[2] && got[1] == target;
    System.out.println(common(wl, n, first, batchMs, last, genStart, bs)
        + " batches_incl_empty=" + allBatches + " state_keys=" + (got == null ? -1 : got[0]) + " state_total=" + (got == null ? -1 : got[1])
        + " expected_keys=" + exp[0] + " " + hm.summary() + " " + cpuSummary + " verified=" + verified);
    if (!verified) failure = "state mismatch";
  }

  // =============================== W5 ===============================
  static final int LMAX = 600_000;

  static void w5(Args a) throws Exception {
    long rate = a.lng("rate", 200_000);
    long seconds = a.lng("seconds", 60);
    long batchMs = a.lng("batch-ms", 500);
    long warmupMs = a.lng("warmup-ms", 10_000);
    long n = rate * seconds;
    target = n;
    StreamingContext jssc = context("W5", batchMs, a);
    BatchTracker tr = new BatchTracker();
    jssc.addStreamingListener(tr);
    ReceiverInputDStream<String> lines = jssc.socketTextStream(a.str("host", "127.0.0.1"), a.integer("port", 9999),
        StorageLevel.MEMORY_AND_DISK_SER);
    lines.foreachRDD((rdd, time) -> {
      // per-partition sparse latency histogram: pairs (latency_ms, count), plus [#records, #tokens]
      List<long[]> parts = rdd.mapPartitions(it -> {
        int[] h = new int[LMAX + 1];
        long recs = 0, toks = 0;
        while (it.hasNext()) {
          String l = it.next();
          int sp = l.indexOf(' ');
          long ts = Long.parseLong(l, 0, sp, 10);
          long lat = System.currentTimeMillis() - ts;
          h[(int) Math.max(0, Math.min(LMAX, lat))]++;
          recs++;
          toks++; // first token (the timestamp), then one more token per separator
          for (int i = sp; i >= 0; i = l.indexOf(' ', i + 1)) toks++;
        }
        List<Long> sparse = new ArrayList<>();
        for (int i = 0; i <= LMAX; i++) if (h[i] != 0) { sparse.add((long) i); sparse.add((long) h[i]); }
        long[] r = new long[2 + sparse.size()];
        r[0] = recs;
        r[1] = toks;
        for (int i = 0; i < sparse.size(); i++) r[2 + i] = sparse.get(i);
        return Collections.singletonList(r).iterator();
      }).collect();
      long recs = 0, toks = 0;
      TreeMap<Long, Long> m = new TreeMap<>();
      for (long[] p : parts) {
        recs += p[0];
        toks += p[1];
        for (int i = 2; i < p.length; i += 2) m.merge(p[i], p[i + 1], Long::sum);
      }
      long[] flat = new long[2 + 2 * m.size()];
      flat[0] = recs;
      flat[1] = toks;
      int i = 2;
      for (Map.Entry<Long, Long> e : m.entrySet()) { flat[i++] = e.getKey(); flat[i++] = e.getValue(); }
      HIST.put(time.milliseconds(), flat);
      long t = TOTAL.addAndGet(recs);
      if (t == target && doneTime < 0) doneTime = time.milliseconds();
      else if (t > target) failure = "records " + t + " exceed " + target;
    });
    HeapMonitor hm = new HeapMonitor().start();
    CpuMonitor cpu = new CpuMonitor().start();
    jssc.start();
    boolean ok = awaitDone(tr, a.lng("timeout-s", seconds * 4 + 120));
    BatchTracker.Done last = ok ? tr.awaitCompleted(doneTime, 30_000) : null;
    hm.stop();
    String cpuSummary = cpu.summary();
    jssc.stop(true, false);
    String wl = "W5-" + batchMs + "ms";
    if (!ok || last == null) { System.out.println("RESULT workload=" + wl + " FAILED " + String.valueOf(failure).replace(' ', '_')); failure = "x"; return; }
    long first = tr.firstNonEmptyBatch();
    long measFrom = first + warmupMs;
    List<BatchTracker.Done> bs = tr.range(measFrom, doneTime);
    TreeMap<Long, Long> lat = new TreeMap<>();
    long measured = 0, toks = 0;
    for (Map.Entry<Long, long[]> e : HIST.entrySet()) {
      long[] f = e.getValue();
      toks += f[1];
      if (e.getKey() < measFrom || e.getKey() > doneTime) continue;
      measured += f[0];
      for (int i = 2; i < f.length; i += 2) lat.merge(f[i], f[i + 1], Long::sum);
    }
    // stability: last quarter of measured batches have scheduling delay <= batch interval, mean processing < interval
    int q = Math.max(1, bs.size() / 4);
    long maxSchedTail = 0, sumProc = 0;
    for (int i = bs.size() - q; i < bs.size(); i++) maxSchedTail = Math.max(maxSchedTail, bs.get(i).schedDelay);
    for (BatchTracker.Done d : bs) sumProc += d.procDelay;
    double meanProc = bs.isEmpty() ? 0 : (double) sumProc / bs.size();
    boolean stable = maxSchedTail <= batchMs && meanProc < batchMs;
    double secs = (last.procEnd - (first - batchMs)) / 1000.0;
    boolean verified = TOTAL.get() == n && toks == n * DataGen.WORDS_PER_LINE;
    System.out.println(String.format(
        "RESULT workload=%s records=%d rate=%d seconds=%.2f records_per_s=%.0f %s measured_records=%d "
            + "lat_p50_ms=%d lat_p99_ms=%d lat_p999_ms=%d lat_max_ms=%d tail_max_sched_delay_ms=%d stable=%b %s verified=%b",
        wl, n, rate, secs, n / secs, BatchTracker.metrics(bs), measured,
        pct(lat, measured, 50), pct(lat, measured, 99), pct(lat, measured, 99.9), pct(lat, measured, 100),
        maxSchedTail, stable, hm.summary() + " " + cpuSummary, verified));
    if (!verified) failure = "count mismatch";
  }

  static long pct(TreeMap<Long, Long> h, long total, double p) {
    if (total == 0) return -1;
    long rank = Math.max(1, (long) Math.ceil(p / 100.0 * total));
    long acc = 0;
    for (Map.Entry<Long, Long> e : h.entrySet()) {
      acc += e.getValue();
      if (acc >= rank) return e.getKey();
    }
    return h.lastKey();
  }
}

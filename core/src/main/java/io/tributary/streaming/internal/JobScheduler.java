package io.tributary.streaming.internal;

import io.tributary.internal.Throwables;
import io.tributary.streaming.Time;
import io.tributary.streaming.scheduler.BatchInfo;
import io.tributary.streaming.scheduler.OutputOperationInfo;
import io.tributary.streaming.scheduler.StreamInputInfo;
import io.tributary.streaming.scheduler.StreamingListenerBatchCompleted;
import io.tributary.streaming.scheduler.StreamingListenerBatchStarted;
import io.tributary.streaming.scheduler.StreamingListenerBatchSubmitted;
import io.tributary.streaming.scheduler.StreamingListenerOutputOperationCompleted;
import io.tributary.streaming.scheduler.StreamingListenerOutputOperationStarted;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the jobs of each batch on {@code streaming.concurrentJobs} threads (1 by default, so batches
 * run one after another in time order), reports every batch and output operation to the listeners,
 * and logs each batch's delays. A failed job is logged with its cause and reported on its batch;
 * the next batches run as usual.
 */
public final class JobScheduler {
  private static final Logger LOG = LoggerFactory.getLogger(JobScheduler.class);

  private final ListenerBus bus;
  private final ExecutorService executor;
  private final Consumer<Time> onBatchCompleted;
  private final Object progress = new Object();
  private long lastCompletedBatch = Long.MIN_VALUE;
  private int pendingBatches;
  private final java.util.TreeSet<Long> pendingTimes = new java.util.TreeSet<>();

  public JobScheduler(ListenerBus bus, int concurrentJobs, Consumer<Time> onBatchCompleted) {
    this.bus = bus;
    this.onBatchCompleted = onBatchCompleted;
    AtomicInteger n = new AtomicInteger();
    this.executor =
        Executors.newFixedThreadPool(
            concurrentJobs,
            r -> {
              Thread t = new Thread(r, "tributary-job-" + n.getAndIncrement());
              t.setDaemon(true);
              return t;
            });
  }

  /** Queues the jobs of one batch. */
  public void submit(Time time, List<Job> jobs, Map<Integer, StreamInputInfo> inputs) {
    Batch batch = new Batch(time, jobs, inputs, System.currentTimeMillis());
    synchronized (progress) {
      pendingBatches++;
      pendingTimes.add(time.milliseconds());
    }
    bus.post(new StreamingListenerBatchSubmitted(batch.info()));
    if (jobs.isEmpty()) {
      executor.execute(batch::completeEmpty);
    } else {
      for (Job job : jobs) {
        executor.execute(() -> batch.run(job));
      }
    }
  }

  /** Batch times submitted and not completed yet, oldest first. */
  public List<Long> pendingTimes() {
    synchronized (progress) {
      return List.copyOf(pendingTimes);
    }
  }

  /** Waits until every batch submitted so far completed, or the timeout passed; true if done. */
  public boolean awaitIdle(long timeoutMs) throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMs;
    synchronized (progress) {
      while (pendingBatches > 0) {
        long left = deadline - System.currentTimeMillis();
        if (left <= 0) {
          return false;
        }
        progress.wait(left);
      }
      return true;
    }
  }

  /** Waits until batch {@code time} (and every batch before it) completed; true if done in time. */
  public boolean awaitBatch(Time time, long timeoutMs) throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMs;
    synchronized (progress) {
      while (lastCompletedBatch < time.milliseconds()) {
        long left = deadline - System.currentTimeMillis();
        if (left <= 0) {
          return false;
        }
        progress.wait(left);
      }
      return true;
    }
  }

  public void stop(boolean waitForJobs, long timeoutMs) {
    if (waitForJobs) {
      executor.shutdown();
      try {
        if (!executor.awaitTermination(timeoutMs, TimeUnit.MILLISECONDS)) {
          LOG.warn("Jobs still running {} ms after the stop began; stopping them", timeoutMs);
          executor.shutdownNow();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        executor.shutdownNow();
      }
    } else {
      executor.shutdownNow();
      try {
        executor.awaitTermination(2, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** The state of one batch while its jobs run. */
  private final class Batch {
    private final Time time;
    private final List<Job> jobs;
    private final Map<Integer, StreamInputInfo> inputs;
    private final long submitted;
    private final Map<Integer, OutputOperationInfo> outputs = new HashMap<>();
    private Long started;
    private Long ended;
    private int remaining;

    Batch(Time time, List<Job> jobs, Map<Integer, StreamInputInfo> inputs, long submitted) {
      this.time = time;
      this.jobs = jobs;
      this.inputs = inputs;
      this.submitted = submitted;
      this.remaining = jobs.size();
      for (Job job : jobs) {
        outputs.put(job.outputId(), info(job, null, null, null));
      }
    }

    synchronized BatchInfo info() {
      return new BatchInfo(
          time, inputs, submitted, Optional.ofNullable(started), Optional.ofNullable(ended), outputs);
    }

    void completeEmpty() {
      long now = System.currentTimeMillis();
      synchronized (this) {
        started = now;
        ended = now;
      }
      bus.post(new StreamingListenerBatchStarted(info()));
      finish();
    }

    void run(Job job) {
      long start = System.currentTimeMillis();
      boolean first;
      synchronized (this) {
        first = started == null;
        if (first) {
          started = start;
        }
        outputs.put(job.outputId(), info(job, start, null, null));
      }
      if (first) {
        bus.post(new StreamingListenerBatchStarted(info()));
      }
      bus.post(new StreamingListenerOutputOperationStarted(info(job, start, null, null)));
      String failure = null;
      try {
        job.body().run();
      } catch (Throwable t) {
        LOG.error("Error running job {} ({})", job, job.description(), t);
        failure = Throwables.stackTrace(t);
      }
      OutputOperationInfo done = info(job, start, System.currentTimeMillis(), failure);
      bus.post(new StreamingListenerOutputOperationCompleted(done));
      boolean last;
      synchronized (this) {
        outputs.put(job.outputId(), done);
        last = --remaining == 0;
        if (last) {
          ended = done.endTime().orElseThrow();
        }
      }
      if (last) {
        finish();
      }
    }

    private void finish() {
      BatchInfo info = info();
      LOG.info(
          "Total delay: {} s for time {} ms (execution: {} s)",
          seconds(info.totalDelay().orElse(0L)),
          time.milliseconds(),
          seconds(info.processingDelay().orElse(0L)));
      synchronized (progress) {
        pendingTimes.remove(time.milliseconds());
      }
      try {
        onBatchCompleted.accept(time);
      } catch (RuntimeException e) {
        LOG.error("Error cleaning up after batch {}", time, e);
      }
      bus.post(new StreamingListenerBatchCompleted(info));
      synchronized (progress) {
        pendingBatches--;
        lastCompletedBatch = Math.max(lastCompletedBatch, time.milliseconds());
        progress.notifyAll();
      }
    }

    private OutputOperationInfo info(Job job, Long start, Long end, String failure) {
      return new OutputOperationInfo(
          time, job.outputId(), job.name(), job.description(), Optional.ofNullable(start),
          Optional.ofNullable(end), Optional.ofNullable(failure));
    }
  }

  private static String seconds(long ms) {
    return String.format(java.util.Locale.ROOT, "%.3f", ms / 1000.0);
  }

}

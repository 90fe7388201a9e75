package io.tributary.streaming.internal.scheduler;

import io.tributary.internal.Throwables;
import io.tributary.BatchFailedException;
import io.tributary.Time;
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
 * and logs each batch's delays.
 *
 * <p>A failed job is retried on its thread after a backoff ({@link FailurePolicy}), so later batches
 * wait behind it. When its retries run out the batch fails for good: it is never marked complete,
 * no later job starts, and {@code onFatal} (which stops the context) gets the error, unless the
 * policy skips failed batches whose output does not depend on state.
 */
public final class JobScheduler {
  private static final Logger LOG = LoggerFactory.getLogger(JobScheduler.class);

  private final ListenerBus bus;
  private final ExecutorService executor;
  private final FailurePolicy policy;
  private final Consumer<Time> onBatchCompleted;
  private final Consumer<BatchFailedException> onFatal;
  private volatile BatchFailedException fatal;
  /** Set when a stop interrupts the jobs: what they were doing stays pending, nothing is retried. */
  private volatile boolean abandoning;
  private final Object progress = new Object();
  private long lastCompletedBatch = Long.MIN_VALUE;
  private int pendingBatches;
  private final java.util.TreeSet<Long> pendingTimes = new java.util.TreeSet<>();

  /**
   * @param onBatchCompleted called once a batch completed (cleanup, checkpoint)
   * @param onFatal called once, from a job thread, when a batch failed for good
   */
  public JobScheduler(ListenerBus bus, int concurrentJobs, FailurePolicy policy, Consumer<Time> onBatchCompleted,
      Consumer<BatchFailedException> onFatal) {
    this.bus = bus;
    this.policy = policy;
    this.onBatchCompleted = onBatchCompleted;
    this.onFatal = onFatal;
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

  /**
   * Waits until batch {@code time} (and every batch before it) completed; true if done in time.
   * Throws the {@link BatchFailedException} of a batch that failed for good meanwhile.
   */
  public boolean awaitBatch(Time time, long timeoutMs) throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMs;
    synchronized (progress) {
      while (lastCompletedBatch < time.milliseconds()) {
        if (fatal != null) {
          throw fatal;
        }
        long left = deadline - System.currentTimeMillis();
        if (left <= 0) {
          return false;
        }
        progress.wait(left);
      }
      return true;
    }
  }

  /** The failure of the batch that failed for good, or null. */
  public BatchFailedException fatalFailure() {
    return fatal;
  }

  /**
   * Fails batch processing for good with {@code failure}: no job starts any more, waiters of
   * {@link #awaitBatch} get it, and {@code onFatal} is called (the first failure only).
   */
  public void fail(BatchFailedException failure) {
    synchronized (progress) {
      if (fatal != null) {
        return;
      }
      fatal = failure;
      progress.notifyAll();
    }
    onFatal.accept(failure);
  }

  /**
   * From now on nothing is retried or marked complete: a stop at once is under way, and what the
   * jobs were doing stays pending for a restart.
   */
  public void abandon() {
    abandoning = true;
  }

  public void stop(boolean waitForJobs, long timeoutMs) {
    if (waitForJobs) {
      executor.shutdown();
      try {
        if (!executor.awaitTermination(timeoutMs, TimeUnit.MILLISECONDS)) {
          LOG.warn("Jobs still running {} ms after the stop began; stopping them", timeoutMs);
          abandon();
          executor.shutdownNow();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        abandon();
        executor.shutdownNow();
      }
    } else {
      abandon();
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
      if (fatal != null || abandoning) {
        return;
      }
      long now = System.currentTimeMillis();
      synchronized (this) {
        started = now;
        ended = now;
      }
      bus.post(new StreamingListenerBatchStarted(info()));
      finish();
    }

    void run(Job job) {
      for (int attempt = 1; fatal == null && !abandoning; attempt++) {
        Throwable failure = runOnce(job);
        if (abandoning) {
          LOG.info("Batch {}: stopped while output {} ran; the batch stays pending", time, job.description());
          return;
        }
        if (failure == null) {
          completed(job);
          return;
        }
        if (attempt > policy.maxRetries()) {
          gaveUp(job, attempt, failure);
          return;
        }
        long backoff = policy.backoffMs(attempt);
        LOG.warn("Batch {}: output {} failed (attempt {} of {}); retrying in {} ms. Later batches wait for it",
            time, job.description(), attempt, policy.maxRetries() + 1L, backoff);
        try {
          Thread.sleep(backoff);
        } catch (InterruptedException e) {
          LOG.warn("Batch {}: stopping while output {} waited to be retried; the batch stays pending", time,
              job.description());
          return;
        }
      }
    }

    /** Runs one attempt of {@code job}; what it threw, or null when it succeeded. */
    private Throwable runOnce(Job job) {
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
      Throwable error = null;
      try {
        job.body().run();
      } catch (Throwable t) {
        LOG.error("Batch {}: output {} failed", time, job.description(), t);
        error = t;
      }
      OutputOperationInfo done = info(job, start, System.currentTimeMillis(),
          error == null ? null : Throwables.stackTrace(error));
      synchronized (this) {
        outputs.put(job.outputId(), done);
      }
      bus.post(new StreamingListenerOutputOperationCompleted(done));
      return error;
    }

    /** Retries of {@code job} ran out ({@code last} is what it threw): skips it when the policy allows, else fails the batch. */
    private void gaveUp(Job job, int attempts, Throwable last) {
      if (policy.skip() && !job.dependsOnState()) {
        LOG.error("Batch {}: output {} failed {} time(s); skipping it (streaming.batch.onFailure=skip): this "
            + "batch's output of it is lost", time, job.description(), attempts);
        completed(job);
        return;
      }
      BatchFailedException failure = new BatchFailedException(time, job.description(), attempts, last);
      LOG.error("Batch {}: output {} failed {} time(s){}; stopping the context. Nothing after this batch is "
          + "marked done: fix the cause and restart (StreamingContext.getOrCreate runs the batch again from the "
          + "checkpoint), or raise streaming.batch.maxRetries / streaming.batch.retryBackoff for longer outages",
          time, job.description(), attempts,
          policy.skip() ? " (not skipped: it depends on state, which a skipped batch would leave wrong)" : "");
      fail(failure);
    }

    private void completed(Job job) {
      boolean last;
      synchronized (this) {
        last = --remaining == 0;
        if (last) {
          ended = System.currentTimeMillis();
        }
      }
      if (last) {
        finish();
      }
    }

    private void finish() {
      BatchInfo info = info(); // its progress line is ProgressLog's, a listener
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



  /**
   * What happens to a failed output operation: it is retried {@code maxRetries} times, waiting
   * {@code retryBackoffMs} before the first retry and twice as long before each next one (at most a
   * minute); then the context stops with the error, or with {@code skip} the batch completes
   * without that output (Spark Streaming's behaviour) unless the output depends on state.
   */
  public record FailurePolicy(int maxRetries, long retryBackoffMs, boolean skip) {
    public static final String MAX_RETRIES = "streaming.batch.maxRetries";
    public static final String RETRY_BACKOFF = "streaming.batch.retryBackoff";
    public static final String ON_FAILURE = "streaming.batch.onFailure";
    private static final long MAX_BACKOFF_MS = 60_000;

    /** The policy the configuration sets; fails naming the key of a value out of range. */
    public static FailurePolicy of(io.tributary.StreamingConf conf) {
      int retries = conf.getInt(MAX_RETRIES, 3);
      if (retries < 0) {
        throw new IllegalArgumentException(MAX_RETRIES + " must be 0 or more, got " + retries);
      }
      long backoff = conf.getDuration(RETRY_BACKOFF, io.tributary.Durations.seconds(1)).milliseconds();
      if (backoff < 0) {
        throw new IllegalArgumentException(RETRY_BACKOFF + " must not be negative, got " + backoff + " ms");
      }
      String onFailure = conf.get(ON_FAILURE, "stop").trim().toLowerCase(java.util.Locale.ROOT);
      if (!onFailure.equals("stop") && !onFailure.equals("skip")) {
        throw new IllegalArgumentException(
            ON_FAILURE + " must be 'stop' (the default: stop the context, the batch stays pending) or 'skip' "
                + "(complete the batch without the failed output), got '" + conf.get(ON_FAILURE) + "'");
      }
      return new FailurePolicy(retries, backoff, onFailure.equals("skip"));
    }

    /** The wait before retry number {@code retry} (1 for the first). */
    long backoffMs(int retry) {
      long wait = retryBackoffMs;
      for (int i = 1; i < retry && wait < MAX_BACKOFF_MS; i++) {
        wait *= 2;
      }
      return Math.min(wait, Math.max(MAX_BACKOFF_MS, retryBackoffMs));
    }
  }
}

package io.tributary.streaming;

import io.tributary.streaming.internal.scheduler.Job;
import io.tributary.streaming.internal.scheduler.JobScheduler;
import io.tributary.BatchFailedException;
import io.tributary.Time;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The batch timer: at every multiple of the batch duration it assigns the received blocks to the
 * batch, asks the graph for the batch's jobs and hands them to the scheduler.
 */
final class JobGenerator {
  private static final Logger LOG = LoggerFactory.getLogger(JobGenerator.class);

  private final StreamingRuntime runtime;
  private final DStreamGraph graph;
  private final JobScheduler scheduler;
  private volatile boolean stopped;
  private Thread timer;
  private Time lastGenerated;

  JobGenerator(StreamingRuntime runtime, DStreamGraph graph, JobScheduler scheduler) {
    this.runtime = runtime;
    this.graph = graph;
    this.scheduler = scheduler;
  }

  /** Generates the batches of {@code restartTimes} at once (recovery), then one batch per interval from {@code first}. */
  void start(List<Time> restartTimes, Time first) {
    timer = new Thread(() -> {
      for (Time time : restartTimes) {
        if (stopped) {
          return;
        }
        LOG.info("Recovery: generating batch {} again", time);
        generate(time);
      }
      loop(first);
    }, "tributary-job-generator");
    timer.setDaemon(true);
    timer.start();
  }

  private void loop(Time first) {
    Time next = first;
    try {
      while (!stopped) {
        runtime.clock().waitTillTime(next.milliseconds());
        if (stopped) {
          return;
        }
        generate(next);
        next = next.plus(runtime.batchDuration());
      }
    } catch (InterruptedException e) {
      // stopping
    }
  }

  /**
   * Allocates the received blocks to batch {@code time} and submits its jobs. When that fails (the
   * jobs' own failures are the jobs' to report) the batch fails for good and the timer stops: the
   * batch stays due in the checkpoint.
   */
  private synchronized void generate(Time time) {
    if (scheduler.fatalFailure() != null) {
      stopped = true;
      return;
    }
    try {
      runtime.allocateBlocks(time);
      List<Job> jobs = graph.generateJobs(time);
      scheduler.submit(time, jobs, runtime.inputInfosOf(time));
    } catch (RuntimeException e) {
      LOG.error("Error generating the jobs of batch {}", time, e);
      stopped = true;
      scheduler.fail(new BatchFailedException(time, "generating the batch's jobs", 1, e));
      return;
    }
    lastGenerated = time;
  }

  /** The latest batch time generated, or null before the first. */
  synchronized Time lastGenerated() {
    return lastGenerated;
  }

  void stopTimer() {
    stopped = true;
    if (timer != null) {
      timer.interrupt();
      try {
        timer.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** After the timer stopped: generates batches right away until every received block is in one. */
  synchronized void drain() {
    Time next = lastGenerated == null ? graph.zeroTime().plus(runtime.batchDuration())
        : lastGenerated.plus(runtime.batchDuration());
    while (scheduler.fatalFailure() == null && runtime.blockTracker().hasUnallocatedBlocks()) {
      LOG.info("Graceful stop: generating batch {} for the data received before the stop", next);
      generate(next);
      next = next.plus(runtime.batchDuration());
    }
  }
}

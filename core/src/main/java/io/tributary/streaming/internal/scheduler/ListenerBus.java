package io.tributary.streaming.internal.scheduler;

import io.tributary.streaming.scheduler.StreamingListener;
import io.tributary.streaming.scheduler.StreamingListenerBatchCompleted;
import io.tributary.streaming.scheduler.StreamingListenerBatchStarted;
import io.tributary.streaming.scheduler.StreamingListenerBatchSubmitted;
import io.tributary.streaming.scheduler.StreamingListenerEvent;
import io.tributary.streaming.scheduler.StreamingListenerOutputOperationCompleted;
import io.tributary.streaming.scheduler.StreamingListenerOutputOperationStarted;
import io.tributary.streaming.scheduler.StreamingListenerRateUpdated;
import io.tributary.streaming.scheduler.StreamingListenerReceiverError;
import io.tributary.streaming.scheduler.StreamingListenerReceiverStarted;
import io.tributary.streaming.scheduler.StreamingListenerReceiverStopped;
import io.tributary.streaming.scheduler.StreamingListenerStreamingStarted;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Delivers events to listeners on one thread, in order; a failing listener is logged and skipped. */
public final class ListenerBus {
  private static final Logger LOG = LoggerFactory.getLogger(ListenerBus.class);
  private static final StreamingListenerEvent STOP = new StreamingListenerStreamingStarted(-1);

  private final List<StreamingListener> listeners = new CopyOnWriteArrayList<>();
  private final LinkedBlockingQueue<StreamingListenerEvent> queue = new LinkedBlockingQueue<>();
  private Thread thread;

  public void add(StreamingListener listener) {
    listeners.add(listener);
  }

  public void remove(StreamingListener listener) {
    listeners.remove(listener);
  }

  public synchronized void start() {
    thread = new Thread(this::run, "tributary-listener-bus");
    thread.setDaemon(true);
    thread.start();
  }

  public void post(StreamingListenerEvent event) {
    queue.add(event);
  }

  /** Delivers every event posted so far, then stops. */
  public synchronized void stop() {
    if (thread == null) {
      return;
    }
    queue.add(STOP);
    try {
      thread.join(TimeUnit.SECONDS.toMillis(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    thread = null;
  }

  private void run() {
    try {
      while (true) {
        StreamingListenerEvent event = queue.take();
        if (event == STOP) {
          return;
        }
        for (StreamingListener listener : listeners) {
          try {
            deliver(listener, event);
          } catch (Throwable t) {
            LOG.error("Listener {} failed on {}", listener, event.getClass().getSimpleName(), t);
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void deliver(StreamingListener l, StreamingListenerEvent event) {
    if (event instanceof StreamingListenerBatchCompleted e) {
      l.onBatchCompleted(e);
    } else if (event instanceof StreamingListenerBatchStarted e) {
      l.onBatchStarted(e);
    } else if (event instanceof StreamingListenerBatchSubmitted e) {
      l.onBatchSubmitted(e);
    } else if (event instanceof StreamingListenerOutputOperationStarted e) {
      l.onOutputOperationStarted(e);
    } else if (event instanceof StreamingListenerOutputOperationCompleted e) {
      l.onOutputOperationCompleted(e);
    } else if (event instanceof StreamingListenerReceiverStarted e) {
      l.onReceiverStarted(e);
    } else if (event instanceof StreamingListenerReceiverError e) {
      l.onReceiverError(e);
    } else if (event instanceof StreamingListenerReceiverStopped e) {
      l.onReceiverStopped(e);
    } else if (event instanceof StreamingListenerStreamingStarted e) {
      l.onStreamingStarted(e);
    } else if (event instanceof StreamingListenerRateUpdated e) {
      l.onRateUpdated(e);
    }
  }
}

package io.tributary.flume;

import io.netty.channel.DefaultEventLoopGroup;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.compression.JZlibDecoder;
import io.netty.handler.codec.compression.JZlibEncoder;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.tributary.StorageLevel;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.avro.ipc.RPCContext;
import org.apache.avro.ipc.RPCPlugin;
import org.apache.avro.ipc.netty.NettyServer;
import org.apache.avro.ipc.specific.SpecificResponder;
import org.apache.flume.source.avro.AvroFlumeEvent;
import org.apache.flume.source.avro.AvroSourceProtocol;
import org.apache.flume.source.avro.Status;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receiver of {@link FlumeUtils#createStream}: hosts the Avro RPC server ({@code
 * AvroSourceProtocol}) that a Flume agent's {@code avro} sink, or any flume-ng-sdk {@code
 * RpcClient}, sends batches to. A batch is answered {@code OK} only once it is stored as one block
 * (and logged, with the write-ahead log on), {@code FAILED} otherwise: the agent keeps the batch in
 * its channel and sends it again, so nothing it was told OK for is lost.
 */
final class FlumePushReceiver extends FlumeReceiver {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(FlumePushReceiver.class);
  private static final int CALLER_THREADS = 4;

  private final String hostname;
  private final int port;
  private final boolean enableDecompression;
  private final long maxRequestBytes;

  private transient volatile Server server;

  FlumePushReceiver(String hostname, int port, StorageLevel storageLevel, boolean enableDecompression,
      long maxEventBytes, long maxRequestBytes) {
    super(storageLevel, maxEventBytes);
    this.hostname = hostname;
    this.port = port;
    this.enableDecompression = enableDecompression;
    this.maxRequestBytes = maxRequestBytes;
  }

  @Override
  String source() {
    return "the Avro server on " + hostname + ":" + port;
  }

  /** The port served now (the one bound, when 0 was asked), or -1 when not running. */
  int boundPort() {
    Server s = server;
    return s == null ? -1 : s.netty.getPort();
  }

  @Override
  public void onStart() {
    try {
      server = new Server();
    } catch (Exception e) {
      restart("Could not serve Flume's Avro RPC on " + hostname + ":" + port + " (" + e + "); trying again", e);
      return;
    }
    LOG.info("Flume stream {} serving Avro RPC on {}:{}{}", streamId(), hostname, server.netty.getPort(),
        enableDecompression ? " (deflate)" : "");
  }

  @Override
  public void onStop() {
    Server s = server;
    server = null;
    if (s != null) {
      s.close();
    }
  }

  /** The Netty server and its threads, all shut down by {@link #close}. */
  private final class Server {
    final String name = "flume-push-" + port;
    final EventLoopGroup boss = new NioEventLoopGroup(1, new DefaultThreadFactory(name + "-boss", true));
    final EventLoopGroup workers = new NioEventLoopGroup(2, new DefaultThreadFactory(name + "-io", true));
    final EventLoopGroup callers = new DefaultEventLoopGroup(CALLER_THREADS, new DefaultThreadFactory(name, true));
    final NettyServer netty;

    Server() throws InterruptedException {
      SpecificResponder responder = new SpecificResponder(AvroSourceProtocol.class, new Handler());
      responder.addRPCPlugin(new RPCPlugin() {
        @Override
        public void serverSendResponse(RPCContext context) {
          if (context.isError()) {
            counters().undecodable.incrementAndGet();
            reportBad("a request could not be decoded as Flume's Avro RPC and was answered with an error: "
                + context.error(), context.error());
          }
        }
      });
      try {
        netty = new NettyServer(responder, new InetSocketAddress(hostname, port), this::initialize, b -> {}, boss,
            workers, callers);
      } catch (RuntimeException | InterruptedException e) {
        close();
        throw e;
      }
    }

    private void initialize(SocketChannel ch) {
      counters().connections.incrementAndGet();
      if (enableDecompression) {
        ch.pipeline().addLast("deflater", new JZlibEncoder(6)).addLast("inflater", new JZlibDecoder());
      }
      ch.pipeline().addLast("limit", new RequestSizeLimit(maxRequestBytes, (oversized, problem) -> {
        (oversized ? counters().oversizedRequests : counters().undecodable).incrementAndGet();
        reportBad("closed the connection from " + ch.remoteAddress() + ": " + problem, null);
      }));
    }

    /**
     * NettyServer.close() shuts down boss and workers with Netty's default 2 s quiet period each, and
     * never the callers: shut all three down first, without a quiet period, then let it finish.
     */
    void close() {
      boss.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
      workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
      callers.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
      if (netty != null) {
        netty.close();
      }
    }
  }

  /** Flume's AvroSourceProtocol: OK once the batch is stored. */
  private final class Handler implements AvroSourceProtocol {
    @Override
    public Status append(AvroFlumeEvent event) {
      return appendBatch(List.of(event));
    }

    @Override
    public Status appendBatch(List<AvroFlumeEvent> events) {
      if (isStopped()) {
        return Status.FAILED;
      }
      counters().received.addAndGet(events.size());
      List<FlumeEvent> batch = new ArrayList<>(events.size());
      for (AvroFlumeEvent e : events) {
        Map<CharSequence, CharSequence> raw = e.getHeaders();
        HashMap<String, String> headers = new HashMap<>(raw.size() * 2);
        raw.forEach((k, v) -> headers.put(k.toString(), String.valueOf(v)));
        ByteBuffer b = e.getBody();
        byte[] body = new byte[b.remaining()];
        b.duplicate().get(body);
        add(batch, headers, body);
      }
      try {
        storeBatch(batch);
        return Status.OK;
      } catch (RuntimeException e) {
        if (!isStopped()) {
          LOG.warn("Flume stream {}: could not store a batch of {} events; answered FAILED, the agent sends it again",
              streamId(), batch.size(), e);
        }
        return Status.FAILED;
      }
    }
  }
}

package dev.canopy.cloud.grid;

import com.hazelcast.cluster.Address;
import com.hazelcast.instance.EndpointQualifier;
import com.hazelcast.instance.impl.DefaultNodeContext;
import com.hazelcast.instance.impl.DefaultNodeExtension;
import com.hazelcast.instance.impl.Node;
import com.hazelcast.instance.impl.NodeExtension;
import com.hazelcast.internal.cluster.impl.JoinMessage;
import com.hazelcast.internal.networking.ChannelInitializer;
import com.hazelcast.internal.server.ServerContext;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts a Hazelcast member whose server closes every connection that does not come from a
 * controller's address, and whose master refuses a join request naming another address. This
 * reaches into Hazelcast's node extension (an internal API, checked by {@code GridLockdownTest} on
 * every Hazelcast upgrade) because the open-source grid offers no public hook to refuse a member.
 */
final class GuardedNodeContext extends DefaultNodeContext {

  private static final Logger LOG = LoggerFactory.getLogger(GuardedNodeContext.class);
  /** A prober opening connection after connection gets a log line per this many refusals, not one each. */
  private static final long REFUSALS_PER_LOG_LINE = 1_000;

  private final MemberAllowlist allowlist;

  GuardedNodeContext(MemberAllowlist allowlist) {
    this.allowlist = allowlist;
  }

  @Override
  public NodeExtension createNodeExtension(Node node) {
    return new GuardedNodeExtension(node, allowlist);
  }

  private static final class GuardedNodeExtension extends DefaultNodeExtension {

    private final MemberAllowlist allowlist;
    private final AtomicLong refusals = new AtomicLong();

    GuardedNodeExtension(Node node, MemberAllowlist allowlist) {
      super(node);
      this.allowlist = allowlist;
    }

    /**
     * Only the side that accepted a connection checks it: connections this member dials go to the
     * configured members. A refused connection is closed before any byte of it is read.
     */
    @Override
    public Function<EndpointQualifier, ChannelInitializer> createChannelInitializerFn(ServerContext serverContext) {
      Function<EndpointQualifier, ChannelInitializer> standard = super.createChannelInitializerFn(serverContext);
      return qualifier -> {
        ChannelInitializer initializer = standard.apply(qualifier);
        return channel -> {
          if (!channel.isClientMode() && !allowlist.permits(channel.remoteSocketAddress())) {
            long refused = refusals.incrementAndGet();
            if (refused % REFUSALS_PER_LOG_LINE == 1) {
              LOG.warn("grid: refused a connection from {}, which is not a controller's address ({} refused so far)",
                  channel.remoteSocketAddress(), refused);
            }
            channel.close();
            return;
          }
          initializer.initChannel(channel);
        };
      };
    }

    @Override
    public void validateJoinRequest(JoinMessage joinMessage) {
      Address address = joinMessage.getAddress();
      if (address == null || !allowlist.permits(socketAddress(address))) {
        throw new IllegalStateException("grid: refused a join from " + address + ", which is not a controller's address");
      }
      super.validateJoinRequest(joinMessage);
    }

    private static java.net.SocketAddress socketAddress(Address address) {
      try {
        return address.getInetSocketAddress();
      } catch (java.net.UnknownHostException e) {
        return null;
      }
    }
  }
}

package dev.canopy.cloud.grid;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MapStoreConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.MapStoreFactory;
import dev.canopy.storage.local.SystemStore;

/**
 * The embedded Hazelcast member holding control-plane state. Every map is written through to
 * the durable {@link SystemStore} and loaded eagerly from it at start, so a restart loses
 * nothing. In dev the member binds to loopback and joins nothing (no multicast, no TCP/IP
 * members, no auto-detection), under the cloud's own random cluster name.
 */
public final class Grid implements AutoCloseable {

  private final HazelcastInstance hazelcast;
  private final ObjectMapper json;

  private Grid(HazelcastInstance hazelcast) {
    this.hazelcast = hazelcast;
    this.json =
        new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
  }

  /** Starts a single loopback member that joins no one (the cloud in a box). */
  public static Grid startStandalone(String clusterName, String bindAddress, int port, SystemStore store) {
    Config config = new Config();
    config.setClusterName(clusterName);
    config.setInstanceName("canopy-" + clusterName + "-" + port);
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.logging.type", "slf4j");
    // Canopy closes the grid itself, after the endpoints that use it.
    config.setProperty("hazelcast.shutdownhook.enabled", "false");
    config.setProperty("hazelcast.local.localAddress", bindAddress);
    NetworkConfig network = config.getNetworkConfig();
    network.setPort(port).setPortAutoIncrement(true).setPortCount(100);
    network.getInterfaces().setEnabled(true).addInterface(bindAddress);
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    config.addMapConfig(durableMaps(store));
    return new Grid(Hazelcast.newHazelcastInstance(config));
  }

  /**
   * Every map is durable: the wildcard config gives each map name its own store namespace, so
   * a new kind of state needs no registration here, only {@link #map}.
   */
  private static MapConfig durableMaps(SystemStore store) {
    MapStoreConfig storeConfig =
        new MapStoreConfig()
            .setEnabled(true)
            .setFactoryImplementation((MapStoreFactory<String, String>) (name, properties) -> new StoreBackedMapStore(store, name))
            .setWriteDelaySeconds(0)
            .setInitialLoadMode(MapStoreConfig.InitialLoadMode.EAGER);
    return new MapConfig("*").setBackupCount(1).setAsyncBackupCount(0).setMapStoreConfig(storeConfig);
  }

  /** A durable map of JSON records; its name is also its namespace in the store. */
  public <T> JsonMap<T> map(String name, Class<T> type) {
    return new JsonMap<>(hazelcast.getMap(name), json, type);
  }

  /** host:port the member listens on, for endpoints.json. */
  public String address() {
    var address = hazelcast.getCluster().getLocalMember().getAddress();
    return address.getHost() + ":" + address.getPort();
  }

  public boolean isRunning() {
    return hazelcast.getLifecycleService().isRunning();
  }

  @Override
  public void close() {
    hazelcast.shutdown();
  }
}

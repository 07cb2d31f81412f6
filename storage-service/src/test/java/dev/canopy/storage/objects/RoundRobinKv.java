package dev.canopy.storage.objects;

import dev.canopy.storage.kv.KvService;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** A {@link KvService} that hands each call to the next of several nodes, as a load balancer would. */
final class RoundRobinKv {

  private RoundRobinKv() {}

  static KvService over(Collection<? extends KvService> nodes) {
    List<KvService> targets = List.copyOf(nodes);
    AtomicInteger next = new AtomicInteger();
    return (KvService) Proxy.newProxyInstance(KvService.class.getClassLoader(), new Class<?>[] {KvService.class},
        (proxy, method, args) -> {
          KvService target = targets.get(Math.floorMod(next.getAndIncrement(), targets.size()));
          try {
            return method.invoke(target, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }
}

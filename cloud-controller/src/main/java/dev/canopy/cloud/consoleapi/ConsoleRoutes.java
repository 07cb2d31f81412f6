package dev.canopy.cloud.consoleapi;

import io.vertx.ext.web.Router;

/** Routes another API adds to the console port's router, before its catch-all "no such resource". */
@FunctionalInterface
public interface ConsoleRoutes {
  void mount(Router router);
}

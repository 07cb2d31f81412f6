package dev.canopy.cloud.consoleapi;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * The web console's page and assets: {@code /} is the one page, {@code /console/*} its script and
 * style (this module's resources) and {@code /console/vendor/uplot/*} uPlot's built files from its
 * WebJar, all from the jar (no CDN). Every answer carries a Content-Security-Policy that allows
 * scripts, styles and requests of this origin only and no framing.
 */
public final class ConsolePages implements ConsoleRoutes {

  private static final String WEB_ROOT = "dev/canopy/cloud/console/web";
  private static final String UPLOT_ROOT = "META-INF/resources/webjars/uplot/1.6.30/dist";
  static final String CONTENT_SECURITY_POLICY =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
          + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

  @Override
  public void mount(Router router) {
    router.route("/console/*").handler(ConsolePages::securityHeaders);
    router.route("/").handler(ConsolePages::securityHeaders);
    router.get("/").handler(ctx -> ctx.reroute("/console/index.html"));
    router.get("/console/vendor/uplot/*").handler(StaticHandler.create(UPLOT_ROOT).setCachingEnabled(true));
    router.get("/console/*").handler(StaticHandler.create(WEB_ROOT).setCachingEnabled(false).setDirectoryListing(false));
  }

  private static void securityHeaders(RoutingContext ctx) {
    ctx.response()
        .putHeader("content-security-policy", CONTENT_SECURITY_POLICY)
        .putHeader("x-content-type-options", "nosniff")
        .putHeader("referrer-policy", "no-referrer")
        .putHeader("x-frame-options", "DENY");
    ctx.next();
  }
}

package dev.canopy.cloud.operatorapi;

import dev.canopy.api.auth.Principal;
import dev.canopy.api.auth.SigV4Verifier;
import dev.canopy.cloud.compute.Instance;
import dev.canopy.cloud.compute.InstanceService;
import dev.canopy.cloud.consoleapi.ApiError;
import dev.canopy.cloud.consoleapi.ConsoleRoutes;
import dev.canopy.cloud.consoleapi.SessionCallers;
import dev.canopy.cloud.consoleapi.SignedCalls;
import dev.canopy.cloud.identity.Account;
import dev.canopy.cloud.identity.IdentityService;
import dev.canopy.cloud.images.Image;
import dev.canopy.cloud.images.ImageService;
import dev.canopy.cloud.tags.TagStore;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.LoggerFactory;

/** The operator's console calls; see the package. One handler per action, each operator-only. */
public final class OperatorApi implements ConsoleRoutes {

  private static final int BODY_BYTES_MAX = 16 * 1024;

  private final SignedCalls calls;
  private final CloudOverview overview;
  private final InstanceService instances;
  private final ImageService images;
  private final IdentityService identity;
  private final TagStore tags;

  /** A call the operator may make, given who signed or logged in. */
  @FunctionalInterface
  private interface OperatorAction {
    Object run(RoutingContext ctx) throws Exception;
  }

  public OperatorApi(Vertx vertx, SigV4Verifier verifier, SessionCallers sessions, CloudOverview overview, InstanceService instances,
      ImageService images, IdentityService identity, TagStore tags) {
    this.calls = new SignedCalls(vertx, verifier, LoggerFactory.getLogger(OperatorApi.class)).withSessions(sessions);
    this.overview = overview;
    this.instances = instances;
    this.images = images;
    this.identity = identity;
    this.tags = tags;
  }

  @Override
  public void mount(Router router) {
    for (String path : List.of("/api/cloud", "/api/admin/*")) {
      router.route(path).handler(calls.refusingAnonymous());
      router.route(path).handler(BodyHandler.create(false).setBodyLimit(BODY_BYTES_MAX));
    }
    router.get("/api/cloud").handler(ctx -> operator(ctx, 200, c -> overview.describe()));
    router.get("/api/admin/instances").handler(ctx -> operator(ctx, 200, this::listInstances));
    router.get("/api/admin/images").handler(ctx -> operator(ctx, 200, c -> Map.of("images", images.all().stream().map(OperatorApi::imageView).toList())));
    router.delete("/api/admin/images/:id").handler(ctx -> operator(ctx, 204, c -> {
      images.deregisterAsOperator(c.pathParam("id"));
      return null;
    }));
  }

  private void operator(RoutingContext ctx, int status, OperatorAction action) {
    calls.call(ctx, status, (Principal caller) -> {
      if (!IdentityService.ADMIN_ACCOUNT_ID.equals(caller.accountId())) {
        throw ApiError.accessDenied("only the operator may make this call");
      }
      return action.run(ctx);
    });
  }

  private Map<String, Object> listInstances(RoutingContext ctx) {
    InstanceSearch search = InstanceSearch.parse(ctx.queryParams());
    Function<Instance, String> nameOf = i -> tags.tagsOf(i.ownerId(), i.instanceId()).get("Name");
    List<Instance> matching = instances.everyInstance(i -> search.matches(i, nameOf)).stream()
        .sorted(Comparator.comparing(Instance::launchTime, Comparator.nullsLast(Comparator.reverseOrder())).thenComparing(Instance::instanceId))
        .toList();
    int from = Math.min(matching.size(), (search.page() - 1) * search.pageSize());
    List<Instance> page = matching.subList(from, Math.min(matching.size(), from + search.pageSize()));
    Map<String, String> accountNames = identity.listAccounts().stream().collect(Collectors.toMap(Account::id, Account::name));
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("instances", page.stream().map(i -> instanceView(i, accountNames, nameOf)).toList());
    answer.put("total", matching.size());
    answer.put("page", search.page());
    answer.put("pageSize", search.pageSize());
    return answer;
  }

  private static Map<String, Object> instanceView(Instance i, Map<String, String> accountNames, Function<Instance, String> nameOf) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("instanceId", i.instanceId());
    view.put("name", nameOf.apply(i));
    view.put("accountId", i.ownerId());
    view.put("accountName", accountNames.get(i.ownerId()));
    view.put("state", i.state().wireName());
    view.put("instanceType", i.instanceType());
    view.put("imageId", i.imageId());
    view.put("nodeId", i.nodeId());
    view.put("privateIp", i.privateIp());
    view.put("launchTime", i.launchTime() == null ? null : i.launchTime().toString());
    view.put("impaired", i.impaired());
    return view;
  }

  private static Map<String, Object> imageView(Image image) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("imageId", image.imageId());
    view.put("name", image.name());
    view.put("ownerId", image.ownerId());
    view.put("state", image.state());
    view.put("public", image.isPublic());
    view.put("location", image.imageLocation());
    view.put("architecture", image.architecture());
    view.put("creationDate", image.creationDate() == null ? null : image.creationDate().toString());
    return view;
  }
}

package dev.canopy.cloud.ec2;

import com.hazelcast.splitbrainprotection.SplitBrainProtectionException;
import dev.canopy.api.auth.Principal;
import dev.canopy.api.error.AwsException;
import dev.canopy.api.error.Ec2Error;
import dev.canopy.api.error.Ec2Errors;
import dev.canopy.api.error.ServerFailures;
import dev.canopy.api.query.QueryParams;
import dev.canopy.api.xml.XmlWriter;
import dev.canopy.cloud.compute.NotLeaderException;
import dev.canopy.cloud.fencing.NoMajorityException;
import dev.canopy.cloud.fencing.StaleEpochException;
import dev.canopy.cloud.storeclient.StaleWriteRefused;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every EC2 front door shares once it knows who is calling: the account's request rate, the
 * action's lookup in the one registry, DryRun, the action itself, and the mapping of any failure to
 * EC2's error (a stale or cut-off controller's writes to 503 "not the leader", which the door then
 * forwards to the holder). The EC2 port ({@link Ec2Server}, signed requests) and the console's
 * {@code /api/ec2} ({@link SessionEc2Api}, a session's account) both run requests through here, so
 * ownership checks, quotas, throttling and error codes are the same for both.
 */
public final class Ec2Dispatch {

  private static final Logger LOG = LoggerFactory.getLogger(Ec2Dispatch.class);

  private final Ec2Actions actions;
  private final MeterRegistry meters;
  private final Ec2Throttle throttle;

  public Ec2Dispatch(Ec2Actions actions, MeterRegistry meters, Ec2Throttle throttle) {
    this.actions = actions;
    this.meters = meters;
    this.throttle = throttle;
  }

  MeterRegistry meters() {
    return meters;
  }

  /** Who calls and with what, once the door has checked the signature or the session. */
  record Caller(Principal principal, QueryParams params) {}

  /**
   * Runs one request. {@code caller} authenticates and parses inside the dispatch, so its failures
   * get the same mapping as the action's (a grid without a majority is "not the leader").
   * Blocking (grid reads).
   */
  Ec2Reply dispatch(Supplier<Caller> who, String requestId) {
    String actionName = Ec2Server.UNKNOWN_ACTION_LABEL;
    try {
      Caller call = who.get();
      Principal caller = call.principal();
      QueryParams params = call.params();
      String name = params.first("Action").orElseThrow(() -> Ec2Error.MISSING_ACTION.exception("The request must contain the parameter Action"));
      Optional<Ec2Action> found = actions.find(name);
      // Labels only from the known actions: a client naming a new action each time must not grow /metrics.
      actionName = found.isPresent() ? name : Ec2Server.UNKNOWN_ACTION_LABEL;
      throttle.admit(caller);
      Ec2Action action = found
          .orElseThrow(() -> Ec2Error.INVALID_ACTION.exception("The action " + name + " is not valid for this web service."));
      if (params.bool("DryRun").orElse(false)) {
        throw Ec2Error.DRY_RUN_OPERATION.exception();
      }
      XmlWriter xml = new XmlWriter();
      xml.start(name + "Response").attribute("xmlns", Ec2Server.NAMESPACE).element("requestId", requestId);
      action.handle(new Ec2Request(caller, params, requestId), xml);
      xml.end();
      return new Ec2Reply(200, xml.toBytes(), name, "OK");
    } catch (AwsException e) {
      return Ec2Reply.error(e, requestId).withAction(actionName);
    } catch (RuntimeException e) {
      String action = actionName;
      return refusal(e).map(r -> Ec2Reply.error(r, requestId).withAction(action))
          .orElseGet(() -> unexpected(e, requestId).withAction(action));
    }
  }

  /** Any other failure, through the one mapping every API shares: 503 ServiceUnavailable for an unavailable store or grid, else 500. */
  static Ec2Reply unexpected(Throwable failure, String requestId) {
    ServerFailures.log(LOG, "EC2 request " + requestId, failure);
    return Ec2Reply.error(Ec2Errors.fromFailure(failure), requestId);
  }

  /**
   * A refusal that says this controller is not (or no longer) the one to lead: 503 Unavailable, which
   * the caller forwards to the holder when it can (and a metric); empty for anything else.
   */
  private Optional<AwsException> refusal(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof StaleEpochException || t instanceof StaleWriteRefused) {
        // A newer holder minted an epoch: this controller's is over.
        meters.counter("canopy.fencing.refusals", "by", "grid").increment();
        LOG.warn("a write under a stale epoch was refused: {}", t.getMessage());
        return Optional.of(new NotLeaderException());
      }
      if (t instanceof NoMajorityException || t instanceof SplitBrainProtectionException) {
        meters.counter("canopy.fencing.refusals", "by", "majority").increment();
        LOG.warn("this controller's grid member lacks a majority: {}", t.getMessage());
        return Optional.of(new NotLeaderException());
      }
    }
    return Optional.empty();
  }
}

package dev.canopy.cloud.compute;

/**
 * One item of DescribeInstanceStatus.
 *
 * @param system the host's health: the node holding the instance heart-beats (ok) or not (impaired)
 * @param instance the guest's health, from the recorded domain state
 */
public record InstanceStatus(String instanceId, String zone, InstanceState state, Health system, Health instance) {

  /** EC2's {@code SummaryStatus}, with the {@code reachability} check's {@code StatusType} that goes with it. */
  public enum Health {
    OK("ok", "passed"),
    IMPAIRED("impaired", "failed"),
    INSUFFICIENT_DATA("insufficient-data", "insufficient-data"),
    /** Nothing to check (the instance is not running); EC2 lists no details then. */
    NOT_APPLICABLE("not-applicable", null);

    private final String wireName;
    private final String reachability;

    Health(String wireName, String reachability) {
      this.wireName = wireName;
      this.reachability = reachability;
    }

    public String wireName() {
      return wireName;
    }

    /** The {@code reachability} detail's status, or null when no detail is shown. */
    public String reachability() {
      return reachability;
    }
  }

  /**
   * The status EC2 would report for this instance now.
   *
   * <pre>
   * state                      node heart-beats     node unavailable (impaired)
   * running                    ok / ok              impaired / insufficient-data
   * pending, stopping          ok / not-applicable  impaired / not-applicable
   * stopped, shutting-down,
   * terminated                 not-applicable / not-applicable
   * </pre>
   * (system / instance)
   */
  public static InstanceStatus of(Instance i) {
    Health system = switch (i.state()) {
      case RUNNING, PENDING, STOPPING -> i.impaired() ? Health.IMPAIRED : Health.OK;
      case STOPPED, SHUTTING_DOWN, TERMINATED -> Health.NOT_APPLICABLE;
    };
    Health instance = i.state() != InstanceState.RUNNING ? Health.NOT_APPLICABLE
        // With the node silent, the guest's state is unknown, not known bad.
        : i.impaired() ? Health.INSUFFICIENT_DATA : Health.OK;
    return new InstanceStatus(i.instanceId(), i.zone(), i.state(), system, instance);
  }
}

package dev.canopy.deploy.architecture;

import static org.assertj.core.api.Assertions.assertThat;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noFields;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaAccess;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layering the design promises, checked on the compiled production classes of every module
 * (this module's tests see them all): modules depend only downwards, domain packages hold rules on
 * plain Java (no network, grid, hypervisor or disk types, no wall clock, no unseeded randomness),
 * and no package cycle spans two packages of a module. Across all production code: only
 * {@code SystemTime} reads the JVM's clocks or sleeps, nothing makes unseeded randomness, sources of
 * randomness are made only where a process is assembled, limits are named qualifier last, and the
 * {@code core} module uses nothing but the JDK.
 */
class ArchitectureTest {

  /**
   * Packages of rules on plain records, driven by injected time and randomness: what the
   * deterministic simulators and unit tests exercise without a network. The node agent's command
   * handlers ({@code node.commands}) and epoch file ({@code node.epoch}) are not among them: they
   * are the agent's adapters, writing instance files and the held epoch to disk.
   */
  static final String[] DOMAIN_PACKAGES = {
    "dev.canopy.cloud.compute", "dev.canopy.cloud.scheduler", "dev.canopy.cloud.images", "dev.canopy.cloud.keypairs",
    "dev.canopy.cloud.securitygroups", "dev.canopy.cloud.tags", "dev.canopy.cloud.resources", "dev.canopy.cloud.lease",
    "dev.canopy.cloud.limits", "dev.canopy.cloud.identity", "dev.canopy.cloud.leadership", "dev.canopy.cloud.volumes",
    "dev.canopy.cloud.instancehours",
    "dev.canopy.node.protocol", "dev.canopy.storage.kv", "dev.canopy.storage.kv.ring",
    "dev.canopy.storage.kv.causality", "dev.canopy.storage.kv.engine", "dev.canopy.storage.kv.aae",
  };

  /**
   * Where an unseeded source of randomness ({@code new SecureRandom()}, {@code new SplittableRandom()})
   * may be made: the composition roots (the {@code deploy} module, which hands one down to everything
   * else) and the one place a key is generated outside them (the node agent's enrollment key pair,
   * made before anything is wired). Everywhere else randomness is injected, seeded in tests.
   */
  static final String[] RANDOMNESS_SOURCES = {"dev.canopy.deploy..", "dev.canopy.node.agent.Enroller"};

  /** The JVM's clocks and sleeps: only {@code dev.canopy.core.time.SystemTime} reads them (called or referenced). */
  static final DescribedPredicate<JavaAccess<?>> JVM_CLOCK = accessTo(List.of(
      member(System.class, "nanoTime"), member(System.class, "currentTimeMillis"), member(Thread.class, "sleep"),
      member(java.time.Instant.class, "now"), member(java.time.Clock.class, "systemUTC"),
      member(java.time.Clock.class, "systemDefaultZone"), member(java.time.InstantSource.class, "system"),
      member(java.time.LocalDateTime.class, "now"), member(java.time.LocalDate.class, "now"),
      member(java.time.ZonedDateTime.class, "now"), member(java.time.OffsetDateTime.class, "now"),
      member(java.util.concurrent.TimeUnit.class, "sleep")), "the JVM's clocks or Thread.sleep");

  static JavaClasses production;

  @BeforeAll
  static void importProductionClasses() {
    production = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        // A module's test jar (core's manual Time, for other modules' tests) is test code too.
        .withImportOption(location -> !location.contains("-tests.jar"))
        .importPackages("dev.canopy");
  }

  /** In a full build the other modules come as jars, in an IDE as folders: the rules must see both. */
  @Test
  void everyModulesClassesAreChecked() {
    for (String module : new String[] {"deploy", "cloud", "node", "storage", "images", "api", "core"}) {
      String root = "dev.canopy." + module;
      assertThat(production.stream().filter(c -> c.getPackageName().equals(root) || c.getPackageName().startsWith(root + ".")))
          .as(module).hasSizeGreaterThan(5);
    }
  }

  @Test
  void modulesDependOnlyDownwards() {
    layeredArchitecture()
        .consideringOnlyDependenciesInLayers()
        .layer("deploy").definedBy("dev.canopy.deploy..")
        .layer("cloud-controller").definedBy("dev.canopy.cloud..")
        .layer("node-controller").definedBy("dev.canopy.node..")
        .layer("storage-service").definedBy("dev.canopy.storage..")
        .layer("images").definedBy("dev.canopy.images..")
        .layer("api-compat").definedBy("dev.canopy.api..")
        .layer("core").definedBy("dev.canopy.core..")
        .whereLayer("deploy").mayNotBeAccessedByAnyLayer()
        .whereLayer("cloud-controller").mayOnlyBeAccessedByLayers("deploy")
        .whereLayer("node-controller").mayOnlyBeAccessedByLayers("cloud-controller", "deploy")
        .whereLayer("storage-service").mayOnlyBeAccessedByLayers("cloud-controller", "deploy")
        .whereLayer("images").mayOnlyBeAccessedByLayers("node-controller", "cloud-controller", "deploy")
        .whereLayer("api-compat").mayOnlyBeAccessedByLayers("images", "storage-service", "node-controller", "cloud-controller", "deploy")
        .check(production);
  }

  @Test
  void domainPackagesUseNoNetworkGridHypervisorOrDiskTypes() {
    noClasses().that().resideInAnyPackage(DOMAIN_PACKAGES)
        .should().dependOnClassesThat().resideInAnyPackage("io.vertx..", "io.netty..", "com.hazelcast..", "org.libvirt..",
            "org.rocksdb..", "java.net.http..", "java.nio.file..")
        .because("domain rules run in simulators and unit tests without a network, a grid, libvirt or a disk")
        .check(production);
  }

  @Test
  void domainPackagesReadNoWallClockAndUseNoUnseededRandomness() {
    noClasses().that().resideInAnyPackage(DOMAIN_PACKAGES)
        .should().callMethod(System.class, "currentTimeMillis")
        .orShould().callMethod(System.class, "nanoTime")
        .orShould().callMethod(java.time.Instant.class, "now")
        .orShould().callMethod(java.time.Clock.class, "systemUTC")
        .orShould().callMethod(java.time.Clock.class, "systemDefaultZone")
        .orShould().callConstructor(java.util.Random.class)
        .orShould().callConstructor(java.security.SecureRandom.class)
        .orShould().callMethod(Math.class, "random")
        .because("time and randomness are injected so that a simulation replays exactly from its seed")
        .check(production);
  }

  /** One clock ({@code Time}): every other class gets time injected, so tests drive it by hand. */
  static final ArchRule ONLY_SYSTEM_TIME_READS_THE_JVM_CLOCKS = noClasses()
      .that().doNotHaveFullyQualifiedName("dev.canopy.core.time.SystemTime")
      .should().accessTargetWhere(JVM_CLOCK)
      .because("time is injected (dev.canopy.core.time.Time); SystemTime is its one production implementation");

  static final ArchRule NO_UNSEEDED_RANDOM = noClasses()
      .should().callConstructor(java.util.Random.class)
      .orShould().callMethod(Math.class, "random")
      .orShould().callMethod(java.util.concurrent.ThreadLocalRandom.class, "current")
      .because("randomness is injected, seeded in tests, so a simulation replays exactly from its seed");

  static final ArchRule RANDOMNESS_SOURCES_ONLY_IN_COMPOSITION_ROOTS = noClasses()
      .that().resideOutsideOfPackage(RANDOMNESS_SOURCES[0]).and().doNotHaveFullyQualifiedName(RANDOMNESS_SOURCES[1])
      .should().callConstructor(java.security.SecureRandom.class)
      .orShould().callConstructor(java.util.SplittableRandom.class)
      .because("sources of randomness are made where a process is assembled (or a key generated) and handed down");

  @Test
  void onlySystemTimeReadsTheJvmClocksOrSleeps() {
    ONLY_SYSTEM_TIME_READS_THE_JVM_CLOCKS.check(production);
  }

  @Test
  void nothingMakesUnseededRandomnessAndSourcesAreMadeOnlyInCompositionRoots() {
    NO_UNSEEDED_RANDOM.check(production);
    RANDOMNESS_SOURCES_ONLY_IN_COMPOSITION_ROOTS.check(production);
  }

  /** The rules see method references and lambdas too, not only direct calls: checked on classes that break them. */
  @Test
  void theTimeAndRandomnessRulesCatchCallsAndMethodReferences() {
    JavaClasses offenders = new ClassFileImporter().importClasses(Offenders.ReadsNanoTimeByReference.class,
        Offenders.SleepsInALambda.class, Offenders.RollsUnseededDice.class);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ONLY_SYSTEM_TIME_READS_THE_JVM_CLOCKS.check(offenders))
        .hasMessageContaining("ReadsNanoTimeByReference").hasMessageContaining("SleepsInALambda");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> NO_UNSEEDED_RANDOM.check(offenders))
        .hasMessageContaining("RollsUnseededDice");
  }

  /**
   * Limits are named with the qualifier last ({@code BATCH_BYTES_MAX}, its default
   * {@code BATCH_BYTES_MAX_DEFAULT}), never {@code MAX_BATCH_BYTES} or {@code DEFAULT_MAX_BATCH_BYTES}.
   */
  @Test
  void limitsAreNamedWithTheQualifierLast() {
    noFields().that().areStatic().and().areFinal()
        .should().haveNameMatching("(.*_)?(MAX|MIN)_(?!DEFAULT$).*")
        .because("a limit's qualifier comes last (STYLE.md: One limit, one place, qualifier last)")
        .check(production);
  }

  /**
   * The lowest module is plain Java: no Vert.x, Hazelcast, RocksDB, libvirt or logging in it. Of
   * the JDK's {@code javax} packages it may use TLS and X.500 names (the peer check, {@code core.tls}).
   */
  @Test
  void coreUsesOnlyTheJdk() {
    classes().that().resideInAPackage("dev.canopy.core..")
        .should().onlyDependOnClassesThat()
        .resideInAnyPackage("java..", "javax.net.ssl..", "javax.security.auth.x500..", "dev.canopy.core..")
        .check(production);
  }

  @Test
  void noCycleBetweenTheTopLevelPackagesOfAModule() {
    slices().matching("dev.canopy.(*).(*)..").should().beFreeOfCycles().check(production);
  }

  private record Member(Class<?> owner, String name) {}

  private static Member member(Class<?> owner, String name) {
    return new Member(owner, name);
  }

  private static DescribedPredicate<JavaAccess<?>> accessTo(List<Member> members, String description) {
    Set<Member> targets = Set.copyOf(members);
    return DescribedPredicate.describe(description, access -> targets.stream().anyMatch(m ->
        access.getTargetOwner().isEquivalentTo(m.owner()) && access.getTarget().getName().equals(m.name())));
  }
}

package dev.canopy.deploy.architecture;

import static org.assertj.core.api.Assertions.assertThat;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layering the design promises, checked on the compiled production classes of every module
 * (this module's tests see them all): modules depend only downwards, domain packages hold rules on
 * plain Java (no network, grid, hypervisor or disk types, no wall clock, no unseeded randomness),
 * and no package cycle spans two packages of a module.
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
    "dev.canopy.node.protocol",
  };

  static JavaClasses production;

  @BeforeAll
  static void importProductionClasses() {
    production = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
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

  @Test
  void noCycleBetweenTheTopLevelPackagesOfAModule() {
    slices().matching("dev.canopy.(*).(*)..").should().beFreeOfCycles().check(production);
  }
}

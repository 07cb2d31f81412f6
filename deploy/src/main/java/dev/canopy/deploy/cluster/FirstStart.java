package dev.canopy.deploy.cluster;

import dev.canopy.api.auth.Credential;
import dev.canopy.deploy.process.CloudFiles;
import dev.canopy.cloud.identity.IdentityService;
import dev.canopy.cloud.identity.NewAccount;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A cloud's first start (the cloud in a box's, or {@code canopy init}'s): the administrator's key
 * and a first tenant {@code default}, written where people look for them.
 */
public final class FirstStart {

  private static final Logger LOG = LoggerFactory.getLogger(FirstStart.class);

  private FirstStart() {}

  public static void bootstrap(IdentityService identity, CloudFiles files, String region) throws IOException {
    Credential admin = identity.createAdminKey();
    files.writeAdminCredentials(admin);
    NewAccount tenant = identity.findByName("default").isPresent() ? null : identity.createAccount("default");
    if (tenant != null) {
      files.writeTenantProfile(tenant.credential(), region);
    }
    LOG.info("created the administrator's key and the first tenant account 'default'");
  }
}

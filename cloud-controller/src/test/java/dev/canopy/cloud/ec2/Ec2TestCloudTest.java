package dev.canopy.cloud.ec2;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fixture itself: the SDK reaches the region family through the real endpoint. */
class Ec2TestCloudTest {

  @Test
  void sdkDescribesTheRegion(@TempDir Path dir) throws Exception {
    try (Ec2TestCloud cloud = Ec2TestCloud.start(dir, parts -> List.of())) {
      var ec2 = cloud.client(cloud.newAccount("alice"));
      assertThat(ec2.describeRegions().regions()).extracting(r -> r.regionName()).containsExactly(Ec2TestCloud.REGION);
    }
  }
}

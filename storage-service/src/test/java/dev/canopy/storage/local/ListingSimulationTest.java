package dev.canopy.storage.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.storage.backend.BlobWriter;
import dev.canopy.storage.backend.ListPage;
import dev.canopy.storage.backend.ListQuery;
import dev.canopy.storage.backend.ListingModel;
import dev.canopy.storage.backend.MultipartRules;
import dev.canopy.storage.backend.ObjectMetadata;
import dev.canopy.storage.backend.ObjectSummary;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Seeded simulation of listings over the real RocksDB cursor: random keys from an alphabet that
 * makes prefixes collide (slashes, hyphens, two- and four-byte UTF-8), random queries, every page
 * followed to the end; the concatenated pages must equal a model written from S3's rule, and every
 * page must respect max-keys and be full when truncated. A failing seed replays exactly.
 */
class ListingSimulationTest {

  private static final String[] ALPHABET = {"a", "b", "/", "-", "é", "😀", "\uFF01", "~"};
  private static final int KEYS_PER_SEED = 150;
  private static final int QUERIES_PER_SEED = 40;
  private static final int PAGES_MAX = 10_000;

  @TempDir Path dir;
  private LocalStore store;
  private RocksObjectBackend backend;

  @BeforeEach
  void open() {
    store = LocalStore.open(dir);
    backend = new RocksObjectBackend(store, InstantSource.fixed(Instant.parse("2026-07-08T09:10:11Z")), new Random(1), 64,
        MultipartRules.PART_SIZE_MIN);
  }

  @AfterEach
  void close() {
    store.close();
  }

  private static String randomText(Random random, int lengthMax) {
    StringBuilder text = new StringBuilder();
    int length = 1 + random.nextInt(lengthMax);
    for (int i = 0; i < length; i++) {
      text.append(ALPHABET[random.nextInt(ALPHABET.length)]);
    }
    return text.toString();
  }

  /** Follows pages the way the S3 handlers do: each next page starts after the last item. */
  private List<String> pages(String bucket, String prefix, String delimiter, String startAfter, int maxKeys) {
    List<String> entries = new ArrayList<>();
    String after = startAfter;
    for (int n = 0; n < PAGES_MAX; n++) {
      ListPage page = backend.list(bucket, new ListQuery(prefix, delimiter, after, maxKeys));
      assertThat(page.keyCount()).isLessThanOrEqualTo(maxKeys);
      List<String> items = ListingModel.pageEntries(
          page.contents().stream().map(ObjectSummary::key).toList(), page.commonPrefixes());
      entries.addAll(items);
      if (!page.truncated()) {
        return entries;
      }
      assertThat(page.keyCount()).as("a truncated page is full").isEqualTo(maxKeys);
      assertThat(page.lastItem()).isEqualTo(items.get(items.size() - 1).substring(2));
      after = page.lastItem();
    }
    throw new AssertionError("listing did not end within " + PAGES_MAX + " pages");
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
  void pagesAlwaysConcatenateToTheModel(long seed) throws Exception {
    Random random = new Random(seed);
    String bucket = "sim" + seed;
    TreeSet<String> keys = new TreeSet<>(ListingModel.UTF8_ORDER);
    while (keys.size() < KEYS_PER_SEED) {
      keys.add(randomText(random, 6));
    }
    for (String key : keys) {
      byte[] data = key.getBytes(StandardCharsets.UTF_8);
      BlobWriter blob = backend.newBlob();
      blob.write(ByteBuffer.wrap(data));
      backend.commitObject(bucket, key, blob, MultipartRules.md5().digest(data), ObjectMetadata.empty(), Map.of());
    }
    // A neighbour bucket whose keys must never show up.
    BlobWriter stray = backend.newBlob();
    backend.commitObject(bucket + "0", "a", stray, MultipartRules.md5().digest(), ObjectMetadata.empty(), Map.of());
    List<String> sorted = new ArrayList<>(keys);

    for (int q = 0; q < QUERIES_PER_SEED; q++) {
      String prefix = random.nextInt(3) == 0 ? "" : randomText(random, 2);
      String delimiter = switch (random.nextInt(4)) {
        case 0 -> "";
        case 1 -> "/";
        case 2 -> ALPHABET[random.nextInt(ALPHABET.length)];
        default -> randomText(random, 2);
      };
      // A start inside a rolled-up prefix is left out: S3 documents no answer for it.
      String startAfter = delimiter.isEmpty() && random.nextBoolean() ? randomText(random, 4) : "";
      int maxKeys = new int[] {1, 2, 3, 7, 1000}[random.nextInt(5)];
      String query = "seed " + seed + " query " + q + ": prefix=" + prefix + " delimiter=" + delimiter
          + " start-after=" + startAfter + " max-keys=" + maxKeys;
      assertThat(pages(bucket, prefix, delimiter, startAfter, maxKeys)).as(query)
          .containsExactlyElementsOf(ListingModel.entries(sorted, prefix, delimiter, startAfter));
    }
    List<String> whole = backend.list(bucket, new ListQuery("", "", "", 1000)).contents().stream()
        .map(ObjectSummary::key).toList();
    assertThat(whole).containsExactlyElementsOf(sorted);
  }
}

package dev.canopy.storage.kv.engine;

import dev.canopy.storage.backend.KeyOrder;
import dev.canopy.storage.kv.FetchResult;
import dev.canopy.storage.kv.KeyPage;
import dev.canopy.storage.kv.KeyPage.ListedKey;
import dev.canopy.storage.kv.causality.CausalObject;
import dev.canopy.storage.kv.causality.CausalObjectCodec;
import dev.canopy.storage.kv.engine.Message.Listed;
import dev.canopy.storage.kv.engine.Message.RangeReply;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * A listing's replica answers made into one page: a k-way merge of the sorted answers by key,
 * each key's records reconciled as a GET reconciles them ({@link Reconcile}), keys whose merge is
 * only tombstones dropped. Records are decoded only as far as the page reaches.
 *
 * <p>An answer that stopped early ({@code more}) says nothing of keys past its last one: a key
 * there may be live on that replica and deleted, or absent, on the other. The page therefore ends
 * at the smallest such last key (its {@code resumeAfter}, truncated), and the next page starts
 * there, so no key is skipped and none is shown on the word of fewer replicas than asked.
 */
final class PageMerge {

  private PageMerge() {}

  /** One answer being read in order. */
  private static final class Cursor {
    private final List<Listed> records;
    private int next;

    Cursor(List<Listed> records) {
      this.records = records;
    }

    Listed head() {
      return records.get(next);
    }

    boolean advance() {
      return ++next < records.size();
    }
  }

  static KeyPage page(List<RangeReply> answers, int limit, boolean allowMult) {
    String boundary = boundary(answers);
    PriorityQueue<Cursor> heads =
        new PriorityQueue<>(Comparator.comparing((Cursor c) -> c.head().key(), KeyOrder.COMPARATOR));
    for (RangeReply answer : answers) {
      if (!answer.records().isEmpty()) {
        heads.add(new Cursor(answer.records()));
      }
    }
    List<ListedKey> page = new ArrayList<>();
    String examined = null;
    while (!heads.isEmpty()) {
      String key = heads.peek().head().key();
      if (boundary != null && KeyOrder.compare(key, boundary) > 0) {
        break;
      }
      List<CausalObject> replicas = new ArrayList<>();
      while (!heads.isEmpty() && heads.peek().head().key().equals(key)) {
        Cursor cursor = heads.poll();
        replicas.add(CausalObjectCodec.decode(cursor.head().object()));
        if (cursor.advance()) {
          heads.add(cursor);
        }
      }
      FetchResult object = Reconcile.answer(Reconcile.merge(replicas, allowMult), allowMult);
      if (object.found()) {
        if (page.size() == limit) {
          // A live key past a full page: the next page starts right after this one's last key.
          return new KeyPage(page, true, page.get(page.size() - 1).key());
        }
        page.add(new ListedKey(key, object));
      }
      examined = key;
    }
    return boundary != null ? new KeyPage(page, true, boundary) : new KeyPage(page, false, examined);
  }

  /** The smallest last key among the answers that stopped early; null when none did. */
  private static String boundary(List<RangeReply> answers) {
    String boundary = null;
    for (RangeReply answer : answers) {
      if (answer.more() && !answer.records().isEmpty()) {
        String last = answer.records().get(answer.records().size() - 1).key();
        boundary = boundary == null || KeyOrder.compare(last, boundary) < 0 ? last : boundary;
      }
    }
    return boundary;
  }
}

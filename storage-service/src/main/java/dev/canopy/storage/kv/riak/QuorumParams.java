package dev.canopy.storage.kv.riak;

import dev.canopy.storage.kv.InvalidRequestException;
import dev.canopy.storage.kv.Quorum;
import dev.canopy.storage.kv.ReadOptions;
import dev.canopy.storage.kv.WriteOptions;

/**
 * The quorum query parameters of an object request ({@code r pr w dw pw rw}), checked as Riak
 * checks them: every one present must be a number or a word, whatever the method, or the request
 * is a 400 naming the parameter. Whether a value fits the bucket's n_val is the store's to say.
 */
final class QuorumParams {

  private QuorumParams() {}

  static ReadOptions read(RiakExchange ex) {
    checkAll(ex);
    return new ReadOptions(quorum(ex, "r"), quorum(ex, "pr"));
  }

  static WriteOptions write(RiakExchange ex) {
    checkAll(ex);
    String returnBody = ex.param("returnbody");
    return new WriteOptions(quorum(ex, "w"), quorum(ex, "dw"), quorum(ex, "pw"), "true".equals(returnBody));
  }

  private static void checkAll(RiakExchange ex) {
    for (String name : new String[] {"r", "w", "dw", "rw", "pw", "pr"}) {
      quorum(ex, name);
    }
  }

  private static Quorum quorum(RiakExchange ex, String name) {
    String value = ex.param(name);
    if (value == null) {
      return Quorum.DEFAULT;
    }
    try {
      return Quorum.parse(value);
    } catch (InvalidRequestException e) {
      throw RiakProblem.badRequest(name + " query parameter must be an integer or one of the following words: "
          + "'one', 'quorum' or 'all'\n");
    }
  }
}

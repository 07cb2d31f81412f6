package dev.canopy.cloud.grid;

/**
 * Where durable tables come from: the grid in a running controller, or the store itself where no
 * grid runs yet ({@link StoreTables}, for creating a cloud). Both keep a record as the same JSON
 * under the same key, in a store namespace named after the table.
 */
public interface TableSource {

  <T> Table<T> map(String name, Class<T> type);
}

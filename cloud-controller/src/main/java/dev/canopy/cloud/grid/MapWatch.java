package dev.canopy.cloud.grid;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryLoadedListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import java.util.UUID;
import java.util.function.BiConsumer;

/**
 * The listener behind {@link Table#watch} on grid maps: every member's change of any key, with its
 * new stored text (null when removed). Hazelcast delivers events for one key in order, on its event
 * threads, after the write; a listener that throws loses only its own call.
 */
public final class MapWatch implements EntryAddedListener<String, String>, EntryUpdatedListener<String, String>,
    EntryRemovedListener<String, String>, EntryLoadedListener<String, String> {

  private final BiConsumer<String, String> onChange;

  private MapWatch(BiConsumer<String, String> onChange) {
    this.onChange = onChange;
  }

  /** @return removes the listener */
  public static AutoCloseable on(IMap<String, String> map, BiConsumer<String, String> onChange) {
    UUID id = map.addEntryListener(new MapWatch(onChange), true);
    return () -> map.removeEntryListener(id);
  }

  @Override
  public void entryAdded(EntryEvent<String, String> event) {
    onChange.accept(event.getKey(), event.getValue());
  }

  @Override
  public void entryUpdated(EntryEvent<String, String> event) {
    onChange.accept(event.getKey(), event.getValue());
  }

  @Override
  public void entryLoaded(EntryEvent<String, String> event) {
    onChange.accept(event.getKey(), event.getValue());
  }

  @Override
  public void entryRemoved(EntryEvent<String, String> event) {
    onChange.accept(event.getKey(), null);
  }
}

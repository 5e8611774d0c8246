package io.flick.common;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A set of ids, each with the instant it was added, listed newest first (ties by id). Immutable:
 * every change returns a copy, so a change costs O(n) while a lookup by id is O(1) and a page O(log
 * n + limit). Pages are cut with an opaque cursor naming the last entry served, so adds and
 * removals between two pages neither repeat nor skip the entries that stay.
 *
 * <p>Only {@code entries} is serialized; the id index is rebuilt when read back.
 */
public final class Timeline implements CborSerializable {

  public record Entry(String id, Instant at) implements CborSerializable {
    public Entry {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(at, "at");
    }
  }

  /** One page of ids; {@code next} is the cursor of the following page, empty after the last. */
  public record Slice(List<String> ids, Optional<String> next) {}

  public static final Timeline EMPTY = new Timeline(List.of());

  private static final Comparator<Entry> NEWEST_FIRST =
      Comparator.comparing(Entry::at).reversed().thenComparing(Entry::id);

  @JsonProperty("entries")
  private final List<Entry> entries;

  @JsonIgnore private final transient Map<String, Instant> index;

  /** Entries in any order; when an id appears twice its newest entry is kept. */
  @JsonCreator
  public Timeline(@JsonProperty("entries") List<Entry> entries) {
    List<Entry> sorted = new ArrayList<>(entries == null ? List.of() : entries);
    sorted.sort(NEWEST_FIRST);
    Map<String, Instant> byId = new HashMap<>();
    List<Entry> unique = new ArrayList<>(sorted.size());
    for (Entry entry : sorted) {
      if (byId.putIfAbsent(entry.id(), entry.at()) == null) {
        unique.add(entry);
      }
    }
    this.entries = Collections.unmodifiableList(unique);
    this.index = byId;
  }

  private Timeline(List<Entry> sortedUnique, Map<String, Instant> index) {
    this.entries = Collections.unmodifiableList(sortedUnique);
    this.index = index;
  }

  /** Newest first. */
  public List<Entry> entries() {
    return entries;
  }

  public int size() {
    return entries.size();
  }

  public boolean contains(String id) {
    return index.containsKey(id);
  }

  /** When {@code id} was added, if it is here. */
  public Optional<Instant> since(String id) {
    return Optional.ofNullable(index.get(id));
  }

  /** A read-only view of the ids, in no particular order. */
  public Set<String> ids() {
    return Collections.unmodifiableSet(index.keySet());
  }

  /** This timeline with {@code id} added at {@code at}; itself when {@code id} is already here. */
  public Timeline with(String id, Instant at) {
    if (contains(id)) {
      return this;
    }
    Entry entry = new Entry(id, at);
    int found = Collections.binarySearch(entries, entry, NEWEST_FIRST);
    List<Entry> copy = new ArrayList<>(entries.size() + 1);
    copy.addAll(entries);
    copy.add(-(found + 1), entry);
    Map<String, Instant> byId = new HashMap<>(index);
    byId.put(id, at);
    return new Timeline(copy, byId);
  }

  /** This timeline without {@code id}; itself when {@code id} is not here. */
  public Timeline without(String id) {
    Instant at = index.get(id);
    if (at == null) {
      return this;
    }
    int found = Collections.binarySearch(entries, new Entry(id, at), NEWEST_FIRST);
    List<Entry> copy = new ArrayList<>(entries);
    copy.remove(found);
    Map<String, Instant> byId = new HashMap<>(index);
    byId.remove(id);
    return new Timeline(copy, byId);
  }

  /**
   * Up to {@code limit} ids, newest first, after the entry {@code cursor} names (from the start
   * when empty).
   *
   * @throws IllegalArgumentException when {@code cursor} is not one this class made, or {@code
   *     limit} is not positive
   */
  public Slice page(Optional<String> cursor, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1");
    }
    int from = 0;
    if (cursor != null && cursor.isPresent()) {
      int found = Collections.binarySearch(entries, decode(cursor.get()), NEWEST_FIRST);
      from = found >= 0 ? found + 1 : -(found + 1);
    }
    int to = (int) Math.min((long) from + limit, entries.size());
    List<String> ids = entries.subList(from, to).stream().map(Entry::id).toList();
    Optional<String> next =
        to < entries.size() && to > from
            ? Optional.of(encode(entries.get(to - 1)))
            : Optional.empty();
    return new Slice(ids, next);
  }

  private static String encode(Entry entry) {
    String plain = entry.at() + "\n" + entry.id();
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(plain.getBytes(StandardCharsets.UTF_8));
  }

  private static Entry decode(String cursor) {
    try {
      String plain = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      int cut = plain.indexOf('\n');
      if (cut > 0) {
        return new Entry(plain.substring(cut + 1), Instant.parse(plain.substring(0, cut)));
      }
    } catch (IllegalArgumentException | DateTimeParseException e) {
      // falls through to the refusal below
    }
    throw new IllegalArgumentException("'" + cursor + "' is not a valid cursor");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Timeline other && entries.equals(other.entries);
  }

  @Override
  public int hashCode() {
    return entries.hashCode();
  }

  @Override
  public String toString() {
    return "Timeline" + entries;
  }
}

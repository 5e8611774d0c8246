package io.flick.user;

import io.flick.common.CborSerializable;
import java.time.Instant;

/**
 * The account a user registered with; part of the snapshot state too. {@code displayName} is the
 * name the user shows beside the handle (null until set, and in snapshots taken before it).
 */
public record Account(
    String id, String handle, String region, Instant createdAt, String displayName)
    implements CborSerializable {
  public Account(String id, String handle, String region, Instant createdAt) {
    this(id, handle, region, createdAt, null);
  }

  Account withDisplayName(String name) {
    return new Account(id, handle, region, createdAt, name);
  }
}

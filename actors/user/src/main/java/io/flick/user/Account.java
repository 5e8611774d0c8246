package io.flick.user;

import io.flick.common.CborSerializable;
import java.time.Instant;

/** The account a user registered with; part of the snapshot state too. */
public record Account(String id, String handle, String region, Instant createdAt)
    implements CborSerializable {}

package io.flick.common;

/**
 * Marker for every message, event and state that may cross a node boundary or land in the journal.
 * Bound to Pekko's jackson-cbor serializer in this module's reference.conf; Java serialization
 * stays off.
 */
public interface CborSerializable {}

package org.rramlab.serialization;

/** Marker for messages, events and snapshots serialized with Jackson CBOR (bound in rramlab.conf). */
public interface CborSerializable {}

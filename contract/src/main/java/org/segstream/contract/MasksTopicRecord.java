package org.segstream.contract;

/**
 * A record of the masks topic: a {@link Mask}, a {@link ShedMarker} in place of a shed live frame, the
 * {@link StreamEnd} of a session, or, when reading, an {@link Unreadable} record that breaks the contract.
 */
public sealed interface MasksTopicRecord extends TopicValue permits Mask, ShedMarker, StreamEnd, Unreadable {
}

package org.segstream.contract;

/**
 * A record of the frames topic: a {@link Frame}, the {@link StreamEnd} of a session, or, when reading,
 * an {@link Unreadable} record that breaks the contract (so a consumer never fails on one).
 */
public sealed interface FramesTopicRecord extends TopicValue permits Frame, StreamEnd, Unreadable {
}

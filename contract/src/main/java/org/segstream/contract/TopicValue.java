package org.segstream.contract;

/**
 * The value of a record on one of segstream's topics, as its Serde reads and writes it (headers and
 * value together): see {@link Topics} for which topic carries which.
 */
public sealed interface TopicValue permits FramesTopicRecord, MasksTopicRecord, FrameStats, DeadLetter {
}

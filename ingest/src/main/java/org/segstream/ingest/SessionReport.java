package org.segstream.ingest;

/**
 * One session of a source, as ingest saw it: its id, what it read ({@code source}: a folder's file
 * name, or the source's location with credentials masked), when it started and ended (epoch ms),
 * how many frames it sent, and why it ended ({@code ended}: "end of input", "stopped", or the error).
 */
public record SessionReport(String id, String source, long startedMs, long endedMs, long frames, String ended) {
    public static final String END_OF_INPUT = "end of input";
    public static final String STOPPED = "stopped";
}

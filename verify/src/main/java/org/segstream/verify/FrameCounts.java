package org.segstream.verify;

import java.util.HashSet;
import java.util.Set;

/** The frames in, by kind, and those with neither a mask, a dead letter nor a shed marker; the sessions seen. */
final class FrameCounts {
    long file;
    long live;
    long unidentified;
    long missingFile;
    long missingLive;
    long missingUnidentified;
    final Set<String> sessions = new HashSet<>();
}

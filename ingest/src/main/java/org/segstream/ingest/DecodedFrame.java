package org.segstream.ingest;

import org.segstream.contract.BgrImage;

/** One decoded frame, its pixels copied out of the decoder's reused buffer. */
public record DecodedFrame(BgrImage image, long ptsMicros) {
}

package org.segstream.scenes.street;

import org.segstream.contract.BgrImage;
import org.segstream.contract.ClassMap;

/**
 * One rendered frame and its ground truth: {@code labels} holds the VOC class of every pixel of
 * {@code image}, aligned exactly. {@code index} counts frames from 0 in render order.
 */
public record LabelledFrame(int index, BgrImage image, ClassMap labels) {
}

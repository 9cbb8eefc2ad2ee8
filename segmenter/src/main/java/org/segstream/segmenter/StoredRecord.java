package org.segstream.segmenter;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.segstream.contract.Frame;
import org.segstream.contract.FramesTopicRecord;
import org.segstream.contract.Topics;
import org.segstream.contract.Unreadable;

/**
 * A frames-topic record as the segmenter holds it until its mask has been forwarded (source position, timestamp,
 * key, headers, value), kept as it came so that the masks and dead letters made from it carry the frame's own
 * headers. The pending-frames store keeps only the position now ({@link PendingPosition}) and a restart reads the
 * record again ({@link FrameReader}, then {@link #read}); {@link #encode}/{@link #decode} remain for entries that
 * earlier versions wrote whole.
 */
record StoredRecord(int partition, long offset, long timestamp, String key, Headers headers, byte[] value) {

    private static final int FORMAT = 1;

    /** Whether a pending-frames store entry is a whole record (as versions before positions-only entries wrote). */
    static boolean isWholeRecord(byte[] entry) {
        return entry != null && entry.length > 0 && entry[0] == FORMAT;
    }

    StoredRecord withValue(byte[] newValue) {
        return new StoredRecord(partition, offset, timestamp, key, headers, newValue);
    }

    /** The value bytes of a frames-topic record as it came: a frame's image, an unreadable record's value; an end record's is empty. */
    static byte[] valueOf(FramesTopicRecord record) {
        if (record instanceof Frame frame) {
            return frame.image();
        }
        if (record instanceof Unreadable unreadable && unreadable.value() != null) {
            return unreadable.value();
        }
        return new byte[0];
    }

    /** The record read again through the frames topic's Serde (after a restart, from the frames topic or an old store entry). */
    FramesTopicRecord read() {
        return Topics.FRAMES.valueSerde().deserializer().deserialize(Topics.FRAMES.name(), headers, value);
    }

    byte[] encode() {
        try (var bytes = new ByteArrayOutputStream(value.length + 512); var out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT);
            out.writeInt(partition);
            out.writeLong(offset);
            out.writeLong(timestamp);
            writeBytes(out, key == null ? null : key.getBytes(StandardCharsets.UTF_8));
            Header[] all = headers.toArray();
            out.writeInt(all.length);
            for (Header h : all) {
                writeBytes(out, h.key().getBytes(StandardCharsets.UTF_8));
                writeBytes(out, h.value());
            }
            writeBytes(out, value);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static StoredRecord decode(byte[] data) {
        try (var in = new DataInputStream(new java.io.ByteArrayInputStream(data))) {
            int format = in.readByte();
            if (format != FORMAT) {
                throw new IllegalStateException("pending-frames store entry has format " + format + ", expected " + FORMAT);
            }
            int partition = in.readInt();
            long offset = in.readLong();
            long timestamp = in.readLong();
            byte[] key = readBytes(in);
            int count = in.readInt();
            var headers = new RecordHeaders();
            for (int i = 0; i < count; i++) {
                headers.add(new String(readBytes(in), StandardCharsets.UTF_8), readBytes(in));
            }
            byte[] value = readBytes(in);
            return new StoredRecord(partition, offset, timestamp, key == null ? null : new String(key, StandardCharsets.UTF_8),
                    headers, value == null ? new byte[0] : value);
        } catch (IOException e) {
            throw new UncheckedIOException("corrupt pending-frames store entry", e);
        }
    }

    private static void writeBytes(DataOutputStream out, byte[] data) throws IOException {
        if (data == null) {
            out.writeInt(-1);
        } else {
            out.writeInt(data.length);
            out.write(data);
        }
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        int length = in.readInt();
        return length < 0 ? null : in.readNBytes(length);
    }
}

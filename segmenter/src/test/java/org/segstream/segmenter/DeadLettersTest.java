package org.segstream.segmenter;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.segstream.contract.HeaderNames;
import org.segstream.contract.Topics;

class DeadLettersTest {

    @Test
    void headerValuesAreCutOnACharacterBoundary() {
        byte[] value = ("ab" + "é".repeat(10)).getBytes(StandardCharsets.UTF_8); // é is two bytes
        assertArrayEquals("abéé".getBytes(StandardCharsets.UTF_8), DeadLetters.cutUtf8(value, 7));
        assertArrayEquals("abééé".getBytes(StandardCharsets.UTF_8), DeadLetters.cutUtf8(value, 8));
    }

    @Test
    void aHugeKeyIsShortenedAndTheReasonIsOneBoundedLine() {
        var headers = new RecordHeaders();
        headers.add(HeaderNames.ERROR, "an error the record brought along".getBytes(StandardCharsets.UTF_8));
        var in = new StoredRecord(3, 42, 1L, "k".repeat(100_000), headers, new byte[] {1});
        var letter = DeadLetters.of(in, "reason with a\nnewline " + "x".repeat(5_000));
        var wire = letter.headers();
        Topics.DEAD_LETTERS.valueSerde().serializer().serialize(Topics.DEAD_LETTERS.name(), wire, letter.value());

        assertTrue(letter.key().length() < 300, letter.key().length() + " characters");
        String error = new String(wire.lastHeader(HeaderNames.ERROR).value(), StandardCharsets.UTF_8);
        assertTrue(error.startsWith("reason with a\\nnewline xxx"), error);
        assertTrue(error.length() < DeadLetters.MAX_REASON_CHARS + 40, error.length() + " characters");
        assertEquals(1, wire.toArray().length - 2, "the record's own segstream.error is replaced, not kept");
        assertEquals("3", new String(wire.lastHeader(HeaderNames.FRAME_PARTITION).value(), StandardCharsets.UTF_8));
    }
}

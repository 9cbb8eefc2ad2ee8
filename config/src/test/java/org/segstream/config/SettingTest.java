package org.segstream.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class SettingTest {

    private static String refusal(Setting<?> setting, String value) {
        return assertThrows(ConfigException.class, () -> setting.parse(value)).getMessage();
    }

    @Test
    void absentOrBlankGivesTheDefault() {
        var batch = Setting.wholeNumber("SEGSTREAM_BATCH_SIZE", 4, 1, 256);
        assertEquals(4, batch.parse(null));
        assertEquals(4, batch.parse("  "));
        assertNull(Setting.text("X", null).parse(""));
    }

    @Test
    void aGivenValueWinsOverTheDefaultAndIsTrimmed() {
        assertEquals(8, Setting.wholeNumber("SEGSTREAM_BATCH_SIZE", 4, 1, 256).parse(" 8 "));
        assertEquals(-1L, Setting.longNumber("R", 3_600_000L, -1, Long.MAX_VALUE).parse("-1"));
        assertEquals(0.25, Setting.number("O", 0.5, 0, 1).parse("0.25"));
        assertEquals(Path.of("/data/out"), Setting.path("P", Path.of("out")).parse("/data/out"));
        assertEquals("cuda", Setting.oneOf("D", "auto", "auto", "cpu", "cuda").parse("cuda"));
        assertEquals(-1, Setting.port("SEGSTREAM_LIVE_PORT", 8080).parse("-1"));
    }

    @Test
    void aWholeNumberRefusedNamesTheVariableTheValueAndTheRange() {
        var batch = Setting.wholeNumber("SEGSTREAM_BATCH_SIZE", 4, 1, 256);
        assertEquals("SEGSTREAM_BATCH_SIZE is 'four', expected a whole number from 1 to 256", refusal(batch, "four"));
        assertEquals("SEGSTREAM_BATCH_SIZE is '0', expected a whole number from 1 to 256", refusal(batch, "0"));
        assertEquals("SEGSTREAM_BATCH_SIZE is '99999999999', expected a whole number from 1 to 256", refusal(batch, "99999999999"));
        assertEquals("N is '2.5', expected a whole number above 0", refusal(Setting.wholeNumber("N", 1, 1, Integer.MAX_VALUE), "2.5"));
        assertEquals("M is '-2', expected a whole number of at least -1",
                refusal(Setting.longNumber("M", 1L, -1, Long.MAX_VALUE), "-2"));
    }

    @Test
    void numbersPortsAndChoicesRefusedTheSameWay() {
        assertEquals("O is '1.5', expected a number from 0 to 1", refusal(Setting.number("O", 0.5, 0, 1), "1.5"));
        assertEquals("O is 'NaN', expected a number from 0 to 1", refusal(Setting.number("O", 0.5, 0, 1), "NaN"));
        assertEquals("H is '0', expected a number above 0", refusal(Setting.positiveNumber("H", null), "0"));
        assertEquals("H is 'Infinity', expected a number above 0", refusal(Setting.positiveNumber("H", null), "Infinity"));
        assertEquals("SEGSTREAM_LIVE_PORT is '70000', expected a port number from 0 to 65535 (-1: off)",
                refusal(Setting.port("SEGSTREAM_LIVE_PORT", 8080), "70000"));
        assertEquals("D is 'gpu', expected one of auto, cpu, cuda", refusal(Setting.oneOf("D", "auto", "auto", "cpu", "cuda"), "gpu"));
    }

    @Test
    void flagsTakeTrueFalseYesNoOneZero() {
        var flag = Setting.flag("SEGSTREAM_WRITE_MASKS", false);
        for (String yes : new String[] {"true", "TRUE", "yes", "1"}) {
            assertTrue(flag.parse(yes), yes);
        }
        for (String no : new String[] {"false", "No", "0"}) {
            assertFalse(flag.parse(no), no);
        }
        assertEquals("SEGSTREAM_WRITE_MASKS is 'maybe', expected true or false", refusal(flag, "maybe"));
    }

    @Test
    void pixelsAreANumberOrASize() {
        var pixels = Setting.pixels("SEGSTREAM_MAX_FRAME_PIXELS", 3840L * 2160);
        assertEquals(1920L * 1080, pixels.parse("1920x1080"));
        assertEquals(1000L, pixels.parse("1000"));
        assertEquals("SEGSTREAM_MAX_FRAME_PIXELS is '4k', expected a number of pixels or WxH (e.g. 3840x2160)", refusal(pixels, "4k"));
        assertEquals("SEGSTREAM_MAX_FRAME_PIXELS is '0x5', expected a number of pixels or WxH (e.g. 3840x2160)", refusal(pixels, "0x5"));
    }

    @Test
    void aCheckOfItsOwnIsRefusedTheSameWayAndASecretIsNeverRepeated() {
        var size = Setting.of("SEGSTREAM_MODEL_INPUT", "native", "native or WxH", text -> {
            throw new IllegalArgumentException("width 0 is too small");
        });
        assertEquals("SEGSTREAM_MODEL_INPUT is '0x10', expected native or WxH", refusal(size, "0x10"));
        var password = new Setting<>("SEGSTREAM_LIVE_PASSWORD", "a password without ':'", null,
                text -> text.contains(":") ? null : text, true);
        String message = refusal(password, "hunter:2");
        assertEquals("SEGSTREAM_LIVE_PASSWORD is (hidden), expected a password without ':'", message);
    }

    @Test
    void aLongOrControlCharacterValueIsCutToOneLine() {
        String message = refusal(Setting.wholeNumber("N", 1, 1, 9), "x".repeat(500) + "\n");
        assertTrue(message.length() < 160, message);
        assertFalse(message.contains("\n"), message);
        assertTrue(refusal(Setting.wholeNumber("N", 1, 1, 9), "1\n2").contains("1\\u000a2"));
    }
}

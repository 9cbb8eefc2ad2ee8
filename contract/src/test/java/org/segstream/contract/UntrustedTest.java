package org.segstream.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class UntrustedTest {
    @Test
    void controlCharactersAreEscapedSoALineCannotBeForged() {
        assertEquals("cam\\n12:00:00 INFO forged\\u0000", Untrusted.echo("cam\n12:00:00 INFO forged\u0000"));
        assertEquals("(null)", Untrusted.echo(null));
        assertEquals("café ok", Untrusted.echo("café ok"));
    }

    @Test
    void longValuesAreCutAndSaySo() {
        String echoed = Untrusted.echo("9".repeat(4_800_000));
        assertTrue(echoed.length() < 250, echoed.length() + " characters");
        assertTrue(echoed.endsWith("… (4800000 characters)"), echoed);
    }
}

package org.segstream.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

class SkipLogTest {
    @Test
    void aFloodOfOneReasonLogsTenLinesAMinuteThenHowManyMore() {
        List<String> lines = new ArrayList<>();
        Logger logger = (Logger) Proxy.newProxyInstance(Logger.class.getClassLoader(), new Class<?>[] {Logger.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("warn")) {
                        lines.add(args.length == 1 ? (String) args[0] : String.format(((String) args[0]).replace("{}", "%s"),
                                java.util.Arrays.copyOfRange(args, 1, args.length)));
                    }
                    return method.getReturnType() == boolean.class ? Boolean.TRUE : null;
                });
        var clock = new AtomicLong();
        var skipLog = new SkipLog(logger, clock::get);
        for (int i = 0; i < 2000; i++) {
            skipLog.skipped(SkipReason.TOO_MANY_STREAMS, "line " + i);
        }
        skipLog.skipped(SkipReason.INVALID, "another reason has its own budget");
        assertEquals(11, lines.size());
        clock.addAndGet(SkipLog.WINDOW.toNanos());
        skipLog.flush();
        assertEquals(12, lines.size());
        assertTrue(lines.get(11).contains("1990 more record(s) skipped as too_many_streams"), lines.get(11));
        skipLog.skipped(SkipReason.TOO_MANY_STREAMS, "a new minute");
        assertEquals("a new minute", lines.get(12));
    }
}

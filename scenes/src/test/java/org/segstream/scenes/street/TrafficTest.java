package org.segstream.scenes.street;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TrafficTest {

    @Test
    void vehiclesInOneLaneNeverOverlapAndEveryoneComesAndGoes() {
        var traffic = new Traffic(3, 16 / 9.0, 1 / 25.0);
        Set<Integer> first = ids(traffic.actors());
        Set<Integer> seen = new HashSet<>(first);
        for (int step = 0; step < 25 * 60; step++) {
            traffic.step(1 / 25.0);
            List<Actor> actors = traffic.actors();
            seen.addAll(ids(actors));
            for (Actor a : actors) {
                for (Actor b : actors) {
                    if (a != b && a.stream == b.stream && a.kind != Kind.PERSON && a.kind != Kind.DOG) {
                        double gap = Math.abs(a.x - b.x) - (a.length() + b.length()) / 2;
                        assertTrue(gap > 0.9, a.kind + " " + a.id + " and " + b.kind + " " + b.id + " overlap by " + -gap);
                    }
                }
                assertTrue(a.speed >= 0 && a.speed <= a.cruise + 1e-9, "speed " + a.speed);
            }
        }
        Set<Integer> still = ids(traffic.actors());
        still.retainAll(first);
        assertTrue(still.isEmpty(), "everyone from the start has left after a minute: " + still);
        assertTrue(seen.size() > first.size() + 60, "new objects keep arriving: " + seen.size());
    }

    private static Set<Integer> ids(List<Actor> actors) {
        Set<Integer> ids = new HashSet<>();
        for (Actor a : new ArrayList<>(actors)) {
            ids.add(a.id);
        }
        return ids;
    }
}

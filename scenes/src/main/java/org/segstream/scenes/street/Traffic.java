package org.segstream.scenes.street;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Who is in the street, and how they move: vehicles along lanes (keeping their distance), bicycles
 * along the road edges, people and dogs on the pavements in both directions. Objects enter just
 * outside the view at random (a seeded Poisson process per stream) and leave on the other side.
 *
 * <p>Works in metres and seconds, so the same seed gives the same traffic at any frame size with the
 * same aspect ratio. It starts {@link #WARM_UP_SECONDS} into the simulation so the first frame
 * already shows a street in use. Uses only its own random generator.
 */
final class Traffic {
    static final double WARM_UP_SECONDS = 40;

    /** Where objects of some kinds enter, how often, and whether they queue behind each other (lanes). */
    private record Stream(double groundMin, double groundMax, int direction, double perSecond, List<Kind> kinds,
                          double[] weights, boolean lane) {
    }

    private static final List<Stream> STREAMS = streams();

    private static List<Stream> streams() {
        List<Kind> walkers = List.of(Kind.PERSON, Kind.DOG);
        double[] walkerWeights = {0.9, 0.1};
        List<Kind> vehicles = List.of(Kind.CAR, Kind.BUS, Kind.MOTORBIKE);
        double[] vehicleWeights = {0.64, 0.06, 0.3};
        List<Stream> streams = new ArrayList<>();
        streams.add(new Stream(StreetLayout.FAR_WALK_MIN, StreetLayout.FAR_WALK_MAX, 0, 0.3, walkers, walkerWeights, false));
        streams.add(new Stream(StreetLayout.FAR_CYCLE - 0.006, StreetLayout.FAR_CYCLE + 0.006, -1, 0.22,
                List.of(Kind.BICYCLE), new double[] {1}, true));
        for (int i = 0; i < StreetLayout.LANES.length; i++) {
            double g = StreetLayout.LANES[i];
            streams.add(new Stream(g - 0.007, g + 0.007, i < 2 ? -1 : 1, 0.26, vehicles, vehicleWeights, true));
        }
        streams.add(new Stream(StreetLayout.NEAR_CYCLE - 0.006, StreetLayout.NEAR_CYCLE + 0.006, 1, 0.22,
                List.of(Kind.BICYCLE), new double[] {1}, true));
        streams.add(new Stream(StreetLayout.NEAR_WALK_MIN, StreetLayout.NEAR_WALK_MAX, 0, 0.22, walkers, walkerWeights,
                false));
        return List.copyOf(streams);
    }

    /**
     * Longest time, in seconds, without a new object of a kind: after that the next free entry that
     * carries the kind gets one, so every class shows up in any few seconds of video, whatever the dice say.
     */
    private static double maxGap(Kind kind) {
        return switch (kind) {
            case PERSON, CAR -> 4;
            case BICYCLE, MOTORBIKE -> 7;
            case DOG -> 9;
            case BUS -> 9;
        };
    }

    private static final double MIN_GAP_METRES = 1.0;
    private static final Comparator<Actor> LEADER_FIRST =
            Comparator.comparingDouble(Actor::progress).reversed().thenComparingInt(a -> a.id);

    private final SplittableRandom random;
    private final double aspect;
    private final List<Actor> actors = new ArrayList<>();
    private final double[] lastSpawn = new double[Kind.values().length];
    private double time;
    private int nextId;

    /** @param aspect width / height of the view */
    Traffic(long seed, double aspect, double stepSeconds) {
        this.random = new SplittableRandom(seed);
        this.aspect = aspect;
        for (long steps = Math.round(WARM_UP_SECONDS / stepSeconds); steps > 0; steps--) {
            step(stepSeconds);
        }
    }

    /** The objects in the street, in the order they entered. */
    List<Actor> actors() {
        return Collections.unmodifiableList(actors);
    }

    void step(double dt) {
        time += dt;
        move(dt);
        actors.removeIf(a -> a.progress() > StreetLayout.halfSpan(a.ground, aspect) + a.length() / 2 + 1);
        for (int s = 0; s < STREAMS.size(); s++) {
            spawn(s, dt);
        }
    }

    private void move(double dt) {
        for (int s = 0; s < STREAMS.size(); s++) {
            Stream stream = STREAMS.get(s);
            List<Actor> members = inStream(s);
            if (stream.lane()) {
                members.sort(LEADER_FIRST);
            }
            Actor leader = null;
            for (Actor a : members) {
                double target = a.cruise;
                if (leader != null) {
                    // keep a gap of 2 m plus 1.2 s of travel: slower when closer, never faster than cruising
                    double gap = leader.progress() - a.progress() - (leader.length() + a.length()) / 2;
                    double safe = 2.0 + 1.2 * a.speed;
                    target = Math.max(0, Math.min(target, leader.speed + 0.5 * (gap - safe)));
                }
                a.speed += Math.max(-6 * dt, Math.min(2.5 * dt, target - a.speed));
                a.x += a.direction * a.speed * dt;
                if (leader != null) {
                    double limit = leader.progress() - (leader.length() + a.length()) / 2 - MIN_GAP_METRES;
                    if (a.progress() > limit) {
                        a.x = a.direction * limit;
                        a.speed = Math.min(a.speed, leader.speed);
                    }
                }
                a.phase += a.speed * dt / a.sprite.cycleLength();
                if (stream.lane()) {
                    leader = a;
                }
            }
        }
    }

    private List<Actor> inStream(int s) {
        List<Actor> members = new ArrayList<>();
        for (Actor a : actors) {
            if (a.stream == s) {
                members.add(a);
            }
        }
        return members;
    }

    private void spawn(int s, double dt) {
        Stream stream = STREAMS.get(s);
        boolean arrival = random.nextDouble() < 1 - Math.exp(-stream.perSecond() * dt);
        Kind overdue = mostOverdue(stream);
        if (!arrival && overdue == null) {
            return;
        }
        Kind kind = overdue != null ? overdue : pick(stream);
        int direction = stream.direction() != 0 ? stream.direction() : (random.nextBoolean() ? 1 : -1);
        double ground = stream.groundMin() + (stream.groundMax() - stream.groundMin()) * random.nextDouble();
        Sprite sprite = kind.design(random);
        double speed = kind.randomSpeed(random);
        double entry = StreetLayout.halfSpan(ground, aspect) + sprite.length() / 2 + 0.3;
        if (stream.lane() && !entryFree(s, entry, sprite.length())) {
            return; // the lane is backed up to the edge of the view: this one does not come
        }
        add(kind, sprite, s, ground, direction, speed, -direction * entry);
        if (kind == Kind.PERSON && random.nextDouble() < 0.2) {
            // someone walking a dog: the dog trots a little ahead at the same pace, just nearer or further
            double side = (random.nextBoolean() ? 1 : -1) * 0.006;
            double dogGround = Math.max(stream.groundMin(), Math.min(stream.groundMax(), ground + side));
            double ahead = 0.8 + 0.5 * random.nextDouble();
            add(Kind.DOG, Kind.DOG.design(random), s, dogGround, direction, speed, -direction * (entry - ahead));
        }
    }

    private void add(Kind kind, Sprite sprite, int stream, double ground, int direction, double speed, double x) {
        actors.add(new Actor(nextId++, kind, sprite, stream, ground, direction, speed, x));
        lastSpawn[kind.ordinal()] = time;
    }

    /** Whether the last object that entered lane {@code s} has moved far enough in for another to follow. */
    private boolean entryFree(int s, double entry, double length) {
        for (Actor a : actors) {
            if (a.stream == s && a.progress() - a.length() / 2 - (-entry + length / 2) < 3.0) {
                return false;
            }
        }
        return true;
    }

    private Kind mostOverdue(Stream stream) {
        Kind most = null;
        double worst = 1;
        for (Kind k : stream.kinds()) {
            double late = (time - lastSpawn[k.ordinal()]) / maxGap(k);
            if (late > worst) {
                worst = late;
                most = k;
            }
        }
        return most;
    }

    private Kind pick(Stream stream) {
        double total = 0;
        for (double w : stream.weights()) {
            total += w;
        }
        double u = random.nextDouble() * total;
        for (int i = 0; i < stream.weights().length; i++) {
            u -= stream.weights()[i];
            if (u < 0) {
                return stream.kinds().get(i);
            }
        }
        return stream.kinds().get(stream.kinds().size() - 1);
    }
}

package org.segstream.scenes.street;

import java.util.SplittableRandom;

/** The moving things of the street, with their VOC class and how fast they go. */
enum Kind {
    PERSON(15, 0.9, 1.7, 0.5),
    DOG(12, 1.0, 2.0, 0.3),
    CAR(7, 6.0, 12.0, 1.8),
    BUS(6, 5.0, 9.0, 2.5),
    BICYCLE(2, 3.5, 6.5, 0.5),
    MOTORBIKE(14, 7.0, 13.0, 0.8);

    /** Index in {@link org.segstream.contract.VocClasses#NAMES}. */
    final int vocClass;
    final double minSpeed;
    final double maxSpeed;
    /** Width across the direction of travel, metres: the depth of its shadow on the ground. */
    final double breadth;

    Kind(int vocClass, double minSpeed, double maxSpeed, double breadth) {
        this.vocClass = vocClass;
        this.minSpeed = minSpeed;
        this.maxSpeed = maxSpeed;
        this.breadth = breadth;
    }

    /** A new individual of this kind: its shape, size and colours. */
    Sprite design(SplittableRandom random) {
        return switch (this) {
            case PERSON -> PersonSprite.random(random);
            case DOG -> DogSprite.random(random);
            case CAR -> CarSprite.random(random);
            case BUS -> BusSprite.random(random);
            case BICYCLE -> BicycleSprite.random(random);
            case MOTORBIKE -> MotorbikeSprite.random(random);
        };
    }

    double randomSpeed(SplittableRandom random) {
        return minSpeed + (maxSpeed - minSpeed) * random.nextDouble();
    }
}

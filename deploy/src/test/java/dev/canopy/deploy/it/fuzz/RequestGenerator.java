package dev.canopy.deploy.it.fuzz;

import java.util.random.RandomGenerator;

/** Makes malformed requests for one API; all randomness comes from the generator given. */
interface RequestGenerator {

  FuzzRequest next(RandomGenerator random);
}

package io.flick.feed.eval;

/**
 * One line of an interaction file: {@code user} engaged with {@code item}. {@code weight > 0} is a
 * positive engagement of that strength (1 = a plain view), {@code weight <= 0} a skip; {@code
 * timestamp} orders a file's interactions in time (epoch ms, or the line's position when the file
 * has none).
 */
public record Interaction(String userId, String itemId, double weight, long timestamp) {

  public boolean positive() {
    return weight > 0;
  }
}

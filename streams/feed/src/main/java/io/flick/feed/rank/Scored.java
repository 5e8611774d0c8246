package io.flick.feed.rank;

/** A video and the ranker's score for one viewer (higher = more likely to engage). */
public record Scored(String videoId, double score) {}

package io.flick.devinfra;

import java.nio.file.Path;

/**
 * Where the platform finds its backing services: the ones {@link DevInfra} started on 127.0.0.1, or
 * the external ones it was given.
 *
 * @param cassandraHost contact point host
 * @param cassandraPort native (CQL) port
 * @param cassandraDatacenter local datacenter name for the driver ("datacenter1")
 * @param kafkaBootstrap bootstrap servers, "host:port[,host:port...]"
 * @param s3Endpoint S3 API base URL, "http://host:port", path-style addressing
 * @param s3AccessKey access key id
 * @param s3SecretKey secret access key
 * @param s3Region signing region
 * @param redisHost Redis host
 * @param redisPort Redis port
 * @param ffmpeg the ffmpeg executable
 * @param ffprobe the ffprobe executable
 * @param searchUrl OpenSearch HTTP base URL, "http://host:port"
 */
public record Endpoints(
    String cassandraHost,
    int cassandraPort,
    String cassandraDatacenter,
    String kafkaBootstrap,
    String s3Endpoint,
    String s3AccessKey,
    String s3SecretKey,
    String s3Region,
    String redisHost,
    int redisPort,
    Path ffmpeg,
    Path ffprobe,
    String searchUrl) {

  /** "host:port" of the Cassandra contact point. */
  public String cassandraContactPoint() {
    return cassandraHost + ":" + cassandraPort;
  }

  /** "host:port" of Redis. */
  public String redisAddress() {
    return redisHost + ":" + redisPort;
  }
}

package io.flick.node.infra;

import com.typesafe.config.Config;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The S3 client and presigner of a node. Flick uses the AWS SDK v2 rather than pekko-connectors-s3:
 * only the SDK can presign (uploads go straight from the browser to S3), and the only connector
 * served here drags in a Pekko HTTP version that fails the mixed-versions check.
 */
public final class S3Storage implements AutoCloseable {
  public record Settings(
      String endpoint,
      String region,
      String accessKey,
      String secretKey,
      String bucket,
      boolean pathStyle,
      boolean createBucket) {
    public static Settings from(Config config) {
      Config c = config.getConfig("flick.s3");
      return new Settings(
          c.getString("endpoint"),
          c.getString("region"),
          c.getString("access-key"),
          c.getString("secret-key"),
          c.getString("bucket"),
          c.getBoolean("path-style"),
          c.getBoolean("create-bucket"));
    }
  }

  private final Settings settings;
  private final S3AsyncClient client;
  private final S3Presigner presigner;

  public S3Storage(Settings settings) {
    this.settings = settings;
    var credentials =
        StaticCredentialsProvider.create(
            AwsBasicCredentials.create(settings.accessKey(), settings.secretKey()));
    var s3Config = S3Configuration.builder().pathStyleAccessEnabled(settings.pathStyle()).build();
    this.client =
        S3AsyncClient.builder()
            .endpointOverride(URI.create(settings.endpoint()))
            .region(Region.of(settings.region()))
            .credentialsProvider(credentials)
            .serviceConfiguration(s3Config)
            .build();
    this.presigner =
        S3Presigner.builder()
            .endpointOverride(URI.create(settings.endpoint()))
            .region(Region.of(settings.region()))
            .credentialsProvider(credentials)
            .serviceConfiguration(s3Config)
            .build();
  }

  public S3AsyncClient client() {
    return client;
  }

  public S3Presigner presigner() {
    return presigner;
  }

  public String bucket() {
    return settings.bucket();
  }

  /** Completes when the bucket exists; creates it when allowed and missing. */
  public CompletionStage<Void> ensureBucket() {
    return client
        .headBucket(b -> b.bucket(settings.bucket()))
        .handle(
            (ok, error) -> {
              if (error == null) {
                return CompletableFuture.<Void>completedFuture(null);
              }
              Throwable cause = error.getCause() != null ? error.getCause() : error;
              boolean missing =
                  cause instanceof NoSuchBucketException
                      || (cause instanceof S3Exception s3 && s3.statusCode() == 404);
              if (missing && settings.createBucket()) {
                return client
                    .createBucket(b -> b.bucket(settings.bucket()))
                    .thenApply(created -> (Void) null);
              }
              return CompletableFuture.<Void>failedFuture(cause);
            })
        .thenCompose(stage -> stage);
  }

  /** For /ready: the bucket answers. */
  public CompletionStage<?> ping() {
    return client.headBucket(b -> b.bucket(settings.bucket()));
  }

  @Override
  public void close() {
    presigner.close();
    client.close();
  }
}

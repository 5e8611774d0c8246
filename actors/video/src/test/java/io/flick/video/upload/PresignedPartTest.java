package io.flick.video.upload;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Finding 2: a part's URL binds its length (Content-Length is a signed header), so storage refuses
 * a PUT of any other size. Against s3proxy a different length answers 403 SignatureDoesNotMatch.
 */
class PresignedPartTest {
  private final S3Presigner presigner =
      S3Presigner.builder()
          .endpointOverride(URI.create("http://127.0.0.1:9000"))
          .region(Region.US_EAST_1)
          .credentialsProvider(
              StaticCredentialsProvider.create(AwsBasicCredentials.create("key", "secret")))
          .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
          .build();

  @Test
  void aBoundPartSignsItsContentLength() {
    String url =
        UploadService.presignPart(
            presigner, "b", "videos/x/source", "up-1", 1, 1024, true, Duration.ofMinutes(5));
    assertThat(url).contains("X-Amz-SignedHeaders=content-length%3Bhost");
  }

  @Test
  void anUnboundPartSignsTheHostOnly() {
    String url =
        UploadService.presignPart(
            presigner, "b", "videos/x/source", "up-1", 1, 1024, false, Duration.ofMinutes(5));
    assertThat(url).contains("X-Amz-SignedHeaders=host");
  }
}

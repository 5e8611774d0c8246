package io.flick.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.japi.function.Function;
import org.junit.jupiter.api.Test;

/** Operators' calls need the token when one is set; other services' calls are not its business. */
class OperatorTokenTest {
  private static final Function<HttpRequest, CompletionStage<HttpResponse>> SERVICE =
      request ->
          CompletableFuture.completedFuture(HttpResponse.create().withStatus(StatusCodes.OK));

  private static int status(
      Function<HttpRequest, CompletionStage<HttpResponse>> handler, HttpRequest request)
      throws Exception {
    return handler.apply(request).toCompletableFuture().get().status().intValue();
  }

  @Test
  void aCallToTheGuardedServiceNeedsTheToken() throws Exception {
    var guarded = OperatorToken.guard(SERVICE, "flick.ops.OpsService", "s3cret");
    var call = HttpRequest.POST("/flick.ops.OpsService/Drain");
    assertThat(status(guarded, call)).isEqualTo(401);
    assertThat(status(guarded, call.addHeader(RawHeader.create(OperatorToken.HEADER, "wrong"))))
        .isEqualTo(401);
    assertThat(status(guarded, call.addHeader(RawHeader.create(OperatorToken.HEADER, "s3cret"))))
        .isEqualTo(200);
  }

  @Test
  void callsToOtherServicesPassThroughAndNoTokenMeansNoCheck() throws Exception {
    var guarded = OperatorToken.guard(SERVICE, "flick.ops.OpsService", "s3cret");
    assertThat(
            status(
                guarded,
                HttpRequest.POST("/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo")))
        .isEqualTo(200);
    var open = OperatorToken.guard(SERVICE, "flick.ops.OpsService", "");
    assertThat(status(open, HttpRequest.POST("/flick.ops.OpsService/Drain"))).isEqualTo(200);
  }
}

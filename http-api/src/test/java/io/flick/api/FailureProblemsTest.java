package io.flick.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.datastax.oss.driver.api.core.DriverTimeoutException;
import com.datastax.oss.driver.api.core.servererrors.WriteTimeoutException;
import com.datastax.oss.driver.api.core.servererrors.WriteType;
import org.junit.jupiter.api.Test;

/** Storage that does not answer in time is a retryable 503, never a 500. */
class FailureProblemsTest {
  @Test
  void cassandraTimeoutsAreUnavailableNotInternalErrors() {
    ConsistencyLevel one = DefaultConsistencyLevel.LOCAL_ONE;
    assertThat(
            HttpApi.toProblem(new WriteTimeoutException(null, one, 0, 1, WriteType.SIMPLE))
                .status())
        .isEqualTo(503);
    assertThat(HttpApi.toProblem(new DriverTimeoutException("query timed out")).status())
        .isEqualTo(503);
    assertThat(HttpApi.toProblem(new IllegalStateException("a bug")).status()).isEqualTo(500);
  }
}

package io.flick.api;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import org.apache.pekko.http.javadsl.marshallers.jackson.Jackson;
import org.apache.pekko.http.javadsl.marshalling.Marshaller;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.RequestEntity;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;

/** The one JSON mapping of the public API: ISO-8601 times, unknown fields ignored. */
public final class Json {
  public static final ObjectMapper MAPPER =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .registerModule(new Jdk8Module())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  public static final ContentType PROBLEM_JSON =
      MediaTypes.applicationWithFixedCharset(
              "problem+json", org.apache.pekko.http.javadsl.model.HttpCharsets.UTF_8)
          .toContentType();

  private Json() {}

  public static <T> Marshaller<T, RequestEntity> marshaller() {
    return Jackson.marshaller(MAPPER);
  }

  public static <T> Unmarshaller<HttpEntity, T> unmarshaller(Class<T> type) {
    return Jackson.unmarshaller(MAPPER, type);
  }

  public static HttpEntity.Strict entity(Object value) {
    try {
      return HttpEntities.create(ContentTypes.APPLICATION_JSON, MAPPER.writeValueAsBytes(value));
    } catch (Exception e) {
      throw new IllegalStateException("cannot render " + value.getClass().getSimpleName(), e);
    }
  }

  /** A problem with extension members (RFC 9457 §3.2) a client acts on, e.g. what to resend. */
  public static HttpEntity.Strict problemEntity(
      Problem problem, java.util.Map<String, ?> extensions) {
    java.util.Map<String, Object> body =
        MAPPER.convertValue(
            problem,
            new com.fasterxml.jackson.core.type.TypeReference<
                java.util.LinkedHashMap<String, Object>>() {});
    body.putAll(extensions);
    try {
      return HttpEntities.create(PROBLEM_JSON, MAPPER.writeValueAsBytes(body));
    } catch (Exception e) {
      return problemEntity(problem);
    }
  }

  public static HttpEntity.Strict problemEntity(Problem problem) {
    try {
      return HttpEntities.create(PROBLEM_JSON, MAPPER.writeValueAsBytes(problem));
    } catch (Exception e) {
      return HttpEntities.create(ContentTypes.TEXT_PLAIN_UTF8, problem.detail());
    }
  }
}

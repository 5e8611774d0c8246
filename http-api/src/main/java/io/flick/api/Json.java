package io.flick.api;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.util.List;
import org.apache.pekko.http.javadsl.marshallers.jackson.Jackson;
import org.apache.pekko.http.javadsl.marshalling.Marshaller;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.RequestEntity;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;

/**
 * The one JSON mapping of the public API: ISO-8601 times, unknown fields ignored, and strict
 * reading: a duplicate key, anything after the JSON value, or a value of the wrong type (a number
 * where a string is expected, a string or fraction where an integer is) is refused, and {@link
 * #describe} says which field was wrong.
 */
public final class Json {
  public static final ObjectMapper MAPPER = strict(new ObjectMapper());

  private static ObjectMapper strict(ObjectMapper mapper) {
    mapper
        .registerModule(new JavaTimeModule())
        .registerModule(new Jdk8Module())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
        .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
        .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    // no scalar turns into another kind of scalar: 1 is not "1", "1" is not 1, 1.5 is not 1
    for (LogicalType type :
        List.of(LogicalType.Textual, LogicalType.Integer, LogicalType.Float, LogicalType.Boolean)) {
      mapper
          .coercionConfigFor(type)
          .setCoercion(CoercionInputShape.Integer, fail(type, LogicalType.Integer))
          .setCoercion(CoercionInputShape.Float, fail(type, LogicalType.Float))
          .setCoercion(CoercionInputShape.Boolean, fail(type, LogicalType.Boolean))
          .setCoercion(CoercionInputShape.String, fail(type, LogicalType.Textual))
          .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
    }
    return mapper;
  }

  private static CoercionAction fail(LogicalType target, LogicalType input) {
    return target == input || (target == LogicalType.Float && input == LogicalType.Integer)
        ? CoercionAction.TryConvert
        : CoercionAction.Fail;
  }

  /**
   * What is wrong with a JSON body, in words for the client: names the field and what it must be,
   * never a Java type or a setting.
   */
  public static String describe(Throwable error) {
    if (error instanceof MismatchedInputException mismatch) {
      String field = field(mismatch.getPath());
      Class<?> target = mismatch.getTargetType();
      if (mismatch.getMessage() != null && mismatch.getMessage().startsWith("Trailing token")) {
        return "the request body is malformed: it must be exactly one JSON value; there is more"
            + " after it";
      }
      String expected = expected(target);
      if (field.isEmpty()) {
        return "the body must be " + (expected.isEmpty() ? "a JSON object" : expected);
      }
      return expected.isEmpty()
          ? "field '" + field + "' has a value of the wrong type"
          : "field '" + field + "' must be " + expected;
    }
    if (error instanceof JsonParseException parse) {
      String message = parse.getOriginalMessage();
      if (message != null && message.startsWith("Duplicate field")) {
        return "duplicate field "
            + message.substring("Duplicate field ".length())
            + ": each field may appear once";
      }
      return "the request body is malformed: not valid JSON (line "
          + parse.getLocation().getLineNr()
          + ", column "
          + parse.getLocation().getColumnNr()
          + ")";
    }
    if (error instanceof JsonMappingException mapping) {
      String field = field(mapping.getPath());
      return field.isEmpty()
          ? "the body does not have the expected shape"
          : "field '" + field + "' has a value of the wrong type";
    }
    return "the request body is malformed: not valid JSON";
  }

  private static String field(List<JsonMappingException.Reference> path) {
    StringBuilder out = new StringBuilder();
    for (JsonMappingException.Reference ref : path) {
      if (ref.getFieldName() != null) {
        if (out.length() > 0) {
          out.append('.');
        }
        out.append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        out.append('[').append(ref.getIndex()).append(']');
      }
    }
    return out.toString();
  }

  private static String expected(Class<?> target) {
    if (target == null) {
      return "";
    }
    if (target == String.class) {
      return "a string";
    }
    if (target == Long.class
        || target == Integer.class
        || target == long.class
        || target == int.class) {
      return "an integer";
    }
    if (target == Double.class || target == double.class || target == Float.class) {
      return "a number";
    }
    if (target == Boolean.class || target == boolean.class) {
      return "true or false";
    }
    if (java.util.Collection.class.isAssignableFrom(target) || target.isArray()) {
      return "an array";
    }
    if (target.isRecord() || java.util.Map.class.isAssignableFrom(target)) {
      return "an object";
    }
    return "";
  }

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

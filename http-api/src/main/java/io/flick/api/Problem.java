package io.flick.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/** An RFC 9457 problem body: what went wrong, said for the person reading the response. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail) {

  public static Problem of(int status, String title, String detail) {
    return new Problem("about:blank", title, status, detail);
  }
}

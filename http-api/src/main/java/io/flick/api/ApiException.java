package io.flick.api;

/** Thrown by routes and facades to answer a specific 4xx/5xx with a problem body. */
public class ApiException extends RuntimeException {
  private final int status;
  private final String title;

  public ApiException(int status, String title, String detail) {
    super(detail);
    this.status = status;
    this.title = title;
  }

  public static ApiException badRequest(String detail) {
    return new ApiException(400, "Bad Request", detail);
  }

  public static ApiException notFound(String detail) {
    return new ApiException(404, "Not Found", detail);
  }

  public static ApiException conflict(String detail) {
    return new ApiException(409, "Conflict", detail);
  }

  public Problem problem() {
    return Problem.of(status, title, getMessage());
  }

  public int status() {
    return status;
  }
}

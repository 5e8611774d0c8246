package io.flick.search;

/** OpenSearch did not answer, or answered with an error: search is down, the rest is not. */
public final class SearchUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public SearchUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}

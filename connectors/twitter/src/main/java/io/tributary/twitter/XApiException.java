package io.tributary.twitter;

/**
 * A call to the X API failed: the HTTP status (or -1 when no response came) and what X said.
 * Messages never contain the bearer token.
 */
public class XApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int statusCode;

  public XApiException(String message, int statusCode, Throwable cause) {
    super(message, cause);
    this.statusCode = statusCode;
  }

  /** The HTTP status of the response, or -1 when the request got no response. */
  public int statusCode() {
    return statusCode;
  }
}

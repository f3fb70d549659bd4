package dev.earshot.serve;

/**
 * A request that gets an error answer: the HTTP status, a stable machine-readable code and a message for
 * people. Sent as {@code {"error": {"status": 413, "code": "body_too_large", "message": "..."}}}.
 */
final class HttpError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String code;

  HttpError(int status, String code, String message) {
    super(message);
    this.status = status;
    this.code = code;
  }

  HttpError(int status, String code, String message, Throwable cause) {
    super(message, cause);
    this.status = status;
    this.code = code;
  }

  int status() {
    return status;
  }

  String code() {
    return code;
  }
}

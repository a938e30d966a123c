package io.segfx.config;

/**
 * A problem the user can fix (a bad option, spec key, input column or value). The CLI prints the
 * message alone, without a stack trace, and exits with status 2.
 */
public final class UsageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UsageException(String message) {
    super(message);
  }

  public UsageException(String message, Throwable cause) {
    super(message, cause);
  }
}

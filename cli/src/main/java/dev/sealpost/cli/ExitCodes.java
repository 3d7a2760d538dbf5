package dev.sealpost.cli;

/**
 * The exit codes of the {@code sealpost} command. Scripts can tell a tampered envelope from an
 * untrusted sender from a missing file without parsing messages.
 */
public final class ExitCodes {
  /** Success: everything was written and every check passed. */
  public static final int OK = 0;

  /** Bad command line: unknown or missing option, wrong value, unusable key file. */
  public static final int USAGE = 1;

  /** An integrity check failed: a tag, the signature, a hash or a length. The data was altered. */
  public static final int INTEGRITY = 2;

  /** The signature is valid but the signer's key is not among the trusted keys. */
  public static final int UNTRUSTED_SIGNER = 3;

  /** A file or directory could not be read or written, or a JWKS could not be fetched. */
  public static final int IO = 4;

  /** The envelope is malformed or uses a format version or algorithm that is not allowed. */
  public static final int MALFORMED = 5;

  /** The envelope has no entry that the given key can open. */
  public static final int NO_MATCHING_KEY = 6;

  /** A bug or an unexpected condition (run with {@code --verbose} for the stack trace). */
  public static final int INTERNAL = 70;

  private ExitCodes() {}
}

package dev.sealpost.api.application;

import java.io.InputStream;

/**
 * The parts of a reply upload after the {@code reply} part, read in order from the request (the
 * HTTP edge checks each part's name, filename and type, and refuses a malformed one with a 400). A
 * failed read of the request body (the client went away, or sent less than it declared) is the
 * client's failure: it arrives as the edge's 400, never as an IOException, which callers take for
 * the blob store's.
 */
public interface ReplyParts {
  /** The {@code manifest} part: the reply JWE document, at most 1 MiB, its structure checked. */
  byte[] manifest();

  /** The next part's content, which must be the {@code attachment} part declared as {@code id}. */
  InputStream attachment(String id);

  /** After the last declared attachment: nothing may follow. */
  void end();
}

package dev.sealpost.api.interfaces.rest;

import dev.sealpost.api.application.SealEnvelope.AttachmentInput;
import dev.sealpost.api.domain.InvalidInputException;
import dev.sealpost.api.interfaces.rest.EnvelopeDtos.AttachmentBody;
import dev.sealpost.api.interfaces.rest.EnvelopeMultipart.Part;
import jakarta.ws.rs.core.MediaType;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * The attachments of a create request as {@link AttachmentInput}s, lazily and in order: first the
 * JSON form's base64 items, then (multipart) each file part, streamed. Each is checked only when
 * the sealer reaches it, so field errors name the position the sender used.
 */
final class EnvelopeAttachments {
  private EnvelopeAttachments() {}

  /** The base64 attachments of the JSON body, numbered from {@code offset}. */
  static Iterator<AttachmentInput> fromJson(List<AttachmentBody> list, int offset) {
    List<AttachmentBody> items = list == null ? List.of() : list;
    return new Iterator<>() {
      int i;

      @Override
      public boolean hasNext() {
        return i < items.size();
      }

      @Override
      public AttachmentInput next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        int index = i++;
        return decoded("attachments[" + (offset + index) + "]", items.get(index));
      }
    };
  }

  private static AttachmentInput decoded(String field, AttachmentBody a) {
    if (a == null) {
      throw ProblemException.badField(field, "must be an object");
    }
    if (a.data() == null) {
      throw new InvalidInputException(field + ".data", "is required (base64)");
    }
    byte[] data;
    try {
      // The MIME decoder skips what is not base64 ("!!!" would decode to nothing): only line
      // breaks may be skipped.
      if (!a.data().chars().allMatch(EnvelopeAttachments::base64OrLineBreak)) {
        throw new IllegalArgumentException("not base64");
      }
      data = Base64.getMimeDecoder().decode(a.data());
    } catch (IllegalArgumentException e) {
      throw ProblemException.badField(field + ".data", "must be base64");
    }
    return input(field, a.name(), a.contentType(), new ByteArrayInputStream(data));
  }

  /** The file parts left in {@code multipart}, digested as read, numbered from {@code offset}. */
  static Iterator<AttachmentInput> fileParts(
      EnvelopeMultipart multipart, MultipartDigest digest, int offset) {
    return new Iterator<>() {
      Part pending;
      boolean done;
      int index = offset;

      @Override
      public boolean hasNext() {
        if (pending == null && !done) {
          Optional<Part> p = nextPart(multipart);
          if (p.isEmpty()) {
            done = true;
          } else {
            pending = p.get();
          }
        }
        return pending != null;
      }

      @Override
      public AttachmentInput next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        Part p = pending;
        pending = null;
        String field = "attachments[" + index++ + "]";
        if (p.filename().isEmpty()) {
          throw ProblemException.badField(
              p.name(), "after the envelope part, every part must be a file (with a filename)");
        }
        return input(field, p.filename().get(), p.contentType().orElse(null), digest.digesting(p));
      }
    };
  }

  static Optional<Part> nextPart(EnvelopeMultipart multipart) {
    try {
      return multipart.next();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static <T> Iterator<T> concat(Iterator<T> a, Iterator<T> b) {
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return a.hasNext() || b.hasNext();
      }

      @Override
      public T next() {
        return a.hasNext() ? a.next() : b.next();
      }
    };
  }

  private static AttachmentInput input(
      String field, String name, String contentType, InputStream content) {
    String type = contentType == null ? MediaType.APPLICATION_OCTET_STREAM : mediaType(contentType);
    return new AttachmentInput() {
      @Override
      public String field() {
        return field;
      }

      @Override
      public String name() {
        return name;
      }

      @Override
      public String mediaType() {
        return type;
      }

      @Override
      public InputStream content() {
        return content;
      }
    };
  }

  /** The media type without parameters (charset and the like stay out of the manifest). */
  private static String mediaType(String value) {
    int semi = value.indexOf(';');
    return (semi < 0 ? value : value.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
  }

  private static boolean base64OrLineBreak(int c) {
    return (c >= 'A' && c <= 'Z')
        || (c >= 'a' && c <= 'z')
        || (c >= '0' && c <= '9')
        || c == '+'
        || c == '/'
        || c == '='
        || c == '\r'
        || c == '\n';
  }
}

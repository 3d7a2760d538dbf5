package dev.sealpost.envelope;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * The attachments of one {@link EnvelopeSealer} or {@link ReplySealer} and whether it has sealed
 * yet. Not thread-safe on its own: the sealers call it under their lock.
 */
final class SealerAttachments {
  private final String streamId;
  private final int chunkSize;
  private final String sealedWhat;
  private final List<AttachmentSealer> attachments = new ArrayList<>();
  private boolean sealed;

  /**
   * @param streamId the id the STREAM associated data carries (the envelope's or the reply's)
   * @param sealedWhat "envelope" or "reply", for the message once sealed
   */
  SealerAttachments(String streamId, int chunkSize, String sealedWhat) {
    this.streamId = streamId;
    this.chunkSize = chunkSize;
    this.sealedWhat = sealedWhat;
  }

  /** A new attachment with a random UUID id. */
  AttachmentSealer add(String name, String mediaType) {
    requireOpen();
    if (attachments.size() >= EnvelopeSealer.MAX_ATTACHMENTS) {
      throw new IllegalStateException("at most " + EnvelopeSealer.MAX_ATTACHMENTS + " attachments");
    }
    AttachmentSealer a =
        new AttachmentSealer(
            streamId,
            UUID.randomUUID().toString(),
            Objects.requireNonNull(name, "name"),
            Objects.requireNonNull(mediaType, "mediaType"),
            chunkSize);
    attachments.add(a);
    return a;
  }

  /**
   * @throws IllegalStateException if an attachment was not completely sealed
   */
  List<AttachmentDescriptor> descriptors() {
    List<AttachmentDescriptor> descriptors = new ArrayList<>();
    for (AttachmentSealer a : attachments) {
      descriptors.add(a.descriptor());
    }
    return descriptors;
  }

  void requireOpen() {
    if (sealed) {
      throw new IllegalStateException("this " + sealedWhat + " is already sealed");
    }
  }

  void markSealed() {
    sealed = true;
  }
}

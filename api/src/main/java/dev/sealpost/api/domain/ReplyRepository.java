package dev.sealpost.api.domain;

import java.util.List;
import java.util.Optional;

/**
 * Replies and a tenant's reply keys. Call inside {@link Transactions}; the count of a recipient's
 * replies is exact only under that recipient's row lock ({@link OpenLinkRepository#lock}).
 */
public interface ReplyRepository {
  /** The tenant's public reply JWKS, empty when it has none. */
  Optional<String> replyKeys(TenantId tenant);

  /** Replaces the tenant's reply keys; empty removes them. */
  void setReplyKeys(TenantId tenant, Optional<String> jwks);

  /** Whether the envelope was sealed with {@code policy.allowReply}. */
  boolean allowsReply(TenantId tenant, EnvelopeId envelope);

  int countByRecipient(RecipientId recipient);

  boolean exists(String replyId);

  /**
   * @throws ReplyRefusedException (ID_USED) when the reply id is taken (a concurrent upload with
   *     the same id)
   */
  void insert(ReplyRecord reply);

  /** The envelope's replies, oldest first. */
  List<ReplyRecord> list(TenantId tenant, EnvelopeId envelope);

  Optional<ReplyRecord> find(TenantId tenant, EnvelopeId envelope, String replyId);
}

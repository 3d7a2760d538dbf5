package dev.sealpost.api.application;

import dev.sealpost.api.domain.EnvelopeId;
import dev.sealpost.api.domain.OpenLinkRepository.LinkState;
import dev.sealpost.api.domain.RecipientId;
import dev.sealpost.api.domain.ReplyRefusedException;
import dev.sealpost.api.domain.ReplyRepository;
import dev.sealpost.api.domain.TenantId;
import dev.sealpost.api.domain.TenantRepository;
import java.util.Optional;

/**
 * Whether a recipient may reply now, asked the same way before an upload is read and again under
 * the recipient's row lock when it commits: the envelope allows replies, the tenant allows them and
 * has reply keys, and the recipient has replies left. Call inside a transaction.
 */
final class ReplyGate {
  private final TenantRepository tenants;
  private final ReplyRepository replies;
  private final ReplyLimits limits;

  ReplyGate(TenantRepository tenants, ReplyRepository replies, ReplyLimits limits) {
    this.tenants = tenants;
    this.replies = replies;
    this.limits = limits;
  }

  /** The tenant's reply keys when the recipient of {@code s} may reply; refused otherwise. */
  String check(LinkState s) {
    String keys =
        offerKeys(s)
            .orElseThrow(
                () ->
                    new ReplyRefusedException(
                        ReplyRefusedException.Reason.NOT_ALLOWED,
                        "replies to this message are not allowed"));
    if (remaining(s.recipientId()) <= 0) {
      throw new ReplyRefusedException(
          ReplyRefusedException.Reason.LIMIT_REACHED,
          "at most " + limits.maxPerRecipient() + " replies per recipient");
    }
    return keys;
  }

  /** The current reply keys, if the envelope of {@code s} takes replies (count not asked). */
  Optional<String> offerKeys(LinkState s) {
    return offerKeys(s.tenantId(), s.envelopeId());
  }

  Optional<String> offerKeys(TenantId tenant, EnvelopeId envelope) {
    if (!replies.allowsReply(tenant, envelope)) {
      return Optional.empty();
    }
    boolean allowed = tenants.find(tenant).map(t -> t.settings().allowReplies()).orElse(false);
    return allowed ? replies.replyKeys(tenant) : Optional.empty();
  }

  int remaining(RecipientId recipient) {
    return Math.max(0, limits.maxPerRecipient() - replies.countByRecipient(recipient));
  }
}

package dev.sealpost.api.application;

import dev.sealpost.api.domain.InvalidInputException;
import dev.sealpost.api.domain.ReplyRepository;
import dev.sealpost.api.domain.Tenant;
import dev.sealpost.api.domain.Transactions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;

/**
 * An envelope's {@code policy.allowReply} at sealing (REPLY-WIRE.md): absent, it is true when the
 * tenant has reply keys and {@code allowReplies}; asked for while either is missing, it is refused.
 */
@ApplicationScoped
public class ReplyPolicy {
  private final Transactions tx;
  private final ReplyRepository replies;

  @Inject
  public ReplyPolicy(Transactions tx, ReplyRepository replies) {
    this.tx = tx;
    this.replies = replies;
  }

  /**
   * @throws InvalidInputException naming {@code policy.allowReply} when true is asked for but the
   *     tenant cannot take replies
   */
  public boolean decide(Tenant tenant, Optional<Boolean> asked) {
    boolean possible =
        tenant.settings().allowReplies()
            && tx.inTransaction(() -> replies.replyKeys(tenant.id()).isPresent());
    if (asked.isEmpty()) {
      return possible;
    }
    if (asked.get() && !possible) {
      throw new InvalidInputException(
          "policy.allowReply",
          "the tenant has no reply keys or does not allow replies (PUT /v1/tenant/reply-keys,"
              + " PATCH /v1/tenant allowReplies)");
    }
    return asked.get();
  }
}

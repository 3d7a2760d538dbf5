package dev.sealpost.api.domain;

import java.util.Objects;

/** A reissue refused by {@link ReissuePolicy}; the REST edge maps each refusal to its problem. */
public class ReissueRefusedException extends DomainException {
  private static final long serialVersionUID = 1L;

  private final ReissuePolicy.Refusal refusal;

  public ReissueRefusedException(ReissuePolicy.Refusal refusal, String message) {
    super(message);
    this.refusal = Objects.requireNonNull(refusal, "refusal");
  }

  public ReissuePolicy.Refusal refusal() {
    return refusal;
  }
}

package dev.sealpost.api.it;

import dev.sealpost.api.domain.Transactions;
import dev.sealpost.api.infrastructure.jdbc.Jdbc;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import java.time.Instant;

/**
 * Test-only (ConsumerIT's deployment): moves an envelope's expiry, or its access tokens' expiry,
 * into the past.
 */
@Path("it-consumer")
@RequestScoped
public class ConsumerItResource {
  @Inject Transactions tx;
  @Inject Jdbc jdbc;

  @POST
  @Path("expire/{envelopeId}")
  public String expire(@PathParam("envelopeId") String envelopeId) {
    int n =
        tx.inTransaction(
            () ->
                jdbc.update(
                    "UPDATE envelopes SET expires_at = ? WHERE id = ?",
                    Instant.now().minusSeconds(1),
                    envelopeId));
    return Integer.toString(n);
  }

  /** Ends every access token of the envelope now, as if their lifetime had passed. */
  @POST
  @Path("end-sessions/{envelopeId}")
  public String endSessions(@PathParam("envelopeId") String envelopeId) {
    int n =
        tx.inTransaction(
            () ->
                jdbc.update(
                    "UPDATE open_sessions SET expires_at = ? WHERE envelope_id = ?",
                    Instant.now().minusSeconds(1),
                    envelopeId));
    return Integer.toString(n);
  }
}

package dev.sealpost.api.interfaces.rest;

import dev.sealpost.api.application.WebhookAdministration;
import dev.sealpost.api.application.WebhookAdministration.Created;
import dev.sealpost.api.domain.InvalidInputException;
import dev.sealpost.api.domain.Role;
import dev.sealpost.api.domain.Webhook;
import dev.sealpost.api.domain.WebhookEventType;
import dev.sealpost.api.domain.WebhookId;
import dev.sealpost.api.domain.WebhookOutbox.Delivery;
import dev.sealpost.api.interfaces.web.RequestOrigin;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.json.bind.annotation.JsonbNillable;
import jakarta.json.bind.annotation.JsonbPropertyOrder;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A tenant's webhook endpoints (ADMIN): {@code POST /v1/webhooks} {@code {url, events}} answers
 * {@code {id, secret}} (the secret only then), {@code GET /v1/webhooks}, {@code GET|PATCH|DELETE
 * /v1/webhooks/{id}} ({@code rotateSecret: true} answers the new secret once), {@code GET
 * /v1/webhooks/{id}/deliveries}. Bad input is 400 naming the field; another tenant's id is 404.
 */
@Path("webhooks")
@Dependent
@Produces(MediaType.APPLICATION_JSON)
public class WebhookResource {
  @Inject WebhookAdministration webhooks;
  @Context SecurityContext security;
  @Context HttpServletRequest request;

  public record CreateWebhookRequest(String url, List<String> events) {}

  public record UpdateWebhookRequest(String url, List<String> events, Boolean rotateSecret) {}

  public record CreatedWebhook(String id, String secret) {}

  /** PATCH's answer: the webhook as it now is, and the new secret when one was asked for. */
  @JsonbNillable
  public record UpdatedWebhook(WebhookView webhook, String secret) {}

  @JsonbNillable
  @JsonbPropertyOrder({"id", "url", "events", "createdAt", "updatedAt", "previousSecretValidUntil"})
  public record WebhookView(
      String id,
      String url,
      List<String> events,
      String createdAt,
      String updatedAt,
      String previousSecretValidUntil) {
    static WebhookView of(Webhook w) {
      return new WebhookView(
          w.id().value(),
          w.url(),
          w.events().stream().map(WebhookEventType::wireName).sorted().toList(),
          w.createdAt().toString(),
          w.updatedAt().toString(),
          Optional.ofNullable(w.previousSecretUntil())
              .filter(t -> t.isAfter(Instant.now()))
              .map(Instant::toString)
              .orElse(null));
    }
  }

  public record WebhookList(List<WebhookView> items) {}

  @JsonbNillable
  @JsonbPropertyOrder({
    "id",
    "eventType",
    "status",
    "attempts",
    "createdAt",
    "lastAttemptAt",
    "lastStatus",
    "lastError",
    "nextAttemptAt",
    "deliveredAt"
  })
  public record DeliveryView(
      String id,
      String eventType,
      String status,
      int attempts,
      String createdAt,
      String lastAttemptAt,
      Integer lastStatus,
      String lastError,
      String nextAttemptAt,
      String deliveredAt) {
    static DeliveryView of(Delivery d) {
      return new DeliveryView(
          d.id(),
          d.eventType(),
          d.status().name(),
          d.attempts(),
          d.createdAt().toString(),
          Objects.toString(d.lastAttemptAt(), null),
          d.lastStatus(),
          d.lastError(),
          Objects.toString(d.nextAttemptAt(), null),
          Objects.toString(d.deliveredAt(), null));
    }
  }

  public record DeliveryList(List<DeliveryView> items) {}

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Allowed(Role.ADMIN)
  public Response create(CreateWebhookRequest body) {
    if (body == null) {
      throw ProblemException.badRequest("a JSON body {url, events} is required");
    }
    Created created =
        webhooks.create(
            Callers.of(security),
            body.url(),
            body.events(),
            RequestOrigin.of(request).clientInfo());
    return Response.status(201)
        .entity(new CreatedWebhook(created.id().value(), created.secret()))
        .build();
  }

  @GET
  @Allowed(Role.ADMIN)
  public WebhookList list() {
    return new WebhookList(
        webhooks.list(Callers.of(security)).stream().map(WebhookView::of).toList());
  }

  @GET
  @Path("{id}")
  @Allowed(Role.ADMIN)
  public WebhookView get(@PathParam("id") String id) {
    return WebhookView.of(webhooks.get(Callers.of(security), new WebhookId(id)));
  }

  @PATCH
  @Path("{id}")
  @Consumes(MediaType.APPLICATION_JSON)
  @Allowed(Role.ADMIN)
  public UpdatedWebhook update(@PathParam("id") String id, UpdateWebhookRequest body) {
    if (body == null) {
      throw ProblemException.badRequest("a JSON body {url, events, rotateSecret} is required");
    }
    if (body.url() == null && body.events() == null && body.rotateSecret() == null) {
      throw ProblemException.badRequest("nothing to change: give url, events or rotateSecret");
    }
    Optional<String> secret =
        webhooks.update(
            Callers.of(security),
            new WebhookId(id),
            body.url(),
            body.events(),
            Boolean.TRUE.equals(body.rotateSecret()));
    return new UpdatedWebhook(
        WebhookView.of(webhooks.get(Callers.of(security), new WebhookId(id))), secret.orElse(null));
  }

  @DELETE
  @Path("{id}")
  @Allowed(Role.ADMIN)
  public Response delete(@PathParam("id") String id) {
    webhooks.delete(
        Callers.of(security), new WebhookId(id), RequestOrigin.of(request).clientInfo());
    return Response.noContent().build();
  }

  @GET
  @Path("{id}/deliveries")
  @Allowed(Role.ADMIN)
  public DeliveryList deliveries(@PathParam("id") String id, @QueryParam("limit") String limit) {
    int n = 50;
    if (limit != null) {
      try {
        n = Integer.parseInt(limit);
      } catch (NumberFormatException e) {
        n = -1;
      }
      if (n < 1 || n > 200) {
        throw new InvalidInputException("limit", "must be a number between 1 and 200");
      }
    }
    return new DeliveryList(
        webhooks.deliveries(Callers.of(security), new WebhookId(id), n).stream()
            .map(DeliveryView::of)
            .toList());
  }
}

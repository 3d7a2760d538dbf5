package dev.sealpost.api.interfaces.rest;

import dev.sealpost.api.application.TenantAdministration;
import dev.sealpost.api.application.TenantAdministration.CreatedTenant;
import dev.sealpost.api.application.TenantAdministration.SettingsChange;
import dev.sealpost.api.domain.Role;
import dev.sealpost.api.domain.Tenant;
import dev.sealpost.api.domain.VerificationMethod;
import dev.sealpost.api.interfaces.web.RequestOrigin;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** {@code POST /v1/tenants} (bootstrap ADMIN), {@code GET/PATCH /v1/tenant} (ADMIN). */
@Path("/")
@Dependent
@Produces(MediaType.APPLICATION_JSON)
public class TenantResource {
  @Inject TenantAdministration administration;
  @Context SecurityContext security;
  @Context HttpServletRequest request;

  public record CreateTenantRequest(String name, String displayName) {}

  public record CreateTenantResponse(String id, String adminKey) {}

  public record TenantView(
      String id,
      String name,
      String displayName,
      List<String> allowedVerificationMethods,
      String defaultExpiry,
      String maxExpiry,
      boolean custody,
      boolean allowReplies) {
    static TenantView of(Tenant t) {
      return new TenantView(
          t.id().value(),
          t.name(),
          t.settings().displayName(),
          t.settings().allowedVerificationMethods().stream().map(Enum::name).sorted().toList(),
          iso(t.settings().defaultExpiry()),
          iso(t.settings().maxExpiry()),
          t.settings().custody(),
          t.settings().allowReplies());
    }
  }

  /** Whole days as {@code P7D} (as a user writes them), anything else as {@code PT90M}. */
  static String iso(Duration d) {
    return d.toSeconds() % 86_400 == 0 && !d.isZero() ? "P" + d.toDays() + "D" : d.toString();
  }

  /** JSON merge-patch style: absent fields stay unchanged. */
  public record TenantPatch(
      String displayName,
      List<String> allowedVerificationMethods,
      String defaultExpiry,
      String maxExpiry,
      Boolean custody,
      Boolean allowReplies) {}

  @POST
  @Path("tenants")
  @Consumes(MediaType.APPLICATION_JSON)
  @Allowed(Role.ADMIN)
  public Response create(CreateTenantRequest body) {
    if (body == null) {
      throw ProblemException.badRequest("a JSON body {name, displayName} is required");
    }
    CreatedTenant created =
        administration.createTenant(
            Callers.of(security), body.name(), body.displayName(), origin().clientInfo());
    return Response.status(201)
        .entity(new CreateTenantResponse(created.id().value(), created.adminKey().reveal()))
        .build();
  }

  @GET
  @Path("tenant")
  @Allowed(Role.ADMIN)
  public TenantView get() {
    return TenantView.of(administration.tenant(Callers.of(security)));
  }

  @PATCH
  @Path("tenant")
  @Consumes({MediaType.APPLICATION_JSON, "application/merge-patch+json"})
  @Allowed(Role.ADMIN)
  public TenantView patch(TenantPatch body) {
    if (body == null) {
      throw ProblemException.badRequest("a JSON body is required");
    }
    SettingsChange change =
        new SettingsChange(
            Optional.ofNullable(body.displayName()),
            Optional.ofNullable(body.allowedVerificationMethods()).map(TenantResource::methods),
            Optional.ofNullable(body.defaultExpiry()).map(d -> duration("defaultExpiry", d)),
            Optional.ofNullable(body.maxExpiry()).map(d -> duration("maxExpiry", d)),
            Optional.ofNullable(body.custody()),
            Optional.ofNullable(body.allowReplies()));
    return TenantView.of(
        administration.updateSettings(Callers.of(security), change, origin().clientInfo()));
  }

  private static Set<VerificationMethod> methods(List<String> names) {
    Set<VerificationMethod> set = EnumSet.noneOf(VerificationMethod.class);
    for (String n : names) {
      try {
        set.add(VerificationMethod.valueOf(n));
      } catch (IllegalArgumentException | NullPointerException e) {
        throw new dev.sealpost.api.domain.InvalidInputException(
            "allowedVerificationMethods", "each must be EMAIL_OTP, SHARED_SECRET or NONE");
      }
    }
    return set;
  }

  private static Duration duration(String field, String value) {
    try {
      return Duration.parse(value);
    } catch (DateTimeParseException e) {
      throw new dev.sealpost.api.domain.InvalidInputException(
          field, "must be an ISO-8601 duration such as P7D");
    }
  }

  private RequestOrigin origin() {
    return RequestOrigin.of(request);
  }
}

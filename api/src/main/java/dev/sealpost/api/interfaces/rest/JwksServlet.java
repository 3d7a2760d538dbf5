package dev.sealpost.api.interfaces.rest;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.sealpost.api.domain.KeyService;
import dev.sealpost.api.domain.Tenant;
import dev.sealpost.api.domain.TenantId;
import dev.sealpost.api.domain.TenantRepository;
import dev.sealpost.api.domain.Transactions;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET /.well-known/jwks.json}: every tenant's public signing keys. Each {@code kid} is
 * {@code <tenantId>.<n>}, so a verifier can check the signer is the tenant the manifest names. Each
 * key also carries {@code "tenant"} (the tenant id), {@code "tenantName"} (its display name) and
 * {@code "tenantUniqueName"} (its unique {@code name}), which the web viewer shows together as
 * "Sealed by Acme Insurance (acme)" once the signature verifies.
 */
@WebServlet(urlPatterns = "/.well-known/jwks.json")
public class JwksServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;

  @Inject transient KeyService keys;
  @Inject transient TenantRepository tenants;
  @Inject transient Transactions tx;

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
    byte[] body = withTenantNames(keys.publicJwksJson()).getBytes(StandardCharsets.UTF_8);
    res.setContentType("application/jwk-set+json");
    res.setCharacterEncoding("UTF-8");
    // Public and changing rarely; verifiers may cache briefly (overrides the API's no-store).
    res.setHeader("Cache-Control", "public, max-age=300");
    res.setContentLength(body.length);
    res.getOutputStream().write(body);
  }

  @SuppressWarnings("unchecked")
  private String withTenantNames(String jwks) {
    try {
      Map<String, Object> doc = JSONObjectUtils.parse(jwks);
      List<Object> list = (List<Object>) doc.get("keys");
      if (list == null) {
        return jwks;
      }
      Map<String, Optional<Tenant>> names = new HashMap<>();
      tx.run(
          () -> {
            for (Object o : list) {
              Map<String, Object> key = (Map<String, Object>) o;
              Object kid = key.get("kid");
              if (!(kid instanceof String k) || k.lastIndexOf('.') <= 0) {
                continue;
              }
              String tenant = k.substring(0, k.lastIndexOf('.'));
              Optional<Tenant> found =
                  names.computeIfAbsent(tenant, t -> tenants.find(new TenantId(t)));
              key.put("tenant", tenant);
              found.ifPresent(
                  t -> {
                    key.put("tenantName", t.settings().displayName());
                    key.put("tenantUniqueName", t.name());
                  });
            }
          });
      return JSONObjectUtils.toJSONString(doc);
    } catch (ParseException | RuntimeException e) {
      return jwks;
    }
  }
}

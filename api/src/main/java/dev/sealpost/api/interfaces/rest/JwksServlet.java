package dev.sealpost.api.interfaces.rest;

import dev.sealpost.api.domain.KeyService;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * {@code GET /.well-known/jwks.json}: every tenant's public signing keys. Each {@code kid} is
 * {@code <tenantId>.<n>}, so a verifier can check the signer is the tenant the manifest names.
 */
@WebServlet(urlPatterns = "/.well-known/jwks.json")
public class JwksServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;

  @Inject transient KeyService keys;

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
    byte[] body = keys.publicJwksJson().getBytes(StandardCharsets.UTF_8);
    res.setContentType("application/jwk-set+json");
    res.setCharacterEncoding("UTF-8");
    // Public and changing rarely; verifiers may cache briefly (overrides the API's no-store).
    res.setHeader("Cache-Control", "public, max-age=300");
    res.setContentLength(body.length);
    res.getOutputStream().write(body);
  }
}

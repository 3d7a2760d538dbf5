package dev.sealpost.api.interfaces.web;

import dev.sealpost.viewer.ConsoleResources;
import dev.sealpost.viewer.ViewerResources;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The auditor console under {@code /audit/}: {@code /audit/} answers its index.html, {@code
 * /audit/assets/{name}} its hashed assets, every answer (404s too) with {@link
 * ConsoleResources#securityHeaders()} (the viewer's strict CSP). {@code /audit} redirects to {@code
 * /audit/}. The page is static: it reads nothing and holds no key; the AUDITOR key the person types
 * goes only to {@code /v1/audit/...} as a Bearer header. Mapped to {@code /audit/*}, this servlet
 * keeps the container from serving the jar's {@code META-INF/resources/audit/} by itself.
 */
@WebServlet(urlPatterns = {"/audit", "/audit/*"})
public class AuditConsoleServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;
  private static final Pattern ASSET = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
    ConsoleResources.securityHeaders().forEach(res::setHeader);
    String path = req.getPathInfo();
    if (path == null) {
      res.setStatus(HttpServletResponse.SC_MOVED_PERMANENTLY);
      res.setHeader("Location", req.getContextPath() + "/audit/");
      return;
    }
    if (path.equals("/")) {
      send(ConsoleResources.openIndex(), "text/html; charset=utf-8", res);
      return;
    }
    String[] parts = path.split("/", -1);
    if (parts.length == 3 && parts[1].equals("assets") && ASSET.matcher(parts[2]).matches()) {
      Optional<InputStream> asset = ConsoleResources.openAsset(parts[2]);
      if (asset.isPresent()) {
        send(asset.get(), ViewerResources.contentType(parts[2]), res);
        return;
      }
    }
    res.setStatus(HttpServletResponse.SC_NOT_FOUND);
    res.setContentType("text/plain; charset=utf-8");
    res.getWriter().write("Not found\n");
  }

  @Override
  protected void doHead(HttpServletRequest req, HttpServletResponse res) throws IOException {
    doGet(req, res);
  }

  private static void send(InputStream in, String type, HttpServletResponse res)
      throws IOException {
    try (in) {
      byte[] bytes = in.readAllBytes();
      res.setContentType(type);
      res.setContentLength(bytes.length);
      try (OutputStream out = res.getOutputStream()) {
        out.write(bytes);
      }
    }
  }
}

package dev.sealpost.api.interfaces.web;

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
 * The web viewer under {@code /v/*}: {@code /v/{envelopeId}/{recipientId}} answers the viewer's
 * index.html byte for byte, {@code /v/assets/{name}} its hashed assets, {@code /v/sw.js} its
 * service worker, {@code /v/stream/...} (the worker's scope, reaching the server only when no
 * worker answered) 204 No Content, every answer (404s too) with {@link
 * ViewerResources#securityHeaders()}. Mapped to {@code /v/*}, this servlet also keeps the container
 * from serving the jar's {@code META-INF/resources/v/} by itself without those headers.
 *
 * <p>Loading the page reads nothing from the database and writes nothing: mail scanners fetch
 * links, and the link secret lives in the fragment, which never reaches the server.
 */
@WebServlet(urlPatterns = "/v/*")
public class ViewerServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9-]{1,64}");
  private static final Pattern ASSET = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
    ViewerResources.securityHeaders().forEach(res::setHeader);
    String path = req.getPathInfo() == null ? "" : req.getPathInfo();
    String[] parts = path.split("/", -1);
    // "/a/b" splits into "", "a", "b"
    if (path.equals("/sw.js")) {
      res.setContentType(ViewerResources.contentType("sw.js"));
      copy(ViewerResources.openServiceWorker(), res);
      return;
    }
    if (parts.length >= 2 && parts[1].equals("stream")) {
      // A navigation answered 204 does not leave the page: the viewer stays where it was.
      res.setStatus(HttpServletResponse.SC_NO_CONTENT);
      return;
    }
    if (parts.length == 3 && parts[1].equals("assets") && ASSET.matcher(parts[2]).matches()) {
      Optional<InputStream> asset = ViewerResources.openAsset(parts[2]);
      if (asset.isPresent()) {
        res.setContentType(ViewerResources.contentType(parts[2]));
        copy(asset.get(), res);
        return;
      }
    } else if (parts.length == 3
        && ID.matcher(parts[1]).matches()
        && ID.matcher(parts[2]).matches()
        && !parts[1].equals("assets")) {
      res.setContentType("text/html; charset=utf-8");
      copy(ViewerResources.openIndex(), res);
      return;
    }
    res.setStatus(HttpServletResponse.SC_NOT_FOUND);
    res.setContentType("text/plain; charset=utf-8");
    res.getWriter().write("Not found\n");
  }

  @Override
  protected void doHead(HttpServletRequest req, HttpServletResponse res) throws IOException {
    doGet(req, res);
  }

  private static void copy(InputStream in, HttpServletResponse res) throws IOException {
    try (in) {
      byte[] bytes = in.readAllBytes();
      res.setContentLength(bytes.length);
      try (OutputStream out = res.getOutputStream()) {
        out.write(bytes);
      }
    }
  }
}

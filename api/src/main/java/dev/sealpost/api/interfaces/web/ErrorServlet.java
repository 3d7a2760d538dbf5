package dev.sealpost.api.interfaces.web;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The container's error page (web.xml): errors outside JAX-RS (an unknown path, a servlet failure)
 * also answer problem+json, never the server's HTML page or a stack trace.
 */
@WebServlet(urlPatterns = "/_error")
public class ErrorServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = Logger.getLogger(ErrorServlet.class.getName());

  @Override
  protected void service(HttpServletRequest req, HttpServletResponse res) throws IOException {
    Object code = req.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
    int status = code instanceof Integer i ? i : 404;
    Object error = req.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
    String slug;
    String title;
    String detail;
    switch (status) {
      case 404 -> {
        slug = "not-found";
        title = "Not found";
        detail = "no such resource";
      }
      case 405 -> {
        slug = "method-not-allowed";
        title = "Method not allowed";
        detail = "this method is not allowed here";
      }
      case 413 -> {
        slug = "payload-too-large";
        title = "Payload too large";
        detail = "the request body is too large";
      }
      default -> {
        if (status >= 500) {
          String incident = UUID.randomUUID().toString();
          if (error instanceof Throwable t) {
            LOG.log(Level.SEVERE, "server error, incident " + incident, t);
          }
          status = 500;
          slug = "internal-error";
          title = "Internal error";
          detail = "something went wrong; incident " + incident;
        } else {
          slug = "http-" + status;
          title = "Request failed";
          detail = "the request failed";
        }
      }
    }
    String json =
        "{\"type\":\"https://sealpost.dev/problems/"
            + slug
            + "\",\"title\":\""
            + title
            + "\",\"status\":"
            + status
            + ",\"detail\":\""
            + detail
            + "\""
            + RequestBodyFilter.requestIdMember(RequestIdFilter.of(res))
            + "}";
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    res.setStatus(status);
    res.setContentType("application/problem+json");
    res.setContentLength(body.length);
    res.getOutputStream().write(body);
  }
}

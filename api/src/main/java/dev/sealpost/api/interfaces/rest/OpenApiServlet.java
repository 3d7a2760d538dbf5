package dev.sealpost.api.interfaces.rest;

import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;

/**
 * {@code GET /openapi}: the curated contract, {@code openapi.yaml} at the repository root, byte for
 * byte (the build packages it as {@code META-INF/openapi.yaml}; api/pom.xml). Not Payara's
 * MicroProfile OpenAPI: its OpenAPI 3.0 model cannot read this 3.1 document (it logs a {@code
 * SchemaType} error on {@code type: [string, "null"]} and serves an empty one), so preboot.asadmin
 * turns it off and this servlet owns the path.
 */
@WebServlet(urlPatterns = "/openapi")
public class OpenApiServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;
  static final String RESOURCE = "META-INF/openapi.yaml";

  private transient byte[] document;

  @Override
  public void init() throws ServletException {
    try (InputStream in = getClass().getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new ServletException(RESOURCE + " is missing from the war (see api/pom.xml)");
      }
      document = in.readAllBytes();
    } catch (IOException e) {
      throw new ServletException("cannot read " + RESOURCE, e);
    }
  }

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
    res.setContentType("application/yaml");
    res.setCharacterEncoding("UTF-8");
    // Public and the same until the next deployment (overrides the API's no-store).
    res.setHeader("Cache-Control", "public, max-age=300");
    res.setContentLength(document.length);
    res.getOutputStream().write(document);
  }
}

package dev.sealpost.api.infrastructure.logging;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Logger;

/**
 * Puts {@link JsonLogFormatter} on the handlers of the root logger (Payara Micro's console handler)
 * while the application runs, and gives the old formatters back when it stops, so an undeployed
 * application leaves no class of its own in the server's logging.
 */
public final class LogFormat {
  private static final Map<Handler, Formatter> REPLACED = new IdentityHashMap<>();

  private LogFormat() {}

  /** Every line from now on is JSON (idempotent). */
  public static synchronized void useJson() {
    for (Handler h : Logger.getLogger("").getHandlers()) {
      if (!REPLACED.containsKey(h) && !(h.getFormatter() instanceof JsonLogFormatter)) {
        REPLACED.put(h, h.getFormatter());
        h.setFormatter(new JsonLogFormatter());
      }
    }
  }

  /** The formatters as they were before {@link #useJson}. */
  public static synchronized void restore() {
    REPLACED.forEach(
        (h, f) -> {
          if (f != null) {
            h.setFormatter(f);
          }
        });
    REPLACED.clear();
  }
}

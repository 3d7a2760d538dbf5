package dev.sealpost.api.infrastructure.metrics;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import jakarta.enterprise.inject.Instance;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;

/**
 * Times every call to an adapter behind a domain port (issue 16) and counts the calls that fail:
 * {@code sealpost.<component>.latency} (a timer) and {@code sealpost.<component>.errors} (a
 * counter), both tagged {@code operation=<method>}. What a method answers that is itself a port of
 * the domain (a tenant's signer, an upload) is measured the same way ({@code operation=
 * <method>.<method>}), so a KMS {@code Sign} or an S3 upload's commit is timed too. The tags are
 * method names only: never an argument, so never a key, an id or a person.
 *
 * <p>With a {@link Tracer} (MicroProfile Telemetry, off unless configured) each call is also a
 * client span {@code <component> <operation>} under the request's span.
 */
public final class Metered implements InvocationHandler {
  private final Object target;
  private final MetricRegistry registry;
  private final Tracer tracer;
  private final String component;
  private final String prefix;

  private Metered(
      Object target, MetricRegistry registry, Tracer tracer, String component, String prefix) {
    this.target = target;
    this.registry = registry;
    this.tracer = tracer;
    this.component = component;
    this.prefix = prefix;
  }

  /**
   * {@code target} behind a proxy that implements {@code port} and every other interface it has.
   */
  public static <T> T wrap(Class<T> port, T target, MetricRegistry registry, String component) {
    return wrap(port, target, registry, null, component);
  }

  /**
   * With a span per call ({@code tracer} may be null: no spans; {@code registry} null: no metrics).
   */
  public static <T> T wrap(
      Class<T> port, T target, MetricRegistry registry, Tracer tracer, String component) {
    if (registry != null) {
      register(port, registry, component, "", 0);
    }
    return port.cast(proxy(port, target, registry, tracer, component, ""));
  }

  /**
   * A database port: operations named {@code <Port>.<method>} (e.g. {@code
   * EnvelopeRepository.insert}) and registered on first use, not in advance (there are many).
   */
  public static <T> T wrapDatabase(
      Class<T> port, T target, MetricRegistry registry, Tracer tracer) {
    return port.cast(proxy(port, target, registry, tracer, "db", port.getSimpleName() + "."));
  }

  /** Every operation's timer and error counter, at zero, so /metrics lists them before any call. */
  private static void register(
      Class<?> port, MetricRegistry registry, String component, String prefix, int depth) {
    for (Method m : port.getMethods()) {
      if (m.isDefault() || java.lang.reflect.Modifier.isStatic(m.getModifiers())) {
        continue;
      }
      Tag operation = new Tag("operation", prefix + m.getName());
      registry.counter("sealpost." + component + ".errors", operation);
      registry.timer("sealpost." + component + ".latency", operation);
      Class<?> type = m.getReturnType();
      if (depth == 0 && type.isInterface() && isPort(type)) {
        register(type, registry, component, prefix + m.getName() + ".", depth + 1);
      }
    }
  }

  private static Object proxy(
      Class<?> port,
      Object target,
      MetricRegistry registry,
      Tracer tracer,
      String component,
      String prefix) {
    Set<Class<?>> interfaces = new LinkedHashSet<>();
    interfaces.add(port);
    for (Class<?> c = target.getClass(); c != null; c = c.getSuperclass()) {
      for (Class<?> i : c.getInterfaces()) {
        if (java.lang.reflect.Modifier.isPublic(i.getModifiers())) {
          interfaces.add(i);
        }
      }
    }
    return Proxy.newProxyInstance(
        port.getClassLoader(),
        interfaces.toArray(Class<?>[]::new),
        new Metered(target, registry, tracer, component, prefix));
  }

  /** MicroProfile Telemetry's tracer, or null where there is none (no spans then). */
  public static Tracer tracer(Instance<Tracer> tracers) {
    return tracers != null && tracers.isResolvable() ? tracers.get() : null;
  }

  /** The adapter behind a proxy made here, or {@code o} itself. */
  public static Object unwrap(Object o) {
    if (o != null
        && Proxy.isProxyClass(o.getClass())
        && Proxy.getInvocationHandler(o) instanceof Metered m) {
      return m.target;
    }
    return o;
  }

  @Override
  public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
    if (method.getDeclaringClass() == Object.class) {
      return switch (method.getName()) {
        case "equals" -> proxy == args[0];
        case "hashCode" -> System.identityHashCode(proxy);
        default -> method.invoke(target, args);
      };
    }
    String name = prefix + method.getName();
    Tag operation = new Tag("operation", name);
    Span span = startSpan(name);
    long t0 = System.nanoTime();
    try (Scope scope = span == null ? null : span.makeCurrent()) {
      Object result = method.invoke(target, args);
      Class<?> type = method.getReturnType();
      if (result != null && type.isInterface() && isPort(type)) {
        return proxy(type, result, registry, tracer, component, name + ".");
      }
      return result;
    } catch (InvocationTargetException e) {
      if (registry != null) {
        registry.counter("sealpost." + component + ".errors", operation).inc();
      }
      if (span != null) {
        // the exception's class only: its message may name a key, a path or an address
        span.setStatus(StatusCode.ERROR);
        span.setAttribute("error.type", e.getCause().getClass().getName());
      }
      throw e.getCause();
    } finally {
      if (registry != null) {
        registry
            .timer("sealpost." + component + ".latency", operation)
            .update(Duration.ofNanos(System.nanoTime() - t0));
      }
      if (span != null) {
        span.end();
      }
    }
  }

  /**
   * A client span {@code <component> <operation>}, child of the current one (the request's server
   * span, when MicroProfile Telemetry is on). Its only attributes are the component and the
   * operation: never an argument.
   */
  private Span startSpan(String name) {
    if (tracer == null) {
      return null;
    }
    return tracer
        .spanBuilder(component + " " + name)
        .setSpanKind(SpanKind.CLIENT)
        .setAttribute("sealpost.component", component)
        .setAttribute("sealpost.operation", name)
        .startSpan();
  }

  private static boolean isPort(Class<?> type) {
    String name = type.getName();
    return name.startsWith("dev.sealpost.api.domain.");
  }
}

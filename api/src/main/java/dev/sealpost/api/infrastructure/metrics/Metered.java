package dev.sealpost.api.infrastructure.metrics;

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
 */
public final class Metered implements InvocationHandler {
  private final Object target;
  private final MetricRegistry registry;
  private final String component;
  private final String prefix;

  private Metered(Object target, MetricRegistry registry, String component, String prefix) {
    this.target = target;
    this.registry = registry;
    this.component = component;
    this.prefix = prefix;
  }

  /**
   * {@code target} behind a proxy that implements {@code port} and every other interface it has.
   */
  public static <T> T wrap(Class<T> port, T target, MetricRegistry registry, String component) {
    register(port, registry, component, "", 0);
    return port.cast(proxy(port, target, registry, component, ""));
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
      Class<?> port, Object target, MetricRegistry registry, String component, String prefix) {
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
        new Metered(target, registry, component, prefix));
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
    Tag operation = new Tag("operation", prefix + method.getName());
    long t0 = System.nanoTime();
    try {
      Object result = method.invoke(target, args);
      Class<?> type = method.getReturnType();
      if (result != null && type.isInterface() && isPort(type)) {
        return proxy(type, result, registry, component, prefix + method.getName() + ".");
      }
      return result;
    } catch (InvocationTargetException e) {
      registry.counter("sealpost." + component + ".errors", operation).inc();
      throw e.getCause();
    } finally {
      registry
          .timer("sealpost." + component + ".latency", operation)
          .update(Duration.ofNanos(System.nanoTime() - t0));
    }
  }

  private static boolean isPort(Class<?> type) {
    String name = type.getName();
    return name.startsWith("dev.sealpost.api.domain.");
  }
}

package dev.sealpost.api.interfaces.rest;

import jakarta.annotation.Priority;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.ext.Provider;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A query parameter the matched {@code /v1} method does not declare is a 400 ({@code
 * unknown-parameter}) naming it, instead of being ignored: {@code GET
 * /v1/audit/events?envelopeId=X} (a typo for {@code envelope}) must not answer every event of the
 * tenant. The known names are the method's {@link QueryParam}s, those of its {@link BeanParam}s and
 * of the resource class's fields. Runs after authentication, so an unknown caller still gets 401
 * first.
 */
@Provider
@Priority(Priorities.USER)
public class UnknownQueryParameterFilter implements ContainerRequestFilter {
  private static final Map<Method, Set<String>> KNOWN = new ConcurrentHashMap<>();
  private static final int MAX_NAME_SHOWN = 64;

  @Context ResourceInfo resourceInfo;

  @Override
  public void filter(ContainerRequestContext request) {
    Method method = resourceInfo == null ? null : resourceInfo.getResourceMethod();
    if (method == null) {
      return; // no resource method matched: 404/405/OPTIONS answer on their own
    }
    Set<String> known =
        KNOWN.computeIfAbsent(method, m -> knownNames(resourceInfo.getResourceClass(), m));
    unknown(request.getUriInfo().getQueryParameters(false).keySet(), known)
        .ifPresent(
            name -> {
              throw new ProblemException(
                  400,
                  "unknown-parameter",
                  "Unknown query parameter",
                  name
                      + ": this endpoint takes no such query parameter"
                      + (known.isEmpty() ? " (it takes none)" : " (it takes " + known + ")"),
                  name,
                  Map.of());
            });
  }

  /** The first (alphabetically) of {@code given} that is not in {@code known}, as shown. */
  static Optional<String> unknown(Collection<String> given, Set<String> known) {
    return new TreeSet<>(given)
        .stream()
            .filter(name -> !name.isEmpty() && !known.contains(name))
            .findFirst()
            .map(UnknownQueryParameterFilter::shown);
  }

  /** Every query parameter name {@code method} of {@code resourceClass} reads. */
  static Set<String> knownNames(Class<?> resourceClass, Method method) {
    Set<String> names = new TreeSet<>();
    for (Parameter p : method.getParameters()) {
      collect(p, p.getType(), names, 0);
    }
    if (resourceClass != null) {
      collectFields(resourceClass, names, 0);
    }
    return Set.copyOf(names);
  }

  private static void collect(
      AnnotatedElement element, Class<?> type, Set<String> names, int depth) {
    QueryParam q = element.getAnnotation(QueryParam.class);
    if (q != null) {
      names.add(q.value());
    }
    if (element.getAnnotation(BeanParam.class) != null && depth < 4) {
      collectFields(type, names, depth + 1);
      for (Method setter : type.getMethods()) {
        QueryParam s = setter.getAnnotation(QueryParam.class);
        if (s != null) {
          names.add(s.value());
        }
      }
      for (var constructor : type.getConstructors()) {
        for (Parameter p : constructor.getParameters()) {
          collect(p, p.getType(), names, depth + 1);
        }
      }
    }
  }

  private static void collectFields(Class<?> type, Set<String> names, int depth) {
    for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
      for (Field f : c.getDeclaredFields()) {
        collect(f, f.getType(), names, depth);
      }
    }
  }

  /** A parameter name as it may appear in an answer: printable ASCII, at most 64 characters. */
  private static String shown(String name) {
    String printable = name.replaceAll("[^\\x21-\\x7e]", "?");
    return printable.length() <= MAX_NAME_SHOWN
        ? printable
        : printable.substring(0, MAX_NAME_SHOWN) + "...";
  }
}

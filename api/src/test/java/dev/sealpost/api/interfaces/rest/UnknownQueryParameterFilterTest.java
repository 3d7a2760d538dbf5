package dev.sealpost.api.interfaces.rest;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.QueryParam;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class UnknownQueryParameterFilterTest {

  static class Paging {
    @QueryParam("cursor")
    String cursor;

    private String order;

    @QueryParam("order")
    public void setOrder(String order) {
      this.order = order;
    }

    String order() {
      return order;
    }
  }

  static class Resource {
    @QueryParam("lang")
    String lang;

    @GET
    public String list(@BeanParam Paging paging, @QueryParam("limit") @DefaultValue("5") int n) {
      return "";
    }

    @GET
    public String one() {
      return "";
    }
  }

  private static Method method(String name) throws NoSuchMethodException {
    for (Method m : Resource.class.getMethods()) {
      if (m.getName().equals(name)) {
        return m;
      }
    }
    throw new NoSuchMethodException(name);
  }

  @Test
  void knownNames_areTheMethodsBeanParamsAndFieldsQueryParams() throws Exception {
    assertThat(UnknownQueryParameterFilter.knownNames(Resource.class, method("list")))
        .containsExactlyInAnyOrder("cursor", "order", "limit", "lang");
    assertThat(UnknownQueryParameterFilter.knownNames(Resource.class, method("one")))
        .containsExactly("lang");
  }

  @Test
  void auditEvents_knowsItsFilters_andNotTheTypo() throws Exception {
    Method events = null;
    for (Method m : AuditResource.class.getMethods()) {
      if (m.getName().equals("events")) {
        events = m;
      }
    }
    Set<String> known = UnknownQueryParameterFilter.knownNames(AuditResource.class, events);
    assertThat(known)
        .contains("envelope", "recipient", "type", "actor", "from", "to", "cursor", "limit");
    assertThat(UnknownQueryParameterFilter.unknown(List.of("limit", "envelopeId"), known))
        .hasValue("envelopeId");
  }

  @Test
  void unknown_namesTheFirstUnknownAlphabetically_andIgnoresEmptyNames() {
    Set<String> known = Set.of("cursor", "limit");
    assertThat(UnknownQueryParameterFilter.unknown(List.of("limit", "cursor", ""), known))
        .isEmpty();
    assertThat(UnknownQueryParameterFilter.unknown(List.of("zeta", "alpha", "limit"), known))
        .hasValue("alpha");
  }

  @Test
  void unknown_showsOnlyPrintableAsciiAndAtMost64Characters() {
    assertThat(UnknownQueryParameterFilter.unknown(List.of("a\nb c"), Set.of())).hasValue("a?b?c");
    assertThat(UnknownQueryParameterFilter.unknown(List.of("x".repeat(500)), Set.of()))
        .hasValue("x".repeat(64) + "...");
  }
}

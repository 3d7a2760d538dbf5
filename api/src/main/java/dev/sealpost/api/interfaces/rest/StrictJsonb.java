package dev.sealpost.api.interfaces.rest;

import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbConfig;
import jakarta.json.bind.JsonbException;
import jakarta.json.bind.serializer.DeserializationContext;
import jakarta.json.bind.serializer.JsonbDeserializer;
import jakarta.json.stream.JsonParser;
import jakarta.ws.rs.ext.ContextResolver;
import jakarta.ws.rs.ext.Provider;
import java.lang.reflect.Type;

/**
 * The JSON-B every request body is bound with. Yasson turns the string {@code "yes"} into {@code
 * false} for a boolean member; here a boolean member takes only {@code true} or {@code false} (else
 * 400 {@code malformed-json}), so {@code "notify":"yes"} or {@code "custody":"on"} is never read as
 * something the caller did not write; a text member takes only a string ({@code "token":123} is not
 * the token {@code "123"}).
 */
@Provider
public class StrictJsonb implements ContextResolver<Jsonb> {
  static final Jsonb JSONB =
      JsonbBuilder.create(
          new JsonbConfig().withDeserializers(new StrictBoolean(), new StrictString()));

  @Override
  public Jsonb getContext(Class<?> type) {
    return JSONB;
  }

  static final class StrictBoolean implements JsonbDeserializer<Boolean> {
    @Override
    public Boolean deserialize(JsonParser parser, DeserializationContext ctx, Type rtType) {
      JsonValue v = parser.getValue();
      if (v == JsonValue.TRUE || v.getValueType() == JsonValue.ValueType.TRUE) {
        return Boolean.TRUE;
      }
      if (v == JsonValue.FALSE || v.getValueType() == JsonValue.ValueType.FALSE) {
        return Boolean.FALSE;
      }
      if (v.getValueType() == JsonValue.ValueType.NULL) {
        return null;
      }
      throw new JsonbException("a boolean member must be true or false");
    }
  }

  static final class StrictString implements JsonbDeserializer<String> {
    @Override
    public String deserialize(JsonParser parser, DeserializationContext ctx, Type rtType) {
      JsonValue v = parser.getValue();
      if (v instanceof JsonString s) {
        return s.getString();
      }
      if (v.getValueType() == JsonValue.ValueType.NULL) {
        return null;
      }
      throw new JsonbException("a text member must be a string");
    }
  }
}

package dev.canopy.deploy.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.regex.Pattern;

/**
 * A price as the YAML text says it, made a {@link BigDecimal} from those very characters: a YAML
 * float is never read as a double first, so {@code 0.0116} is exactly 0.0116. Only plain decimals
 * are accepted (digits, an optional fraction); YAML's other number forms ({@code 1e3}, {@code 0x10},
 * {@code 1_000}, {@code .inf}) and negative values are refused.
 */
final class PriceText extends JsonDeserializer<BigDecimal> {

  private static final Pattern DECIMAL = Pattern.compile("[0-9]{1,12}(\\.[0-9]{1,12})?");

  @Override
  public BigDecimal deserialize(JsonParser parser, DeserializationContext context) throws IOException {
    JsonToken token = parser.currentToken();
    String text = token.isScalarValue() ? parser.getText().trim() : null;
    if (text == null || !(token.isNumeric() || token == JsonToken.VALUE_STRING)) {
      throw JsonMappingException.from(parser, "a price is a decimal number such as 0.0116");
    }
    if (text.startsWith("-")) {
      throw JsonMappingException.from(parser, "a price is never negative, got " + text);
    }
    if (!DECIMAL.matcher(text).matches()) {
      throw JsonMappingException.from(parser, "a price is a plain decimal number such as 0.0116 (at most 12 digits each side of the point), got "
          + text);
    }
    return new BigDecimal(text);
  }
}

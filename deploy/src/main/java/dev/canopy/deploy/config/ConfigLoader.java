package dev.canopy.deploy.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;

/** Reads the YAML config into {@link CanopyConfig}; strict: unknown keys and bad values stop start-up. */
public final class ConfigLoader {

  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory())
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS);

  private ConfigLoader() {}

  public static CanopyConfig load(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new ConfigException("config file " + file + " does not exist");
    }
    try {
      var tree = YAML.readTree(file.toFile());
      // An empty file (or one holding only comments) means: every key takes its default.
      if (tree == null || tree.isMissingNode() || tree.isNull()) {
        return CanopyConfig.defaults();
      }
      // Bound from the file, not the tree: a tree has already made YAML floats doubles, and prices
      // are read from their text (PriceText).
      return YAML.readValue(file.toFile(), CanopyConfig.class);
    } catch (UnrecognizedPropertyException e) {
      throw new ConfigException(keyOf(e), "unknown key (known keys here: " + e.getKnownPropertyIds() + ")");
    } catch (JsonMappingException e) {
      if (e.getCause() instanceof ConfigException config) {
        throw config;
      }
      throw new ConfigException(keyOf(e), "bad value: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new ConfigException("config file " + file + " is not valid YAML: " + e.getMessage());
    }
  }

  private static String keyOf(JsonMappingException e) {
    return e.getPath().stream()
        .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
        .collect(Collectors.joining("."))
        .replace(".[", "[");
  }
}

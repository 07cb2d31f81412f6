package dev.canopy.deploy.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code billing:} price sheet as the YAML config gives it: defaults, exact decimals, each refusal named. */
class BillingConfigTest {

  @TempDir Path dir;

  private CanopyConfig load(String yaml) throws Exception {
    return ConfigLoaderTest.loadIn(dir, yaml);
  }

  @Test
  void withoutASectionTheExampleSheetInUsd() throws Exception {
    Billing billing = load("").billing();
    assertThat(billing.currency()).isEqualTo("USD");
    assertThat(billing.prices()).isEqualTo(Billing.PRICES_DEFAULT).containsEntry("BoxUsage:t3.micro", new BigDecimal("0.0104"));
    assertThat(billing.priceSheet().pricesBySku()).isEqualTo(Billing.PRICES_DEFAULT);
  }

  @Test
  void theSheetDocsConfigurationMdShowsIsTheDefault() throws Exception {
    String doc = Files.readString(Path.of("..", "docs", "configuration.md"));
    int start = doc.indexOf("\nbilling:");
    String section = doc.substring(start + 1, doc.indexOf("```", start));
    assertThat(load(section).billing()).isEqualTo(Billing.defaults());
  }

  @Test
  void givenPricesReplaceTheSheetExactlyAsWritten() throws Exception {
    Billing billing = load("""
        billing:
          currency: EUR
          prices:
            BoxUsage:m5.large: 0.123456789012
            DataTransfer-Out-Bytes: "0.05"
            S3-Requests-Tier1: 4
        """).billing();
    assertThat(billing.currency()).isEqualTo("EUR");
    // Exactly the text: a double would have made 0.123456789012 something else, and the scale is kept.
    assertThat(billing.prices()).isEqualTo(Map.of(
        "BoxUsage:m5.large", new BigDecimal("0.123456789012"),
        "DataTransfer-Out-Bytes", new BigDecimal("0.05"),
        "S3-Requests-Tier1", new BigDecimal("4")));
    assertThat(billing.prices().get("BoxUsage:m5.large").toPlainString()).isEqualTo("0.123456789012");
  }

  @Test
  void aCurrencyThatIsNotIso4217IsNamed() {
    assertThatThrownBy(() -> load("billing:\n  currency: XYZ\n")).isInstanceOf(ConfigException.class)
        .hasMessageContaining("'billing.currency'").hasMessageContaining("ISO 4217");
    assertThatThrownBy(() -> load("billing:\n  currency: usd\n")).hasMessageContaining("'billing.currency'");
    assertThatThrownBy(() -> load("billing:\n  currency: dollars\n")).hasMessageContaining("'billing.currency'");
  }

  @Test
  void aNegativePriceIsNamed() {
    assertThatThrownBy(() -> load("billing:\n  prices:\n    BoxUsage:t3.nano: -0.01\n")).isInstanceOf(ConfigException.class)
        .hasMessageContaining("'billing.prices.BoxUsage:t3.nano'").hasMessageContaining("negative");
  }

  @Test
  void aPriceThatIsNotAPlainDecimalIsNamed() {
    for (String value : new String[] {"cheap", "1e3", "0x10", "1_000", "[1]", "", "0.1234567890123"}) {
      assertThatThrownBy(() -> load("billing:\n  prices:\n    DataTransfer-In-Bytes: " + value + "\n")).as(value)
          .isInstanceOf(ConfigException.class).hasMessageContaining("'billing.prices.DataTransfer-In-Bytes'");
    }
    // The YAML parser itself refuses infinity, naming the value and its line rather than the key.
    assertThatThrownBy(() -> load("billing:\n  prices:\n    DataTransfer-In-Bytes: .inf\n")).isInstanceOf(ConfigException.class)
        .hasMessageContaining(".inf").hasMessageContaining("line: 3");
  }

  @Test
  void aSkuThisCloudDoesNotHaveIsNamed() {
    assertThatThrownBy(() -> load("billing:\n  prices:\n    BoxUsage:x9.mega: 1.0\n")).isInstanceOf(ConfigException.class)
        .hasMessageContaining("'billing.prices.BoxUsage:x9.mega'").hasMessageContaining("no such SKU")
        .hasMessageContaining("BoxUsage:t3.micro");
    assertThatThrownBy(() -> load("billing:\n  prices:\n    Requests-Tier1: 1.0\n"))
        .hasMessageContaining("'billing.prices.Requests-Tier1'");
  }

  @Test
  void anUnknownKeyInTheSectionIsNamed() {
    assertThatThrownBy(() -> load("billing:\n  rounding: up\n")).hasMessageContaining("'billing.rounding'").hasMessageContaining("unknown key");
  }
}

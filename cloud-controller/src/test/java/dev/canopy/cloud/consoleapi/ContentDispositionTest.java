package dev.canopy.cloud.consoleapi;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ContentDispositionTest {

  @Test
  void aPlainNameIsQuotedAsItIs() {
    assertThat(ContentDisposition.attachment("canopy-bill-acme-2026-12.csv"))
        .isEqualTo("attachment; filename=\"canopy-bill-acme-2026-12.csv\"; filename*=UTF-8''canopy-bill-acme-2026-12.csv");
  }

  @Test
  void nothingInANameCanEndTheHeaderOrAddAParameter() {
    String header = ContentDisposition.attachment("a\";\r\nSet-Cookie: x=1;*.txt");

    assertThat(header).doesNotContain("\r").doesNotContain("\n");
    assertThat(header.split(";")).hasSize(3);
    assertThat(header).contains("filename=\"a____Set-Cookie_ x_1__.txt\"");
    assertThat(header).endsWith("filename*=UTF-8''a%22%3B%0D%0ASet-Cookie%3A%20x%3D1%3B%2A.txt");
  }

  @Test
  void anyScriptKeepsItsNameInTheUtf8Form() {
    assertThat(ContentDisposition.attachment("été.txt")).contains("filename=\"_t_.txt\"").endsWith("UTF-8''%C3%A9t%C3%A9.txt");
  }
}

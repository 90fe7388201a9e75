package io.tributary.twitter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Settings are checked in build(), each mistake named; the token never shows. */
class XStreamSettingsTest {
  private static final String TOKEN = "AAAAAAAAAAAAAAAAAAAAAtokenForSettings";

  @Test
  void defaultsFollowXGuidance() {
    XStreamSettings s = XStreamSettings.builder(TOKEN).build();
    assertThat(s.baseUrl()).isEqualTo("https://api.x.com");
    assertThat(s.tweetFields()).containsExactly("created_at", "lang", "author_id", "entities");
    assertThat(s.stallTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(s.networkBackoffStep()).isEqualTo(Duration.ofMillis(250));
    assertThat(s.networkBackoffMax()).isEqualTo(Duration.ofSeconds(16));
    assertThat(s.httpBackoffInitial()).isEqualTo(Duration.ofSeconds(5));
    assertThat(s.httpBackoffMax()).isEqualTo(Duration.ofSeconds(320));
    assertThat(s.rateLimitBackoffInitial()).isEqualTo(Duration.ofMinutes(1));
    assertThat(s.toString()).doesNotContain(TOKEN);
    assertThat(XStreamSettings.builder(TOKEN).baseUrl("http://127.0.0.1:8080/").build().baseUrl())
        .isEqualTo("http://127.0.0.1:8080");
  }

  @Test
  void mistakesFailInBuildNamingTheOption() {
    assertThatThrownBy(() -> XStreamSettings.builder(null).build()).hasMessageContaining("bearerToken must not be empty");
    assertThatThrownBy(() -> XStreamSettings.builder(" ").build()).hasMessageContaining("bearerToken must not be empty");
    assertThatThrownBy(() -> XStreamSettings.builder("Bearer " + TOKEN).build())
        .hasMessageContaining("bearerToken contains whitespace")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(TOKEN));
    assertThatThrownBy(() -> XStreamSettings.builder(TOKEN).baseUrl("api.x.com").build())
        .hasMessage("baseUrl must look like https://api.x.com (scheme, host, optional port), got 'api.x.com'");
    assertThatThrownBy(() -> XStreamSettings.builder(TOKEN).stallTimeout(Duration.ZERO).build())
        .hasMessage("stallTimeout must be a positive duration, got PT0S");
    assertThatThrownBy(() -> XStreamSettings.builder(TOKEN)
            .networkBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)).build())
        .hasMessageContaining("networkBackoff max must be at least its step");
    assertThatThrownBy(() -> XStreamSettings.builder(TOKEN).rateLimitBackoff(null, Duration.ofSeconds(1)).build())
        .hasMessageContaining("rateLimitBackoff initial must be a positive duration");
    assertThatThrownBy(() -> XStreamSettings.builder(TOKEN).maxLineBytes(10).build())
        .hasMessage("maxLineBytes must be at least 1024, got 10");
    assertThatThrownBy(() -> XStreamSettings.builder(TOKEN).tweetFields("lang", "").build())
        .hasMessageContaining("tweetFields must not be null or contain blank names");
    assertThatThrownBy(() -> XStreamSettings.builder(TOKEN).rule(" ", "t"))
        .hasMessageContaining("A stream rule needs a non-blank value");
  }
}

package dev.sealpost.api.application;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sealpost.api.domain.MailerMessage;
import dev.sealpost.api.domain.VerificationMethod;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class NotificationMailsTest {
  private static final String LINK =
      "https://send.example-insurer.com/v/0b7c2a6e-1111-4222-8333-944455556666/"
          + "1c8d3b7f-2222-4333-9444-a55566667777#abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ";

  private static Properties bundle(String suffix) throws Exception {
    Properties p = new Properties();
    try (InputStream in =
        NotificationMails.class.getResourceAsStream("NotificationMails" + suffix + ".properties")) {
      p.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
    }
    return p;
  }

  @Test
  void everyLanguage_hasEveryText() throws Exception {
    Properties en = bundle("");
    assertThat(en).isNotEmpty();
    for (String suffix : List.of("_fr", "_es")) {
      assertThat(bundle(suffix).keySet()).as(suffix).isEqualTo(en.keySet());
    }
  }

  @Test
  void linkMail_inEachLanguage_carriesOrganisationSubjectLinkExpiryAndTheGenuineCheck() {
    Instant expires = Instant.parse("2026-12-06T10:15:00Z");
    for (String locale : List.of("en", "fr-CA", "es_MX")) {
      MailerMessage m =
          NotificationMails.link(
              "a@example.com",
              locale,
              "Acme Insurance",
              "Your policy documents",
              LINK,
              expires,
              VerificationMethod.EMAIL_OTP);
      assertThat(m.text())
          .as(locale)
          .contains("Acme Insurance", "Your policy documents", LINK, "send.example-insurer.com")
          .contains("2026");
      assertThat(m.html()).contains("href=\"" + LINK + "\"", "lang=\"" + locale.substring(0, 2));
    }
    assertThat(
            NotificationMails.link(
                    "a@example.com", "fr", "Acme", "s", LINK, expires, VerificationMethod.EMAIL_OTP)
                .text())
        .contains("Comment vérifier que ce courriel est authentique");
    assertThat(NotificationMails.language("de-DE")).isEqualTo("en");
    assertThat(NotificationMails.language(null)).isEqualTo("en");
  }

  @Test
  void placeholdersInTheOrganisationName_areNotFilledIn_andHtmlIsEscaped() {
    MailerMessage m =
        NotificationMails.link(
            "a@example.com",
            "en",
            "<b>{host}</b>\r\nBcc: x@evil.test",
            "s",
            LINK,
            null,
            VerificationMethod.SHARED_SECRET);
    assertThat(m.text()).contains("<b>{host}</b>  Bcc: x@evil.test has sent you");
    assertThat(m.html()).contains("&lt;b&gt;{host}&lt;/b&gt;").doesNotContain("<b>{host}");
    MailerMessage code = NotificationMails.code("a@example.com", "es", "Acme", "483920");
    assertThat(code.subject()).isEqualTo("Su código para abrir el mensaje de Acme");
    assertThat(code.text()).contains("483920", "10 minutos");
  }
}

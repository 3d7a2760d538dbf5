package dev.sealpost.api.application;

import dev.sealpost.api.domain.MailerMessage;
import dev.sealpost.api.domain.VerificationMethod;
import java.net.URI;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.ResourceBundle;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The consumer's mails, in English, French or Spanish by the recipient's {@code locale} (default
 * English): the link notification (organisation, the guarded subject, the link, the expiry, how to
 * tell the mail is genuine) and the one-time code. Never any envelope content: only what the sender
 * already had checked as clear text (the subject) and the organisation's display name.
 */
public final class NotificationMails {
  private static final String BUNDLE = "dev.sealpost.api.application.NotificationMails";
  private static final java.util.Set<String> LANGUAGES = java.util.Set.of("en", "fr", "es");
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{(org|host|expires)}");

  private NotificationMails() {}

  /** en, fr or es from a language tag such as {@code fr-CA}; anything else is English. */
  public static String language(String locale) {
    if (locale == null) {
      return "en";
    }
    String lang = locale.toLowerCase(Locale.ROOT).split("[-_]")[0];
    return LANGUAGES.contains(lang) ? lang : "en";
  }

  /** The link notification. {@code link} is live: the result must only go to the Mailer. */
  public static MailerMessage link(
      String to,
      String locale,
      String organisation,
      String subject,
      String link,
      Instant expiresAt,
      VerificationMethod method) {
    organisation = oneLine(organisation);
    String lang = language(locale);
    if (subject == null) {
      // a reissued link: the subject lives only in the encrypted manifest by now
      subject = t(lang, "subject.link", organisation, null, null);
    }
    String host = URI.create(link).getHost();
    String expires =
        expiresAt == null
            ? null
            : DateTimeFormatter.ofLocalizedDateTime(FormatStyle.LONG, FormatStyle.SHORT)
                .withLocale(Locale.forLanguageTag(lang))
                .withZone(ZoneOffset.UTC)
                .format(expiresAt);
    String expiry =
        expiresAt == null
            ? t(lang, "noexpiry", organisation, host, null)
            : t(lang, "expires", organisation, host, expires);
    String methodLine =
        t(
            lang,
            "method." + (method == null ? "EMAIL_OTP" : method.name()),
            organisation,
            host,
            null);
    LinkMail mail = new LinkMail(lang, organisation, host, subject, link, expiry, methodLine);
    return new MailerMessage(to, organisation, subject, mail.text(), mail.html());
  }

  /** The link notification's parts, rendered as plain text and as HTML. */
  private record LinkMail(
      String lang,
      String organisation,
      String host,
      String subject,
      String link,
      String expiry,
      String methodLine) {
    @Override
    public String toString() {
      return "LinkMail[redacted]"; // the link is live
    }

    private String t(String key) {
      return NotificationMails.t(lang, key, organisation, host, null);
    }

    String text() {
      StringBuilder text = new StringBuilder();
      text.append(t("intro")).append("\n\n  ");
      text.append(subject).append("\n\n");
      text.append(t("open")).append("\n").append(link).append("\n\n");
      text.append(expiry).append("\n").append(methodLine).append("\n\n");
      text.append(t("genuine.title")).append(":\n");
      for (String k : new String[] {"genuine.host", "genuine.never", "genuine.doubt"}) {
        text.append("- ").append(t(k)).append("\n");
      }
      text.append("\n").append(t("footer")).append("\n");
      return text.toString();
    }

    String html() {
      StringBuilder html = new StringBuilder();
      html.append("<!DOCTYPE html><html lang=\"")
          .append(lang)
          .append("\"><head><meta charset=\"utf-8\">");
      html.append("<title>").append(esc(subject)).append("</title></head><body>");
      html.append("<p>").append(esc(t("intro"))).append("</p>");
      html.append("<p><strong>").append(esc(subject)).append("</strong></p>");
      html.append("<p><a href=\"").append(esc(link)).append("\">");
      html.append(esc(t("button"))).append("</a></p>");
      html.append("<p>").append(esc(expiry)).append(" ").append(esc(methodLine)).append("</p>");
      html.append("<h2>").append(esc(t("genuine.title"))).append("</h2><ul>");
      for (String k : new String[] {"genuine.host", "genuine.never", "genuine.doubt"}) {
        html.append("<li>").append(esc(t(k))).append("</li>");
      }
      html.append("</ul><p>").append(esc(t("footer")));
      html.append("</p></body></html>");
      return html.toString();
    }
  }

  /** The one-time code mail. */
  public static MailerMessage code(String to, String locale, String organisation, String code) {
    organisation = oneLine(organisation);
    String lang = language(locale);
    String intro = t(lang, "code.intro", organisation, null, null);
    String validity = t(lang, "code.validity", organisation, null, null);
    String ignore = t(lang, "code.ignore", organisation, null, null);
    String text = intro + "\n\n    " + code + "\n\n" + validity + "\n" + ignore + "\n";
    String html =
        "<!DOCTYPE html><html lang=\""
            + lang
            + "\"><head><meta charset=\"utf-8\"></head><body><p>"
            + esc(intro)
            + "</p><p style=\"font-size:1.5em\"><strong>"
            + esc(code)
            + "</strong></p><p>"
            + esc(validity)
            + "</p><p>"
            + esc(ignore)
            + "</p></body></html>";
    return new MailerMessage(
        to, organisation, t(lang, "subject.code", organisation, null, null), text, html);
  }

  /** One text of the language's bundle, its placeholders filled in one pass. */
  private static String t(String lang, String key, String org, String host, String expires) {
    ResourceBundle texts =
        ResourceBundle.getBundle(
            BUNDLE,
            Locale.forLanguageTag(lang),
            NotificationMails.class.getClassLoader(),
            ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
    Map<String, String> values = new HashMap<>();
    values.put("org", org);
    values.put("host", host == null ? "" : host);
    values.put("expires", expires == null ? "" : expires);
    return PLACEHOLDER
        .matcher(texts.getString(key))
        .replaceAll(m -> Matcher.quoteReplacement(values.get(m.group(1))));
  }

  /** A display name goes into a header: no control characters. */
  static String oneLine(String s) {
    return s.replaceAll("\\p{Cntrl}", " ").strip();
  }

  /** HTML text and attribute escaping. */
  static String esc(String s) {
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> b.append("&amp;");
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }
}

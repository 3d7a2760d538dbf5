package dev.sealpost.api.application;

import dev.sealpost.api.domain.MailerMessage;
import dev.sealpost.api.domain.VerificationMethod;
import java.net.URI;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.Locale;
import java.util.Map;

/**
 * The consumer's mails, in English, French or Spanish by the recipient's {@code locale} (default
 * English): the link notification (organisation, the guarded subject, the link, the expiry, how to
 * tell the mail is genuine) and the one-time code. Never any envelope content: only what the sender
 * already had checked as clear text (the subject) and the organisation's display name.
 */
public final class NotificationMails {
  private static final Map<String, Map<String, String>> TEXTS =
      Map.of(
          "en",
          Map.ofEntries(
              Map.entry("subject.code", "Your code to open the message from {org}"),
              Map.entry("subject.link", "A sealed message from {org}"),
              Map.entry("intro", "{org} has sent you a sealed message:"),
              Map.entry("open", "Open it in your browser:"),
              Map.entry("button", "Open the sealed message"),
              Map.entry("expires", "The link works until {expires} (UTC)."),
              Map.entry("noexpiry", "The link works until the sender withdraws the message."),
              Map.entry(
                  "method.EMAIL_OTP",
                  "To open it, you will ask for a one-time code, which we send to this address."),
              Map.entry(
                  "method.SHARED_SECRET",
                  "To open it, you will type the answer you agreed with {org}."),
              Map.entry(
                  "method.NONE", "The link alone opens the message: keep this email private."),
              Map.entry("genuine.title", "How to check this email is genuine"),
              Map.entry("genuine.host", "The link goes to {host} and nowhere else."),
              Map.entry(
                  "genuine.never",
                  "We never ask for a password, a card number or other personal details."),
              Map.entry(
                  "genuine.doubt",
                  "If in doubt, do not click: contact {org} by a channel you already know."),
              Map.entry(
                  "footer",
                  "This email holds no personal data: the message is encrypted and opens only in"
                      + " your browser."),
              Map.entry("code.intro", "Your code to open the message from {org}:"),
              Map.entry(
                  "code.validity",
                  "It is valid for 10 minutes and works once. Never share it: {org} will never"
                      + " ask you for it."),
              Map.entry(
                  "code.ignore", "If you did not ask for a code, you can ignore this email.")),
          "fr",
          Map.ofEntries(
              Map.entry("subject.code", "Votre code pour ouvrir le message de {org}"),
              Map.entry("subject.link", "Un message scellé de {org}"),
              Map.entry("intro", "{org} vous a envoyé un message scellé :"),
              Map.entry("open", "Ouvrez-le dans votre navigateur :"),
              Map.entry("button", "Ouvrir le message scellé"),
              Map.entry("expires", "Le lien fonctionne jusqu'au {expires} (UTC)."),
              Map.entry(
                  "noexpiry", "Le lien fonctionne jusqu'à ce que l'expéditeur retire le message."),
              Map.entry(
                  "method.EMAIL_OTP",
                  "Pour l'ouvrir, vous demanderez un code à usage unique, envoyé à cette adresse."),
              Map.entry(
                  "method.SHARED_SECRET",
                  "Pour l'ouvrir, vous saisirez la réponse convenue avec {org}."),
              Map.entry(
                  "method.NONE",
                  "Le lien suffit à ouvrir le message : gardez ce courriel pour vous."),
              Map.entry("genuine.title", "Comment vérifier que ce courriel est authentique"),
              Map.entry("genuine.host", "Le lien mène à {host} et nulle part ailleurs."),
              Map.entry(
                  "genuine.never",
                  "Nous ne demandons jamais de mot de passe, de numéro de carte ni d'autres"
                      + " données personnelles."),
              Map.entry(
                  "genuine.doubt",
                  "En cas de doute, ne cliquez pas : contactez {org} par un moyen que vous"
                      + " connaissez déjà."),
              Map.entry(
                  "footer",
                  "Ce courriel ne contient aucune donnée personnelle : le message est chiffré et"
                      + " ne s'ouvre que dans votre navigateur."),
              Map.entry("code.intro", "Votre code pour ouvrir le message de {org} :"),
              Map.entry(
                  "code.validity",
                  "Il est valable 10 minutes et une seule fois. Ne le communiquez à personne :"
                      + " {org} ne vous le demandera jamais."),
              Map.entry("code.ignore", "Si vous n'avez pas demandé de code, ignorez ce courriel.")),
          "es",
          Map.ofEntries(
              Map.entry("subject.code", "Su código para abrir el mensaje de {org}"),
              Map.entry("subject.link", "Un mensaje sellado de {org}"),
              Map.entry("intro", "{org} le ha enviado un mensaje sellado:"),
              Map.entry("open", "Ábralo en su navegador:"),
              Map.entry("button", "Abrir el mensaje sellado"),
              Map.entry("expires", "El enlace funciona hasta el {expires} (UTC)."),
              Map.entry("noexpiry", "El enlace funciona hasta que el remitente retire el mensaje."),
              Map.entry(
                  "method.EMAIL_OTP",
                  "Para abrirlo, pedirá un código de un solo uso, que enviamos a esta dirección."),
              Map.entry(
                  "method.SHARED_SECRET",
                  "Para abrirlo, escribirá la respuesta acordada con {org}."),
              Map.entry(
                  "method.NONE", "El enlace basta para abrir el mensaje: no comparta este correo."),
              Map.entry("genuine.title", "Cómo comprobar que este correo es auténtico"),
              Map.entry("genuine.host", "El enlace lleva a {host} y a ningún otro sitio."),
              Map.entry(
                  "genuine.never",
                  "Nunca le pedimos una contraseña, un número de tarjeta ni otros datos"
                      + " personales."),
              Map.entry(
                  "genuine.doubt",
                  "Si tiene dudas, no haga clic: contacte con {org} por un canal que ya conozca."),
              Map.entry(
                  "footer",
                  "Este correo no contiene datos personales: el mensaje está cifrado y solo se"
                      + " abre en su navegador."),
              Map.entry("code.intro", "Su código para abrir el mensaje de {org}:"),
              Map.entry(
                  "code.validity",
                  "Es válido durante 10 minutos y una sola vez. No lo comparta: {org} nunca se"
                      + " lo pedirá."),
              Map.entry("code.ignore", "Si no ha pedido un código, puede ignorar este correo.")));

  private NotificationMails() {}

  /** en, fr or es from a language tag such as {@code fr-CA}; anything else is English. */
  public static String language(String locale) {
    if (locale == null) {
      return "en";
    }
    String lang = locale.toLowerCase(Locale.ROOT).split("[-_]")[0];
    return TEXTS.containsKey(lang) ? lang : "en";
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
    StringBuilder text = new StringBuilder();
    text.append(t(lang, "intro", organisation, host, null)).append("\n\n  ");
    text.append(subject).append("\n\n");
    text.append(t(lang, "open", organisation, host, null)).append("\n").append(link).append("\n\n");
    text.append(expiry).append("\n").append(methodLine).append("\n\n");
    text.append(t(lang, "genuine.title", organisation, host, null)).append(":\n");
    for (String k : new String[] {"genuine.host", "genuine.never", "genuine.doubt"}) {
      text.append("- ").append(t(lang, k, organisation, host, null)).append("\n");
    }
    text.append("\n").append(t(lang, "footer", organisation, host, null)).append("\n");

    StringBuilder html = new StringBuilder();
    html.append("<!DOCTYPE html><html lang=\"")
        .append(lang)
        .append("\"><head><meta charset=\"utf-8\">");
    html.append("<title>").append(esc(subject)).append("</title></head><body>");
    html.append("<p>").append(esc(t(lang, "intro", organisation, host, null))).append("</p>");
    html.append("<p><strong>").append(esc(subject)).append("</strong></p>");
    html.append("<p><a href=\"").append(esc(link)).append("\">");
    html.append(esc(t(lang, "button", organisation, host, null))).append("</a></p>");
    html.append("<p>").append(esc(expiry)).append(" ").append(esc(methodLine)).append("</p>");
    html.append("<h2>")
        .append(esc(t(lang, "genuine.title", organisation, host, null)))
        .append("</h2><ul>");
    for (String k : new String[] {"genuine.host", "genuine.never", "genuine.doubt"}) {
      html.append("<li>").append(esc(t(lang, k, organisation, host, null))).append("</li>");
    }
    html.append("</ul><p>").append(esc(t(lang, "footer", organisation, host, null)));
    html.append("</p></body></html>");
    return new MailerMessage(to, organisation, subject, text.toString(), html.toString());
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

  private static String t(String lang, String key, String org, String host, String expires) {
    String s = TEXTS.get(lang).get(key);
    s = s.replace("{org}", org);
    if (host != null) {
      s = s.replace("{host}", host);
    }
    if (expires != null) {
      s = s.replace("{expires}", expires);
    }
    return s;
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

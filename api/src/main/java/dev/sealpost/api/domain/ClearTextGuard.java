package dev.sealpost.api.domain;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.Year;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Refuses personal data in text that leaves Sealpost in clear (the notification subject, a shared
 * secret's hint): US social security numbers, payment card numbers, a bank routing number next to
 * an account number, and dates of birth. The whole point of Sealpost is that such data travels only
 * inside the envelope.
 *
 * <p>Tuned to refuse what is clearly personal and let ordinary business text through: a policy
 * number or an expiry date without context passes; a valid SSN, a Luhn-valid card number with a
 * card issuer prefix, a date next to "born"/"DOB", or a date whose year makes it an adult's birth
 * date does not. The text is normalised first (see {@link #normalise}), so full-width digits, other
 * dashes, dots between SSN groups or invisible characters do not hide a number. Pure: no I/O.
 */
public final class ClearTextGuard {

  /** What was found (never the value itself). */
  public enum Finding {
    SSN("a social security number"),
    PAYMENT_CARD("a payment card number"),
    BANK_ACCOUNT("a bank routing and account number"),
    DATE_OF_BIRTH("a date of birth");

    private final String description;

    Finding(String description) {
      this.description = description;
    }

    public String description() {
      return description;
    }
  }

  // Between SSN groups: a dash or dot (spaces around it allowed) or a space.
  private static final String SSN_SEPARATOR = "(?: ?[-.] ?| )";
  // 3-2-4 digits, a separator between both pairs of groups or between neither; no digit or letter
  // around. Groups: 1 area, 2 separator, 3 group (separated), 4 group (bare), 5 serial.
  private static final Pattern SSN =
      Pattern.compile(
          "(?<![\\p{Alnum}])(\\d{3})(?:("
              + SSN_SEPARATOR
              + ")(\\d{2})"
              + SSN_SEPARATOR
              + "|(\\d{2}))(\\d{4})(?![\\p{Alnum}])");
  private static final Pattern SSN_CONTEXT =
      Pattern.compile("\\b(ssn|ss#|ss no|social security|soc\\.? sec|tin|taxpayer)\\b");
  // Identifiers that commonly are 9 bare digits: such a number passes unless SSN context is near.
  private static final Pattern ID_LABEL_BEFORE =
      Pattern.compile(
          "\\b(policy|pol|claim|invoice|order|ref|reference|case|ticket|tracking|quote|contract|member|group|account|acct|routing|aba)\\b[^\\p{Alnum}]{0,4}(no\\.?|number|nr\\.?|num\\.?|#|id)?[^\\p{Alnum}]{0,4}$");
  private static final Pattern CARD =
      Pattern.compile("(?<![\\p{Alnum}])\\d(?:[-. ]?\\d){12,18}(?![\\p{Alnum}])");
  // Dotted digits are a card number only in card-like groups (4111.1111.1111.1111), not a decimal.
  private static final Pattern DOTTED_CARD = Pattern.compile("\\d{3,6}(?:\\.\\d{3,6})+");
  private static final Pattern DIGIT_RUN =
      Pattern.compile("(?<![\\p{Alnum}])\\d{9}(?![\\p{Alnum}])");
  private static final Pattern ACCOUNT_NUMBER =
      Pattern.compile("(?<![\\p{Alnum}])\\d(?:[-. ]?\\d){3,16}(?![\\p{Alnum}])");
  private static final Pattern BANK_CONTEXT =
      Pattern.compile(
          "\\b(routing|aba|rtn|account|acct|a/c|checking|savings|bank|iban|deposit)\\b");

  private static final String MONTHS =
      "jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?";
  private static final Map<String, Integer> MONTH_NUMBERS =
      Map.ofEntries(
          Map.entry("jan", 1),
          Map.entry("feb", 2),
          Map.entry("mar", 3),
          Map.entry("apr", 4),
          Map.entry("may", 5),
          Map.entry("jun", 6),
          Map.entry("jul", 7),
          Map.entry("aug", 8),
          Map.entry("sep", 9),
          Map.entry("oct", 10),
          Map.entry("nov", 11),
          Map.entry("dec", 12));
  // Numeric: 12/31/1980, 12-31-80, 31.12.1980, 1980-12-31; written: March 5, 1980 / 5 Mar 1980.
  private static final Pattern NUMERIC_DATE =
      Pattern.compile(
          "(?<![\\p{Alnum}/.-])(?:(\\d{4})[-/.](\\d{1,2})[-/.](\\d{1,2})|(\\d{1,2})([-/.])(\\d{1,2})\\5(\\d{4}|\\d{2}))(?![\\p{Alnum}/-]|\\.\\d)");
  private static final Pattern WORD_DATE =
      Pattern.compile(
          "\\b(?:("
              + MONTHS
              + ")\\.?\\s+(\\d{1,2})(?:st|nd|rd|th)?,?\\s+(\\d{4})|(\\d{1,2})(?:st|nd|rd|th)?\\s+(?:of\\s+)?("
              + MONTHS
              + ")\\.?,?\\s+(\\d{4}))\\b");
  private static final Pattern DOB_CONTEXT =
      Pattern.compile(
          "\\b(dob|d\\.o\\.b\\.?|born|birth|birthday|birthdate|date of birth|geb\\.?|geboren|née?|nacimiento|naissance)\\b");

  private final int currentYear;

  private ClearTextGuard(int currentYear) {
    this.currentYear = currentYear;
  }

  /** A guard that judges birth years against the current year. */
  public static ClearTextGuard standard() {
    return new ClearTextGuard(Year.now().getValue());
  }

  /** For tests: a fixed current year. */
  public static ClearTextGuard asOf(int currentYear) {
    return new ClearTextGuard(currentYear);
  }

  /**
   * Refuses {@code text} with a 422 naming {@code field} when it holds personal data; null passes.
   */
  public void check(String field, String text) {
    scan(text)
        .ifPresent(
            f -> {
              throw new InvalidInputException(
                  field,
                  "looks like it contains "
                      + f.description()
                      + "; this text travels in clear, so personal data belongs in the"
                      + " message or an attachment");
            });
  }

  /** The first kind of personal data found in {@code text}, if any. */
  public Optional<Finding> scan(String original) {
    if (original == null || original.isEmpty()) {
      return Optional.empty();
    }
    String text = normalise(original);
    String lower = text.toLowerCase(Locale.ROOT);
    if (hasBankAccount(text, lower)) {
      return Optional.of(Finding.BANK_ACCOUNT);
    }
    if (hasCard(text)) {
      return Optional.of(Finding.PAYMENT_CARD);
    }
    if (hasSsn(text, lower)) {
      return Optional.of(Finding.SSN);
    }
    if (hasDateOfBirth(lower)) {
      return Optional.of(Finding.DATE_OF_BIRTH);
    }
    return Optional.empty();
  }

  /** The text as a reader sees it: see {@link ClearTextNormaliser#normalise}. */
  static String normalise(String text) {
    return ClearTextNormaliser.normalise(text);
  }

  private static boolean hasSsn(String text, String lower) {
    Matcher m = SSN.matcher(text);
    while (m.find()) {
      boolean separated = m.group(2) != null;
      if (!validSsn(m.group(1), separated ? m.group(3) : m.group(4), m.group(5))) {
        continue;
      }
      boolean context = SSN_CONTEXT.matcher(lower).find();
      // Glued by a hyphen into a longer token (A-123456789-B): a reference, unless SSNs are the
      // topic.
      if (glued(text, m.start(), m.end())) {
        if (context) {
          return true;
        }
        continue;
      }
      if (separated) {
        return true;
      }
      // Nine bare digits: an SSN unless labelled as another identifier, and then still one when
      // the text speaks of social security numbers.
      String before = lower.substring(Math.max(0, m.start() - 30), m.start());
      if (!ID_LABEL_BEFORE.matcher(before).find() || context) {
        return true;
      }
    }
    return false;
  }

  private static boolean glued(String text, int start, int end) {
    boolean before =
        start >= 2
            && text.charAt(start - 1) == '-'
            && Character.isLetterOrDigit(text.charAt(start - 2));
    boolean after =
        end + 1 < text.length()
            && text.charAt(end) == '-'
            && Character.isLetterOrDigit(text.charAt(end + 1));
    return before || after;
  }

  static boolean validSsn(String area, String group, String serial) {
    int a = Integer.parseInt(area);
    return a != 0
        && a != 666
        && a < 900
        && Integer.parseInt(group) != 0
        && Integer.parseInt(serial) != 0;
  }

  private static boolean hasCard(String text) {
    Matcher m = CARD.matcher(text);
    while (m.find()) {
      if (m.group().indexOf('.') >= 0 && !DOTTED_CARD.matcher(m.group()).matches()) {
        continue;
      }
      String digits = m.group().replaceAll("[-. ]", "");
      if (digits.length() < 13 || digits.length() > 19) {
        continue;
      }
      // Issuer prefixes of the major networks (2-6) keep 13-19 digit reference numbers that
      // happen to pass Luhn (one in ten) from being refused.
      char first = digits.charAt(0);
      if (first < '2' || first > '6' || digits.chars().allMatch(c -> c == digits.charAt(0))) {
        continue;
      }
      if (luhn(digits)) {
        return true;
      }
    }
    return false;
  }

  static boolean luhn(String digits) {
    int sum = 0;
    boolean twice = false;
    for (int i = digits.length() - 1; i >= 0; i--) {
      int d = digits.charAt(i) - '0';
      if (twice) {
        d *= 2;
        if (d > 9) {
          d -= 9;
        }
      }
      sum += d;
      twice = !twice;
    }
    return sum % 10 == 0;
  }

  private static boolean hasBankAccount(String text, String lower) {
    Matcher m = DIGIT_RUN.matcher(text);
    while (m.find()) {
      if (!abaRouting(m.group())) {
        continue;
      }
      // An account number (4-17 digits, other than the routing number) close by, or the text
      // speaks of bank accounts and holds another number anywhere.
      int from = Math.max(0, m.start() - 60);
      int to = Math.min(text.length(), m.end() + 60);
      if (hasOtherNumber(text, from, to, m.start(), m.end())
          || (BANK_CONTEXT.matcher(lower).find()
              && hasOtherNumber(text, 0, text.length(), m.start(), m.end()))) {
        return true;
      }
    }
    return false;
  }

  private static boolean hasOtherNumber(String text, int from, int to, int skipStart, int skipEnd) {
    Matcher a = ACCOUNT_NUMBER.matcher(text);
    a.region(from, to);
    a.useTransparentBounds(true);
    while (a.find()) {
      if (a.end() <= skipStart || a.start() >= skipEnd) {
        String digits = a.group().replaceAll("[-. ]", "");
        if (digits.length() >= 4 && digits.length() <= 17 && !looksLikeYear(digits)) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean looksLikeYear(String digits) {
    return digits.length() == 4 && (digits.startsWith("19") || digits.startsWith("20"));
  }

  static boolean abaRouting(String nine) {
    int[] d = new int[9];
    for (int i = 0; i < 9; i++) {
      d[i] = nine.charAt(i) - '0';
    }
    int prefix = d[0] * 10 + d[1];
    boolean validPrefix =
        prefix <= 12
            || (prefix >= 21 && prefix <= 32)
            || (prefix >= 61 && prefix <= 72)
            || prefix == 80;
    if (!validPrefix || nine.equals("000000000")) {
      return false;
    }
    int sum = 3 * (d[0] + d[3] + d[6]) + 7 * (d[1] + d[4] + d[7]) + (d[2] + d[5] + d[8]);
    return sum % 10 == 0;
  }

  private boolean hasDateOfBirth(String lower) {
    boolean context = DOB_CONTEXT.matcher(lower).find();
    Matcher n = NUMERIC_DATE.matcher(lower);
    while (n.find()) {
      LocalDate date;
      if (n.group(1) != null) {
        date = date(n.group(1), n.group(2), n.group(3));
      } else {
        String y = n.group(7);
        // US order first (month/day), then day/month.
        date = date(y, n.group(4), n.group(6));
        if (date == null) {
          date = date(y, n.group(6), n.group(4));
        }
      }
      if (date != null
          && birthLike(date, context, n.group(7) != null && n.group(7).length() == 2)) {
        return true;
      }
    }
    Matcher w = WORD_DATE.matcher(lower);
    while (w.find()) {
      LocalDate date =
          w.group(1) != null
              ? date(w.group(3), month(w.group(1)), w.group(2))
              : date(w.group(6), month(w.group(5)), w.group(4));
      if (date != null && birthLike(date, context, false)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Next to words like "born" or "DOB", any past date is a birth date. Without them, a full date
   * whose year is at least 16 years back is refused too (an adult's birth date), while recent and
   * future dates (policy, claim and expiry dates) pass.
   */
  private boolean birthLike(LocalDate date, boolean context, boolean twoDigitYear) {
    if (date.getYear() > currentYear) {
      return false;
    }
    if (context) {
      return true;
    }
    return !twoDigitYear && date.getYear() >= 1900 && date.getYear() <= currentYear - 16;
  }

  private LocalDate date(String year, String month, String day) {
    try {
      int y = Integer.parseInt(year);
      if (year.length() == 2) {
        int century = (currentYear / 100) * 100;
        y = century + y > currentYear ? century - 100 + y : century + y;
      }
      if (y < 1880) {
        return null;
      }
      return LocalDate.of(y, Integer.parseInt(month), Integer.parseInt(day));
    } catch (DateTimeException | NumberFormatException e) {
      return null;
    }
  }

  private static String month(String name) {
    return Integer.toString(MONTH_NUMBERS.get(name.substring(0, 3)));
  }
}

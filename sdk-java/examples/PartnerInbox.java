import dev.sealpost.client.EnvelopeClient;
import dev.sealpost.client.InboxItem;
import dev.sealpost.client.ReceivedEnvelope;
import dev.sealpost.client.auth.DecryptionKeyProvider;
import dev.sealpost.envelope.AttachmentDescriptor;
import dev.sealpost.exception.IntegrityException;
import dev.sealpost.exception.ServiceException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * A minimal partner integration: fetch every envelope in the inbox, decrypt it end to end with the
 * partner's private key, verify the sender's signature, and write each one to
 * {@code inbox/<envelopeId>/} (message.txt plus the attachments, saved only once verified).
 *
 * <pre>
 * export SEALPOST_SERVER=https://sealpost.example.com SEALPOST_API_KEY=sp_...
 * java -cp cli/target/sealpost-cli.jar sdk-java/examples/PartnerInbox.java partner.jwk
 * </pre>
 *
 * Pass older key files too after a key rotation, so envelopes sealed to them still open. A real
 * integration remembers which envelopes it processed (e.g. by id in its own database).
 */
public class PartnerInbox {
  public static void main(String[] args) throws Exception {
    if (args.length == 0) {
      System.err.println("usage: PartnerInbox PRIVATE_JWK_FILE [OLDER_KEY_FILE...]");
      System.exit(1);
    }
    Path[] keyFiles = new Path[args.length];
    for (int i = 0; i < args.length; i++) {
      keyFiles[i] = Paths.get(args[i]);
    }
    try (EnvelopeClient client =
        EnvelopeClient.builder()
            .endpoint(URI.create(System.getenv("SEALPOST_SERVER")))
            .apiKey(System.getenv("SEALPOST_API_KEY"))
            .decryptionKeys(DecryptionKeyProvider.fromFiles(keyFiles))
            .build()) {
      for (InboxItem item : client.inbox()) {
        Path dir = Paths.get("inbox", item.envelopeId());
        if (Files.exists(dir)) {
          continue; // done on an earlier run
        }
        try {
          ReceivedEnvelope envelope = client.open(item.envelopeId());
          Files.createDirectories(dir);
          Files.write(
              dir.resolve("message.txt"), envelope.message().getBytes(StandardCharsets.UTF_8));
          for (AttachmentDescriptor a : envelope.attachments()) {
            // Names come from the sender: never use them as paths unchecked.
            envelope.saveAttachment(a.id(), dir.resolve(a.id().replaceAll("[^A-Za-z0-9-]", "_")));
          }
          System.out.println(
              item.envelopeId() + " from " + envelope.signerKeyId() + ": " + envelope.subject());
        } catch (ServiceException e) {
          System.err.println(item.envelopeId() + ": " + e.statusCode() + " " + e.problemSlug());
        } catch (IntegrityException e) {
          System.err.println(item.envelopeId() + ": REJECTED, integrity check failed");
        }
      }
    }
  }
}

package dev.sealpost.envelope;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class SmokeTest {
  @Test
  void sealThenOpen_roundTrips() throws Exception {
    EnvelopeSealer sealer = TestKeys.sealer().build();
    AttachmentSealer a = sealer.attachment("a.txt", "text/plain");
    ByteArrayOutputStream ct = new ByteArrayOutputStream();
    a.seal(new ByteArrayInputStream("hello attachment".getBytes(StandardCharsets.UTF_8)), ct);
    SealedEnvelope sealed =
        sealer.seal("subj", "msg", List.of(Recipient.partner(TestKeys.PARTNER_EC.toPublicJWK())));
    OpenedEnvelope opened =
        TestKeys.opener().open(sealed.json(), RecipientKey.privateJwk(TestKeys.PARTNER_EC));
    assertThat(opened.manifest().message()).isEqualTo("msg");
    ByteArrayOutputStream pt = new ByteArrayOutputStream();
    opened.openAttachment(a.id(), new ByteArrayInputStream(ct.toByteArray()), pt);
    assertThat(pt.toString(StandardCharsets.UTF_8)).isEqualTo("hello attachment");
  }
}

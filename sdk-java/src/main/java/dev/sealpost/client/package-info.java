/**
 * The Sealpost Java client: {@link dev.sealpost.client.EnvelopeClient} (built with {@code
 * EnvelopeClient.builder()}) for a partner's inbox and end-to-end opening, and for sending, status
 * and revocation. Built on {@code java.net.http}; no Jakarta dependencies.
 */
package dev.sealpost.client;

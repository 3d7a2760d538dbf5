/**
 * Receiving Sealpost webhooks: {@link dev.sealpost.webhooks.Webhooks#verify} checks a request's
 * Standard Webhooks signature ({@code webhook-id}, {@code webhook-timestamp}, {@code
 * webhook-signature}) against the endpoint's {@code whsec_} secret before the body is trusted.
 */
package dev.sealpost.webhooks;

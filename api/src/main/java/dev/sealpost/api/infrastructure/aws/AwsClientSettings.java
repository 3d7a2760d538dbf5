package dev.sealpost.api.infrastructure.aws;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;

/**
 * What every AWS client of the server (S3 blobs, KMS keys) is built with, in one place: the
 * url-connection HTTP client (the server ships no Netty or Apache client), the credentials
 * (default: the SDK's default chain: environment, profile, ECS task role...), the region, an
 * endpoint override for S3- or KMS-compatible services (with {@code us-east-1} when no region is
 * set: such services ignore it, but SigV4 needs one) and, if asked for, the SDK's standard retry
 * strategy (exponential backoff with jitter) with a maximum number of attempts; otherwise the SDK's
 * default retries. No timeouts are set: the SDK's defaults apply.
 *
 * <pre>{@code
 * KmsClient kms =
 *     AwsClientSettings.builder().region(region).endpoint(endpoint).standardRetries(5).build()
 *         .configure(KmsClient.builder())
 *         .build();
 * }</pre>
 */
public final class AwsClientSettings {
  private final Optional<String> region;
  private final Optional<URI> endpoint;
  private final AwsCredentialsProvider credentials;
  private final OptionalInt maxAttempts;

  private AwsClientSettings(Builder b) {
    this.region = b.region;
    this.endpoint = b.endpoint;
    this.credentials = b.credentials;
    this.maxAttempts = b.maxAttempts;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Applies these settings to a client builder; service-specific settings stay with the caller. */
  public <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> B configure(B client) {
    client.httpClientBuilder(UrlConnectionHttpClient.builder()).credentialsProvider(credentials);
    maxAttempts.ifPresent(
        attempts ->
            client.overrideConfiguration(
                o ->
                    o.retryStrategy(
                        AwsRetryStrategy.standardRetryStrategy().toBuilder()
                            .maxAttempts(attempts)
                            .build())));
    region.ifPresent(r -> client.region(Region.of(r)));
    if (region.isEmpty() && endpoint.isPresent()) {
      // S3- and KMS-compatible services ignore the region, but SigV4 needs one.
      client.region(Region.US_EAST_1);
    }
    endpoint.ifPresent(client::endpointOverride);
    return client;
  }

  /** Settings; all optional. */
  public static final class Builder {
    private Optional<String> region = Optional.empty();
    private Optional<URI> endpoint = Optional.empty();
    private AwsCredentialsProvider credentials;
    private OptionalInt maxAttempts = OptionalInt.empty();

    private Builder() {}

    public Builder region(Optional<String> region) {
      this.region = Objects.requireNonNull(region);
      return this;
    }

    public Builder endpoint(Optional<URI> endpoint) {
      this.endpoint = Objects.requireNonNull(endpoint);
      return this;
    }

    /** Default: the SDK's default chain. */
    public Builder credentials(AwsCredentialsProvider credentials) {
      this.credentials = credentials;
      return this;
    }

    /** The SDK's standard retry strategy, up to {@code maxAttempts} attempts in all. */
    public Builder standardRetries(int maxAttempts) {
      if (maxAttempts < 1) {
        throw new IllegalArgumentException("maxAttempts must be at least 1");
      }
      this.maxAttempts = OptionalInt.of(maxAttempts);
      return this;
    }

    public AwsClientSettings build() {
      if (credentials == null) {
        credentials = DefaultCredentialsProvider.builder().build();
      }
      return new AwsClientSettings(this);
    }
  }
}

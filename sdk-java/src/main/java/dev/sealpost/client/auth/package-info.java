/** Where the client finds keys: {@link dev.sealpost.client.auth.DecryptionKeyProvider}. */
package dev.sealpost.client.auth;

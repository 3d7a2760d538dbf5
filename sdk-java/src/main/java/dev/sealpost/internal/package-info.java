/**
 * Implementation details of the SDK. Not a public API: anything here may change in any release
 * without notice.
 */
package dev.sealpost.internal;

/** The Sealpost envelope format v1: sealing and opening envelopes (see docs/FORMAT.md). */
package dev.sealpost.envelope;

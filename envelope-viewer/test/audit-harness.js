// Test-only entry point (bundled to target/viewer-test/, never shipped): exposes the console's
// verifier to AuditConsoleIT, which compares it with sdk-java's AuditEvidence on the same bundles.

import { MalformedBundle, verifyEvidence } from '../js/audit-verify.js';

window.sealpostAudit = {
  /** Answers the verification, or {malformed: message} when the text is not a bundle. */
  verify: async (bundleJson, jwksJson) => {
    try {
      return await verifyEvidence(bundleJson, jwksJson === null ? null : JSON.parse(jwksJson));
    } catch (e) {
      if (e instanceof MalformedBundle) return { malformed: e.message };
      return { error: `${e && e.name}: ${e && e.message}` };
    }
  },
};
document.body.dataset.ready = 'true';

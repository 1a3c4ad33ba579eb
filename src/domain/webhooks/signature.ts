/**
 * Which secrets sign a delivery: while a secret is being rotated the old one signs beside the
 * new, so receivers can switch at leisure (the signing itself: src/engine/webhooks/sign.ts).
 */
export interface SigningSecrets {
  /** `whsec_` and the base64 of the key. */
  readonly secret: string;
  readonly previousSecret: string | null;
  /** Until when the previous secret signs too. */
  readonly previousSecretUntil: Date | null;
}

/** How long a replaced secret keeps signing. */
export const ROTATION_OVERLAP_HOURS = 24;

/** The secrets that sign at `now`: the current one, and the previous one while its overlap lasts. */
export function secretsSigningAt(s: SigningSecrets, now: Date): string[] {
  const previous = s.previousSecret !== null && s.previousSecretUntil !== null && s.previousSecretUntil > now;
  return previous ? [s.secret, s.previousSecret!] : [s.secret];
}

/**
 * Redaction of secret values. Pulumi marks secrets with a signature object; they are replaced by the shape
 * `pulumi stack export` uses for encrypted values, with no ciphertext, so no secret is ever written out.
 */
export const SIG_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
export const REDACTED = "[secret]";

export const isSecret = (v: unknown): boolean =>
  typeof v === "object" && v !== null && (v as Record<string, unknown>)[SIG_KEY] === SECRET_SIG;

export const redact = {
  secret: () => ({ [SIG_KEY]: SECRET_SIG, ciphertext: REDACTED }),
  /** Copies `v`, replacing every secret (at any depth) by the redacted marker. */
  value(v: unknown): unknown {
    if (isSecret(v)) return redact.secret();
    if (Array.isArray(v)) return v.map((x) => redact.value(x));
    if (v && typeof v === "object") {
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(v).sort()) out[k] = redact.value((v as Record<string, unknown>)[k]);
      return out;
    }
    return v;
  },
};

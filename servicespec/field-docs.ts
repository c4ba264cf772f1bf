/**
 * Helpers for the documentation attached to the zod schema (`.meta(...)`), which becomes the descriptions,
 * defaults and examples that editors show on hover and completion through schema/service.schema.json.
 * Defaults that the category decides are written from the category table, so the text cannot drift from it.
 */
import { CATEGORY_DEFAULTS, type CategoryDefaults } from "../platform/categories";

export interface FieldDoc {
  [key: string]: unknown;
  description: string;
  examples?: unknown[];
  /** Per enum value; json-schema.ts turns it into `enumDescriptions`, in the order of `enum`. */
  enumDescriptions?: Readonly<Record<string, string>>;
  title?: string;
}

/**
 * A field's documentation: what it means, then its default when the spec leaves it out (only where the
 * default is not plain data already carried by JSON Schema's `default`), and examples for completion.
 */
export function doc(
  description: string,
  extra: {
    default?: string;
    examples?: unknown[];
    values?: Readonly<Record<string, string>>;
    title?: string;
  } = {},
): FieldDoc {
  return {
    ...(extra.title ? { title: extra.title } : {}),
    description: extra.default ? `${description}\n\nDefault: ${extra.default}.` : description,
    ...(extra.examples ? { examples: extra.examples } : {}),
    ...(extra.values ? { enumDescriptions: extra.values } : {}),
  };
}

/** "test: no, internal: no, external: yes" for one decision of the category table. */
export function perCategory(decide: (d: CategoryDefaults) => string | number | boolean): string {
  const say = (v: string | number | boolean) => (typeof v === "boolean" ? (v ? "yes" : "no") : String(v));
  return Object.entries(CATEGORY_DEFAULTS)
    .map(([category, d]) => `${category}: ${say(decide(d))}`)
    .join(", ");
}

/** One line per category, from the category table: what it is for and what it turns on. */
export function categoryDescriptions(): Record<string, string> {
  const yesNo = (v: boolean) => (v ? "yes" : "no");
  return Object.fromEntries(
    Object.entries(CATEGORY_DEFAULTS).map(([category, d]) => [
      category,
      `${d.summary[0]!.toUpperCase()}${d.summary.slice(1)}. High availability by default: ${yesNo(d.highAvailabilityByDefault)}; ` +
        `minimum instances: ${d.minInstancesByDefault}; pages the owners: ${yesNo(d.pageOwnersByDefault)}; ` +
        `Cloud Armor behind Cloudflare: ${yesNo(d.cloudArmorWhenProxied)}; policies: ${d.policyEnforcement} (${d.policyConfig}).`,
    ]),
  );
}

/**
 * What an environment's category implies. This table is the single source of these decisions: the resolver
 * (resolve/environment.ts) applies them to every environment, and the schema's documentation, the policy
 * configuration, delivery and the README read them; nothing else hard-codes them.
 */
/** The environment categories, in rank order (a spec's `category`). */
export const CATEGORIES = ["test", "internal", "external"] as const;
export type Category = (typeof CATEGORIES)[number];

export interface CategoryDefaults {
  /** internal and external environments serve real users: MSP calls them "production". */
  readonly production: boolean;
  /** One-line summary for docs. */
  readonly summary: string;
  /** Position from least to most protected: deploys go in this order, and lowering it is a downgrade. */
  readonly rank: number;
  /**
   * Cloud SQL (REGIONAL) and Memorystore Redis (STANDARD_HA) when the spec leaves `highAvailability` out. MSP's
   * default, false, in every category: an environment taken over from MSP keeps the instances it has. A
   * Memorystore tier cannot change in place (the provider's `tier` forces a new instance; MSP even names the
   * BASIC one `redis-basic`), so defaulting external environments to STANDARD_HA replaced a live MSP Redis
   * (its data lost) on the first deploy; Cloud SQL would restart as REGIONAL. High availability is opted into
   * in the spec: the advisory policies gcp-sql-high-availability and gcp-redis-ha-persistence say so on every
   * preview of a production environment, and the handbook page shows zonal instances as such.
   */
  readonly highAvailabilityByDefault: boolean;
  /** Cloud SQL automated backups (always on; 90 retained, MSP's SOC2 requirement). */
  readonly retainedBackups: number;
  /** Point-in-time recovery: always for production, otherwise only with HA (as MSP did). */
  readonly pointInTimeRecovery: "always" | "with-high-availability";
  /** Days of write-ahead log kept for point-in-time recovery. */
  readonly transactionLogRetentionDays: number;
  /** Cloud Run minimum instances when `scaling.minCount` is unset (no cold starts for external users). */
  readonly minInstancesByDefault: number;
  /** Stateful resources get deletion protection and Pulumi `protect` unless `allowDestroys: true`. */
  readonly deletionProtection: true;
  /** Proxied domains get a Cloud Armor policy admitting only Cloudflare's edge. */
  readonly cloudArmorWhenProxied: boolean;
  /** CRITICAL alerts page the owners when `alerting.opsgenie` is unset. */
  readonly pageOwnersByDefault: boolean;
  /** Project label collect-security-audit-logs=true. */
  readonly securityAuditLogs: boolean;
  /** Policy pack configuration applied to previews and deploys of this category. */
  readonly policyConfig: string;
  /** How strict that configuration is, in words. */
  readonly policyEnforcement: string;
  /**
   * Environment names (`dev`, `prod2`: the name, then optional digits) from which `msp init` infers this
   * category when --category is not given. None suggests external: serving customers is stated, not guessed.
   */
  readonly suggestedByEnvironmentNames: readonly string[];
  /** The zone `msp init` proposes for a new environment's domain, when msp:allowedZones has it. */
  readonly preferredZone: string;
  /**
   * The image tag `msp init` gives a new environment when neither --tag nor a copied environment names one
   * (MSP's default for test environments); none: the environment deploys a pinned release the owner names.
   */
  readonly initialTag?: string;
  /** The spec refuses an image tag that names no particular image (`latest`). */
  readonly refusesMovingTags: boolean;
}

export const CATEGORY_DEFAULTS: Readonly<Record<Category, CategoryDefaults>> = {
  test: {
    rank: 0,
    production: false,
    summary: "development and testing; cheap, nobody is paged",
    highAvailabilityByDefault: false,
    retainedBackups: 90,
    pointInTimeRecovery: "with-high-availability",
    transactionLogRetentionDays: 7,
    minInstancesByDefault: 0,
    deletionProtection: true,
    cloudArmorWhenProxied: false,
    pageOwnersByDefault: false,
    securityAuditLogs: false,
    policyConfig: "policy/config/test.json",
    policyEnforcement: "naming and security mandatory; data-safety rules advisory or off",
    suggestedByEnvironmentNames: [
      "dev",
      "development",
      "test",
      "testing",
      "stage",
      "staging",
      "qa",
      "sandbox",
      "preview",
    ],
    preferredZone: "sgdev.org",
    initialTag: "insiders",
    refusesMovingTags: false,
  },
  internal: {
    rank: 1,
    production: true,
    summary: "production for Sourcegraph staff",
    highAvailabilityByDefault: false,
    retainedBackups: 90,
    pointInTimeRecovery: "always",
    transactionLogRetentionDays: 7,
    minInstancesByDefault: 0,
    deletionProtection: true,
    cloudArmorWhenProxied: true,
    pageOwnersByDefault: true,
    securityAuditLogs: true,
    policyConfig: "policy/config/internal.json",
    policyEnforcement: "security, WAF and backups mandatory; HA and cost advisory",
    suggestedByEnvironmentNames: ["prod", "production", "live"],
    preferredZone: "sourcegraph.com",
    refusesMovingTags: false,
  },
  external: {
    rank: 2,
    production: true,
    summary: "production for customers",
    highAvailabilityByDefault: false,
    retainedBackups: 90,
    pointInTimeRecovery: "always",
    transactionLogRetentionDays: 7,
    minInstancesByDefault: 1,
    deletionProtection: true,
    cloudArmorWhenProxied: true,
    pageOwnersByDefault: true,
    securityAuditLogs: true,
    policyConfig: "policy/config/external.json",
    policyEnforcement: "everything mandatory except cost hints and high availability (advisory)",
    suggestedByEnvironmentNames: [],
    preferredZone: "sourcegraph.com",
    refusesMovingTags: true,
  },
};

export function categoryDefaults(category: Category): CategoryDefaults {
  return CATEGORY_DEFAULTS[category];
}

/** The rank of a category name read from outside (a stack export, a base spec), or undefined if it is none. */
export function categoryRank(category: string): number | undefined {
  return Object.hasOwn(CATEGORY_DEFAULTS, category)
    ? CATEGORY_DEFAULTS[category as Category].rank
    : undefined;
}

/**
 * What an environment's category implies. This table is the single source of these decisions: components,
 * policies, docs and the README read it; nothing else hard-codes them.
 */
import type { Category } from "./schema";

export interface CategoryDefaults {
  /** internal and external environments serve real users: MSP calls them "production". */
  readonly production: boolean;
  /** One-line summary for docs. */
  readonly summary: string;
  /** Cloud SQL and Redis are regional (HA) unless the spec says otherwise. */
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
}

export const CATEGORY_DEFAULTS: Readonly<Record<Category, CategoryDefaults>> = {
  test: {
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
  },
  internal: {
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
  },
  external: {
    production: true,
    summary: "production for customers",
    highAvailabilityByDefault: true,
    retainedBackups: 90,
    pointInTimeRecovery: "always",
    transactionLogRetentionDays: 7,
    minInstancesByDefault: 1,
    deletionProtection: true,
    cloudArmorWhenProxied: true,
    pageOwnersByDefault: true,
    securityAuditLogs: true,
    policyConfig: "policy/config/external.json",
    policyEnforcement: "everything mandatory except cost hints",
  },
};

export function categoryDefaults(category: Category): CategoryDefaults {
  return CATEGORY_DEFAULTS[category];
}

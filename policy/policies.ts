/** Every policy of the pack, in catalogue order. The pack (index.ts) and the offline evaluator both use this list. */
import type { MspPolicy } from "./define";
import { mspStackNameFormat } from "./rules/msp-stack-name-format";
import { mspResourceNamePrefix } from "./rules/msp-resource-name-prefix";
import { mspRequiredLabels } from "./rules/msp-required-labels";
import { mspComponentParentage } from "./rules/msp-component-parentage";
import { cloudflareDnsAllowedZone } from "./rules/cloudflare-dns-allowed-zone";
import { cloudflareRecordProxied } from "./rules/cloudflare-record-proxied";
import { cloudflareZoneSslStrict } from "./rules/cloudflare-zone-ssl-strict";
import { cloudflareZoneHttpsTls } from "./rules/cloudflare-zone-https-tls";
import { cloudflareWafManagedRulesets } from "./rules/cloudflare-waf-managed-rulesets";
import { gcpSslpolicyModernTls12 } from "./rules/gcp-sslpolicy-modern-tls12";
import { gcpHttpsProxyHasSslPolicy } from "./rules/gcp-https-proxy-has-ssl-policy";
import { gcpLbNoPlainHttp } from "./rules/gcp-lb-no-plain-http";
import { gcpBackendCloudArmor } from "./rules/gcp-backend-cloud-armor";
import { gcpCloudArmorWafEnforced } from "./rules/gcp-cloud-armor-waf-enforced";
import { gcpCloudrunIngressRestricted } from "./rules/gcp-cloudrun-ingress-restricted";
import { gcpSqlBackupsEnabled } from "./rules/gcp-sql-backups-enabled";
import { gcpSqlPitrEnabled } from "./rules/gcp-sql-pitr-enabled";
import { gcpSqlBackupRetention } from "./rules/gcp-sql-backup-retention";
import { gcpSqlDeletionProtection } from "./rules/gcp-sql-deletion-protection";
import { mspStatefulResourcesProtected } from "./rules/msp-stateful-resources-protected";
import { gcpBigqueryTableDeletionProtection } from "./rules/gcp-bigquery-table-deletion-protection";
import { gcpSqlHighAvailability } from "./rules/gcp-sql-high-availability";
import { gcpRedisHaPersistence } from "./rules/gcp-redis-ha-persistence";
import { gcpSqlNoPublicIp } from "./rules/gcp-sql-no-public-ip";
import { gcpSqlSslEnforced } from "./rules/gcp-sql-ssl-enforced";
import { gcpSqlPostgresAuditFlags } from "./rules/gcp-sql-postgres-audit-flags";
import { gcpRedisAuthAndTls } from "./rules/gcp-redis-auth-and-tls";
import { gcpFirewallIngressRestricted } from "./rules/gcp-firewall-ingress-restricted";
import { gcpComputeInstanceHardened } from "./rules/gcp-compute-instance-hardened";
import { gcpCloudrunNoPublicInvoker } from "./rules/gcp-cloudrun-no-public-invoker";
import { gcpCloudrunDedicatedSa } from "./rules/gcp-cloudrun-dedicated-sa";
import { gcpCloudrunSecretsFromGsm } from "./rules/gcp-cloudrun-secrets-from-gsm";
import { gcpIamNoBasicRoles } from "./rules/gcp-iam-no-basic-roles";
import { gcpIamNoUserPrincipalsOrKeys } from "./rules/gcp-iam-no-user-principals-or-keys";
import { gcpIamNoPrivilegeEscalation } from "./rules/gcp-iam-no-privilege-escalation";
import { gcpSecretAccessAllowlist } from "./rules/gcp-secret-access-allowlist";
import { cloudflareDnsSafeHostname } from "./rules/cloudflare-dns-safe-hostname";
import { gcpBigqueryNotPublic } from "./rules/gcp-bigquery-not-public";
import { gcpStorageBucketPrivate } from "./rules/gcp-storage-bucket-private";
import { gcpNetworkNoDefaultNetwork } from "./rules/gcp-network-no-default-network";
import { gcpSubnetFlowLogsPrivateAccess } from "./rules/gcp-subnet-flow-logs-private-access";
import { gcpAuditLoggingDataAccess } from "./rules/gcp-audit-logging-data-access";
import { gcpCloudrunScalingBounds } from "./rules/gcp-cloudrun-scaling-bounds";
import { gcpCloudrunStartupProbeBudget } from "./rules/gcp-cloudrun-startup-probe-budget";
import { gcpSqlTierAllowlist } from "./rules/gcp-sql-tier-allowlist";
import { gcpRedisSizeAllowlist } from "./rules/gcp-redis-size-allowlist";
import { mspAllowedResourceTypes } from "./rules/msp-allowed-resource-types";
import { mspProviderSettings } from "./rules/msp-provider-settings";

export const POLICIES: readonly MspPolicy[] = [
  mspStackNameFormat,
  mspResourceNamePrefix,
  mspRequiredLabels,
  mspComponentParentage,
  cloudflareDnsAllowedZone,
  cloudflareRecordProxied,
  cloudflareZoneSslStrict,
  cloudflareZoneHttpsTls,
  cloudflareWafManagedRulesets,
  gcpSslpolicyModernTls12,
  gcpHttpsProxyHasSslPolicy,
  gcpLbNoPlainHttp,
  gcpBackendCloudArmor,
  gcpCloudArmorWafEnforced,
  gcpCloudrunIngressRestricted,
  gcpSqlBackupsEnabled,
  gcpSqlPitrEnabled,
  gcpSqlBackupRetention,
  gcpSqlDeletionProtection,
  mspStatefulResourcesProtected,
  gcpBigqueryTableDeletionProtection,
  gcpSqlHighAvailability,
  gcpRedisHaPersistence,
  gcpSqlNoPublicIp,
  gcpSqlSslEnforced,
  gcpSqlPostgresAuditFlags,
  gcpRedisAuthAndTls,
  gcpFirewallIngressRestricted,
  gcpComputeInstanceHardened,
  gcpCloudrunNoPublicInvoker,
  gcpCloudrunDedicatedSa,
  gcpCloudrunSecretsFromGsm,
  gcpIamNoBasicRoles,
  gcpIamNoUserPrincipalsOrKeys,
  gcpIamNoPrivilegeEscalation,
  gcpSecretAccessAllowlist,
  mspProviderSettings,
  cloudflareDnsSafeHostname,
  gcpBigqueryNotPublic,
  gcpStorageBucketPrivate,
  gcpNetworkNoDefaultNetwork,
  gcpSubnetFlowLogsPrivateAccess,
  gcpAuditLoggingDataAccess,
  gcpCloudrunScalingBounds,
  gcpCloudrunStartupProbeBudget,
  gcpSqlTierAllowlist,
  gcpRedisSizeAllowlist,
  mspAllowedResourceTypes,
];

import * as cloudflare from "@pulumi/cloudflare";
import { resourcePolicy, levels, check } from "../define";

/** Whether a zone setting ID is one of `names` (the API's snake_case, or the camelCase Pulumi docs show). */
export const isSetting = (id: unknown, ...names: string[]) =>
  typeof id === "string" && names.includes(id.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`));

export const cloudflareZoneSslStrict = resourcePolicy({
  name: "cloudflare-zone-ssl-strict",
  description: "Cloudflare zones validate the origin certificate: SSL mode Full (strict).",
  severity: "high",
  remediation: "Set the zone setting ssl to strict.",
  meta: { group: "WAF and edge", levels: levels("A", "M", "M"), frameworks: ["Cloudflare SSL modes"] },
  checks: [
    check(cloudflare.ZoneSetting, (setting, report, args) => {
      if (!isSetting(setting.settingId, "ssl")) args.notApplicable("not the ssl setting");
      if (setting.value !== "strict")
        report(`Zone SSL mode is "${String(setting.value)}"; it must be strict.`);
    }),
  ],
});

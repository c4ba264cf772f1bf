import * as cloudflare from "@pulumi/cloudflare";
import { resourcePolicy, levels, check } from "../define";
import { isSetting } from "./cloudflare-zone-ssl-strict";

export const cloudflareZoneHttpsTls = resourcePolicy({
  name: "cloudflare-zone-https-tls",
  description: "Cloudflare zones always use HTTPS and require TLS 1.2 or later.",
  severity: "medium",
  remediation: "Set always_use_https to on and min_tls_version to 1.2 (or 1.3).",
  meta: {
    group: "WAF and edge",
    levels: levels("A", "M", "M"),
    frameworks: ["Cloudflare TLS", "CIS 3.9 analogue"],
  },
  checks: [
    check(cloudflare.ZoneSetting, (setting, report, args) => {
      if (isSetting(setting.settingId, "always_use_https")) {
        if (setting.value !== "on") report("always_use_https must be on.");
      } else if (isSetting(setting.settingId, "min_tls_version")) {
        if (!["1.2", "1.3"].includes(String(setting.value)))
          report(`min_tls_version is ${String(setting.value)}; it must be 1.2 or 1.3.`);
      } else args.notApplicable("not an HTTPS or TLS setting");
    }),
  ],
});

import { resourcePolicy, levels } from "../define";
import { T } from "../types";

const isSetting = (id: unknown, ...names: string[]) =>
  typeof id === "string" && names.includes(id.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`));

export const cloudflareZoneSslStrict = resourcePolicy({
  name: "cloudflare-zone-ssl-strict",
  description: "Cloudflare zones validate the origin certificate: SSL mode Full (strict).",
  severity: "high",
  remediation: "Set the zone setting ssl to strict.",
  meta: { group: "WAF and edge", levels: levels("A", "M", "M"), frameworks: ["Cloudflare SSL modes"] },
  types: [T.zoneSetting],
  validate: (props, report, args) => {
    if (!isSetting(props.settingId, "ssl")) args.notApplicable("not the ssl setting");
    if (props.value !== "strict") report(`Zone SSL mode is "${String(props.value)}"; it must be strict.`);
  },
});

export { isSetting };

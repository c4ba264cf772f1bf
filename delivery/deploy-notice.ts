/**
 * What the deploy workflow announces after each stack (issue 24.6): the result of its `pulumi up` (or
 * destroy) in the environment's Slack channel, the one its alerts go to (`alerts-<service>-<env>`), as a
 * `chat.postMessage` body for the platform's Slack bot. Pure: the workflow gets it from `msp deploy-notice`.
 */
import { slackChannel, stackNameOf } from "../platform/naming";

export const DEPLOY_OUTCOMES = ["success", "failure", "cancelled"] as const;
export type DeployOutcome = (typeof DEPLOY_OUTCOMES)[number];
export const DEPLOY_ACTIONS = ["up", "destroy"] as const;
export type DeployAction = (typeof DEPLOY_ACTIONS)[number];

export interface DeployNoticeInput {
  readonly service: string;
  readonly env: string;
  readonly action: DeployAction;
  /** The job's status when the notice is sent (GitHub's `job.status`). */
  readonly outcome: DeployOutcome;
  /** The commit deployed. */
  readonly commit: string;
  /** The workflow run, where the logs are. */
  readonly runUrl: string;
}

/** A Slack message: `channel` and mrkdwn `text` (chat.postMessage). */
export interface DeployNotice {
  readonly channel: string;
  readonly text: string;
  /** The link is the whole message: no unfurled preview of the run page. */
  readonly unfurl_links: false;
}

/** Slack's mrkdwn control characters (https://api.slack.com/reference/surfaces/formatting#escaping). */
const slackText = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

const SAYS: Record<DeployAction, Record<DeployOutcome, (stack: string, commit: string) => string>> = {
  up: {
    success: (s, c) => `:white_check_mark: ${s} deployed: \`pulumi up\` of ${c} succeeded.`,
    failure: (s, c) =>
      `:x: ${s} deploy failed: \`pulumi up\` of ${c} did not succeed; what it applied stays until the next deploy.`,
    cancelled: (s, c) =>
      `:warning: ${s} deploy cancelled: \`pulumi up\` of ${c} was stopped; the stack may be locked or half applied.`,
  },
  destroy: {
    success: (s, c) => `:wastebasket: ${s} destroyed (${c} removed the environment).`,
    failure: (s, c) => `:x: ${s} destroy failed (${c} removed the environment); the stack is still there.`,
    cancelled: (s, c) => `:warning: ${s} destroy cancelled (${c}); the stack may be half destroyed.`,
  },
};

export function deployNotice(i: DeployNoticeInput): DeployNotice {
  const stack = stackNameOf(i.service, i.env);
  const said = SAYS[i.action][i.outcome](stack, i.commit.slice(0, 12));
  return {
    channel: `#${slackChannel(i.service, i.env)}`,
    text: `${slackText(said)} <${slackText(i.runUrl)}|Workflow run and logs>`,
    unfurl_links: false,
  };
}

/**
 * `msp deploy-notice <service> <env> --action up|destroy --outcome success|failure|cancelled --commit SHA
 * --run-url URL`: the Slack message announcing a deploy's result (delivery/deploy-notice.ts), as the JSON body
 * the deploy workflow posts to chat.postMessage.
 */
import type { Command } from "commander";
import {
  DEPLOY_ACTIONS,
  DEPLOY_OUTCOMES,
  deployNotice,
  type DeployAction,
  type DeployOutcome,
} from "../../delivery/deploy-notice";
import { UsageError } from "../errors";
import { environmentIdArgument, serviceIdArgument } from "../arguments";

interface Options {
  action: string;
  outcome: string;
  commit: string;
  runUrl: string;
}

const oneOf = <T extends string>(flag: string, value: string, allowed: readonly T[]): T => {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`${flag} must be ${allowed.join(", ")}, not ${JSON.stringify(value.slice(0, 40))}`);
};

export function registerDeployNotice(program: Command): void {
  program
    .command("deploy-notice")
    .description(
      "print the Slack message (chat.postMessage JSON) announcing a deploy's result in the environment's alerts channel",
    )
    .argument("<service>")
    .argument("<env>")
    .requiredOption("--action <action>", "up or destroy")
    .requiredOption("--outcome <outcome>", "success, failure or cancelled (GitHub's job.status)")
    .requiredOption("--commit <sha>", "the commit deployed")
    .requiredOption("--run-url <url>", "the workflow run (https)")
    .action((service: string, env: string, opts: Options) => {
      serviceIdArgument(service);
      environmentIdArgument(env);
      const problems: string[] = [];
      const check = <T>(f: () => T): T | undefined => {
        try {
          return f();
        } catch (e) {
          if (!(e instanceof UsageError)) throw e;
          problems.push(e.message);
          return undefined;
        }
      };
      const action = check(() => oneOf<DeployAction>("--action", opts.action, DEPLOY_ACTIONS));
      const outcome = check(() => oneOf<DeployOutcome>("--outcome", opts.outcome, DEPLOY_OUTCOMES));
      if (!/^[0-9a-f]{7,64}$/.test(opts.commit))
        problems.push(`--commit must be a commit SHA (hex), not ${JSON.stringify(opts.commit.slice(0, 70))}`);
      if (!/^https:\/\/[^\s<>|]+$/.test(opts.runUrl))
        problems.push(`--run-url must be an https URL, not ${JSON.stringify(opts.runUrl.slice(0, 70))}`);
      if (problems.length || !action || !outcome) throw new UsageError(problems.join("\n"));
      console.log(
        JSON.stringify(
          deployNotice({ service, env, action, outcome, commit: opts.commit, runUrl: opts.runUrl }),
        ),
      );
    });
}

import type { Metadata } from "next";
import { FeedbackAlertForm } from "@/components/feedback/feedback-alert-form";
import { ArchiveProjectControl, RenameProjectForm } from "@/components/projects/project-settings";
import { CostConfirmationForm } from "@/components/runs/cost-confirmation-form";
import { usd } from "@/components/runs/format";
import { ConfigList, Details } from "@/components/settings/config-list";
import { CredentialActions } from "@/components/settings/credential-actions";
import { CredentialForm } from "@/components/settings/credential-form";
import { MetricConfigForm } from "@/components/settings/metric-config-form";
import { ModelConfigForm } from "@/components/settings/model-config-form";
import { PageHeader, Section, Time } from "@/components/ui/page";
import { requireProjectPage } from "@/lib/auth/pages";
import { hasRole } from "@/lib/core/roles";
import { listMetrics } from "@/lib/metrics/registry";
import { listProjectCredentials } from "@/lib/services/credentials/manage";
import { feedbackCheckMinutes, getFeedbackAlertSettings } from "@/lib/services/feedback-proposals";
import { getProjectView } from "@/lib/services/projects";
import {
  getCostConfirmation,
  listProjectMetricConfigs,
  listProjectModelConfigs,
} from "@/lib/services/settings";

export const metadata: Metadata = { title: "Settings" };

const PROVIDER_LABELS: Record<string, string> = {
  openai: "OpenAI",
  anthropic: "Anthropic",
  vertex: "Google Vertex AI",
  "openai-compatible": "OpenAI-compatible server",
};

export default async function SettingsPage({ params }: { params: Promise<{ project: string }> }) {
  const { project: slug } = await params;
  const { db, access } = await requireProjectPage(slug, `/projects/${slug}/settings`);
  const canEdit = hasRole(access.role, "editor");
  const canManageCredentials = hasRole(access.role, "admin");
  const [credentials, models, metricConfigs] = await Promise.all([
    listProjectCredentials(db, access),
    listProjectModelConfigs(db, access),
    listProjectMetricConfigs(db, access),
  ]);
  const credentialChoices = credentials
    .filter((c) => c.set)
    .map(({ name, provider, endpoint }) => ({ name, provider, endpoint }));
  const metricChoices = listMetrics().map(({ name, description }) => ({ name, description }));
  const projectView = await getProjectView(db, access);
  const costConfirmation = await getCostConfirmation(db, access);
  const feedbackAlert = await getFeedbackAlertSettings(db, access);
  const canManageProject = hasRole(access.role, "admin");

  return (
    <>
      <PageHeader
        title="Settings"
        description="Provider credentials, model configurations and metric configurations of this project. Task files and runs name configurations with { config: <name> }."
      />

      <Section title="Provider credentials" id="credentials">
        <p className="mb-4 text-sm text-slate-600">
          Stored encrypted; never shown again after saving. Each credential is bound to its endpoint: its key
          is sent nowhere else. Model configurations name a credential, or use the provider&apos;s default one
          (named after the provider) where the server&apos;s environment does not configure the provider.
          {canManageCredentials ? "" : " Only admins can change them."}
        </p>
        <ul className="space-y-4">
          {credentials.map((c) => (
            <li key={c.name} className="rounded-md border border-slate-200 p-4">
              <div className="flex flex-wrap items-baseline justify-between gap-2">
                <h3 className="font-medium">
                  {c.name === c.provider ? (PROVIDER_LABELS[c.provider] ?? c.provider) : c.name}
                  {c.name !== c.provider ? (
                    <span className="ml-2 text-xs font-normal text-slate-500">
                      {PROVIDER_LABELS[c.provider] ?? c.provider}
                    </span>
                  ) : null}
                </h3>
                <p className="text-sm">
                  {c.set ? (
                    <>
                      <span className="rounded bg-emerald-100 px-2 py-0.5 text-xs font-medium text-emerald-800">
                        Set
                      </span>{" "}
                      <span
                        className="font-mono text-xs"
                        title="First 8 hex of the sha256 of the stored settings"
                      >
                        {c.fingerprint}
                      </span>
                      <span className="text-xs text-slate-500">
                        {" "}
                        · updated <Time value={c.updatedAt} />
                        {c.updatedBy ? ` by ${c.updatedBy}` : ""}
                      </span>
                    </>
                  ) : (
                    <span className="rounded bg-slate-100 px-2 py-0.5 text-xs font-medium text-slate-700">
                      Not set
                    </span>
                  )}
                </p>
              </div>
              {c.set ? (
                <p className="mt-1 break-all text-xs text-slate-600">
                  Endpoint: <span className="font-mono">{c.endpoint ?? "the provider's own"}</span>
                  {c.usedBy.length > 0 ? ` · used by ${c.usedBy.join(", ")}` : ""}
                </p>
              ) : null}
              {c.environment ? (
                <p className="mt-1 text-xs text-amber-800">
                  The server&apos;s environment configures this provider: configurations that name no
                  credential use it instead.
                </p>
              ) : null}
              {canManageCredentials ? (
                <>
                  {c.set ? (
                    <div className="mt-3">
                      <CredentialActions project={slug} name={c.name} />
                    </div>
                  ) : null}
                  <Details summary={c.set ? "Replace the credential" : "Set a credential"}>
                    <CredentialForm project={slug} name={c.name} provider={c.provider} isSet={c.set} />
                  </Details>
                </>
              ) : null}
            </li>
          ))}
        </ul>
        {canManageCredentials ? (
          <Details summary="Add a named credential (e.g. a second server)">
            <CredentialForm project={slug} isSet={false} />
          </Details>
        ) : null}
      </Section>

      <Section title="Model configurations" id="model-configs">
        <ConfigList
          project={slug}
          collection="model-configs"
          noun="model configuration"
          items={models}
          canEdit={canEdit}
          lines={(m) => (
            <>
              <p className="font-mono text-xs text-slate-700">
                {m.model}
                {m.credential ? ` · credential ${m.credential}` : ""}
              </p>
              <p className="mt-1 text-xs text-slate-500">
                {[
                  m.params.temperature !== undefined ? `temperature ${m.params.temperature}` : null,
                  m.params.maxOutputTokens !== undefined ? `max tokens ${m.params.maxOutputTokens}` : null,
                  `concurrency ${m.concurrency}`,
                  m.rateLimit.requestsPerMinute !== undefined
                    ? `${m.rateLimit.requestsPerMinute} req/min`
                    : null,
                  m.rateLimit.tokensPerMinute !== undefined
                    ? `${m.rateLimit.tokensPerMinute} tokens/min`
                    : null,
                  m.price ? `$${m.price.input} / $${m.price.output} per 1M tokens` : null,
                ]
                  .filter(Boolean)
                  .join(" · ")}
              </p>
            </>
          )}
          form={(m) => (
            <ModelConfigForm
              project={slug}
              credentials={credentialChoices}
              initial={m ? { ...m, updatedAt: m.updatedAt.toISOString() } : undefined}
            />
          )}
        />
      </Section>

      <Section title="Cost confirmation" id="cost-confirmation">
        <p className="mb-4 text-sm text-slate-600">
          The start-run form estimates a run&apos;s calls, tokens and cost before it starts. A run on a paid
          model that may cost more than {usd(costConfirmation.confirmAboveUsd)} asks for confirmation first.
          {canManageProject ? "" : " Only admins can change the limit."}
        </p>
        {canManageProject ? <CostConfirmationForm project={slug} current={costConfirmation} /> : null}
      </Section>

      <Section title="Feedback alerts" id="feedback-alerts">
        <p className="mb-4 text-sm text-slate-600">
          {feedbackAlert.enabled
            ? `Every ${feedbackCheckMinutes()} minutes (STROP_FEEDBACK_CHECK_MINUTES), a prompt version that still serves traffic and got ${feedbackAlert.minimumJudgments} or more judgments of one name in the last ${feedbackAlert.windowDays} days, at least ${Math.round(feedbackAlert.rate * 100)}% of them negative (a value of ${feedbackAlert.negativeAtMost} or below), gets a proposal to optimize it from feedback on its prompt's page.`
            : "Off: the scheduled check skips this project."}
          {canManageProject ? "" : " Only admins can change these settings."}
        </p>
        {canManageProject ? <FeedbackAlertForm project={slug} current={feedbackAlert} /> : null}
      </Section>

      <Section title="Metric configurations" id="metric-configs">
        <ConfigList
          project={slug}
          collection="metric-configs"
          noun="metric configuration"
          items={metricConfigs}
          canEdit={canEdit}
          lines={(m) => (
            <>
              <p className="text-xs text-slate-700">
                <span className="font-mono">{m.metric}</span> · weight {m.weight}
                {m.target !== null ? ` · target ${m.target}` : ""}
              </p>
              {Object.keys(m.options).length > 0 ? (
                <pre className="mt-1 relative overflow-x-auto text-xs text-slate-500">
                  {JSON.stringify(m.options)}
                </pre>
              ) : null}
            </>
          )}
          form={(m) => (
            <MetricConfigForm
              project={slug}
              metrics={metricChoices}
              initial={m ? { ...m, updatedAt: m.updatedAt.toISOString() } : undefined}
            />
          )}
        />
      </Section>
      <Section title="Project" id="project">
        {projectView.archivedAt ? (
          <p className="mb-3 rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900">
            Archived <Time value={projectView.archivedAt} />: it is out of the project list and takes no new
            runs, batches or dataset changes; everything in it stays readable.
          </p>
        ) : null}
        {canManageProject ? (
          <div className="space-y-6">
            <RenameProjectForm project={slug} name={projectView.name} />
            <div>
              <h3 className="mb-2 font-medium">Archive</h3>
              <ArchiveProjectControl project={slug} archived={projectView.archivedAt !== null} />
            </div>
          </div>
        ) : (
          <p className="text-sm text-slate-600">
            {projectView.name} (<code>{slug}</code>). Only admins can rename or archive the project.
          </p>
        )}
      </Section>
    </>
  );
}

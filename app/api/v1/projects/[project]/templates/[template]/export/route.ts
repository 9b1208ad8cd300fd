import { defineRoute } from "@/lib/http/define-route";
import { exportTemplate } from "@/lib/services/templates";
import { templateParamsSchema } from "@/lib/validation/template-api";

export const dynamic = "force-dynamic";

export const GET = defineRoute({
  method: "GET",
  path: "/api/v1/projects/{project}/templates/{template}/export",
  summary: "Download a template (built-in or the project's) as a YAML file to import elsewhere",
  description:
    "Send the file to POST …/templates/import in another project or instance to share the template.",
  tags: ["templates"],
  auth: { role: "viewer" },
  params: templateParamsSchema,
  rawResponse: {
    contentTypes: ["text/yaml"],
    description: "The template file: prompt, variables, metrics, notes and every dataset row.",
  },
  handler: async ({ db, access, params }) => {
    const file = await exportTemplate(db, access, params.template);
    return new Response(file.yaml, {
      headers: {
        "Content-Type": "text/yaml; charset=utf-8",
        "Content-Disposition": `attachment; filename="${file.filename}"`,
        "Cache-Control": "private, no-store",
      },
    });
  },
});

// The Inngest endpoint: the Inngest server (Dev Server, Cloud or self-hosted) syncs the functions with
// GET/PUT and calls them with POST.
import { serve } from "inngest/next";
import { inngest } from "@/inngest/client";
import { functions } from "@/inngest/functions";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const { GET, POST, PUT } = serve({ client: inngest, functions });

import { experimentStatusRoute } from "../status-route";

export const dynamic = "force-dynamic";

export const POST = experimentStatusRoute(
  "started",
  "Start a draft experiment: the label's traffic with a subject is split from now on",
  "409 while another experiment runs or is paused on the same label, or when it is not a draft.",
);

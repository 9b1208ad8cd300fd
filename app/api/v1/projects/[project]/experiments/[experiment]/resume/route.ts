import { experimentStatusRoute } from "../status-route";

export const dynamic = "force-dynamic";

export const POST = experimentStatusRoute(
  "resumed",
  "Resume a paused experiment: returning subjects keep their variants",
  "409 unless it is paused.",
);

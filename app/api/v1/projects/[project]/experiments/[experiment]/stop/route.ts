import { experimentStatusRoute } from "../status-route";

export const dynamic = "force-dynamic";

export const POST = experimentStatusRoute(
  "stopped",
  "Stop an experiment by hand (no promotion): the label serves its own version again",
  "409 once it is stopped.",
);

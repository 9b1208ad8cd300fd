-- compose.yaml: the self-hosted Inngest server keeps its state in its own database beside Strop's.
CREATE DATABASE inngest;

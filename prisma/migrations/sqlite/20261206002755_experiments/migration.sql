-- CreateTable
CREATE TABLE "Experiment" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "projectId" TEXT NOT NULL,
    "taskId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'draft',
    "mode" TEXT NOT NULL DEFAULT 'fixed',
    "activeKey" TEXT,
    "metric" JSONB NOT NULL,
    "guardrails" JSONB NOT NULL,
    "alpha" REAL NOT NULL DEFAULT 0.05,
    "baseline" REAL NOT NULL,
    "minimumDetectableEffect" REAL NOT NULL,
    "standardDeviation" REAL,
    "plannedSamplePerVariant" INTEGER NOT NULL,
    "maxDurationHours" REAL NOT NULL,
    "decision" TEXT,
    "decisionReason" TEXT,
    "winnerVariantId" TEXT,
    "promotion" TEXT,
    "createdBy" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "startedAt" DATETIME,
    "stoppedAt" DATETIME,
    "lastAnalyzedAt" DATETIME,
    CONSTRAINT "Experiment_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Experiment_taskId_fkey" FOREIGN KEY ("taskId") REFERENCES "Task" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ExperimentVariant" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "experimentId" TEXT NOT NULL,
    "index" INTEGER NOT NULL,
    "versionId" TEXT NOT NULL,
    "weight" REAL NOT NULL,
    "banditWeight" REAL,
    CONSTRAINT "ExperimentVariant_experimentId_fkey" FOREIGN KEY ("experimentId") REFERENCES "Experiment" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "ExperimentVariant_versionId_fkey" FOREIGN KEY ("versionId") REFERENCES "PromptVersion" ("id") ON DELETE NO ACTION ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Exposure" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "experimentId" TEXT NOT NULL,
    "variantId" TEXT NOT NULL,
    "subjectId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Exposure_experimentId_fkey" FOREIGN KEY ("experimentId") REFERENCES "Experiment" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Exposure_variantId_fkey" FOREIGN KEY ("variantId") REFERENCES "ExperimentVariant" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Feedback" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "projectId" TEXT NOT NULL,
    "generationId" TEXT,
    "exposureId" TEXT,
    "experimentId" TEXT,
    "versionId" TEXT,
    "name" TEXT NOT NULL,
    "value" REAL,
    "category" TEXT,
    "comment" TEXT,
    "correction" TEXT,
    "source" TEXT NOT NULL,
    "idempotencyKey" TEXT,
    "actorLabel" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Feedback_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Feedback_generationId_fkey" FOREIGN KEY ("generationId") REFERENCES "Generation" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Feedback_exposureId_fkey" FOREIGN KEY ("exposureId") REFERENCES "Exposure" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Feedback_experimentId_fkey" FOREIGN KEY ("experimentId") REFERENCES "Experiment" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ExperimentAnalysis" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "experimentId" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "trigger" TEXT NOT NULL DEFAULT 'manual',
    "result" JSONB,
    "decision" TEXT,
    "reason" TEXT,
    "error" TEXT,
    "failedStep" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" DATETIME,
    CONSTRAINT "ExperimentAnalysis_experimentId_fkey" FOREIGN KEY ("experimentId") REFERENCES "Experiment" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Generation" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "projectId" TEXT NOT NULL,
    "taskId" TEXT NOT NULL,
    "versionId" TEXT NOT NULL,
    "label" TEXT,
    "model" TEXT NOT NULL,
    "variables" JSONB NOT NULL,
    "output" TEXT,
    "error" TEXT,
    "inputTokens" INTEGER NOT NULL DEFAULT 0,
    "outputTokens" INTEGER NOT NULL DEFAULT 0,
    "costUsd" REAL NOT NULL DEFAULT 0,
    "latencyMs" REAL NOT NULL DEFAULT 0,
    "cached" BOOLEAN NOT NULL DEFAULT false,
    "apiKeyId" TEXT,
    "userId" TEXT,
    "exposureId" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Generation_taskId_fkey" FOREIGN KEY ("taskId") REFERENCES "Task" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Generation_versionId_fkey" FOREIGN KEY ("versionId") REFERENCES "PromptVersion" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Generation_exposureId_fkey" FOREIGN KEY ("exposureId") REFERENCES "Exposure" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Generation" ("apiKeyId", "cached", "costUsd", "createdAt", "error", "id", "inputTokens", "label", "latencyMs", "model", "output", "outputTokens", "projectId", "taskId", "userId", "variables", "versionId") SELECT "apiKeyId", "cached", "costUsd", "createdAt", "error", "id", "inputTokens", "label", "latencyMs", "model", "output", "outputTokens", "projectId", "taskId", "userId", "variables", "versionId" FROM "Generation";
DROP TABLE "Generation";
ALTER TABLE "new_Generation" RENAME TO "Generation";
CREATE INDEX "Generation_projectId_createdAt_idx" ON "Generation"("projectId", "createdAt");
CREATE INDEX "Generation_versionId_createdAt_idx" ON "Generation"("versionId", "createdAt");
CREATE INDEX "Generation_exposureId_idx" ON "Generation"("exposureId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE UNIQUE INDEX "Experiment_activeKey_key" ON "Experiment"("activeKey");

-- CreateIndex
CREATE INDEX "Experiment_projectId_createdAt_idx" ON "Experiment"("projectId", "createdAt");

-- CreateIndex
CREATE INDEX "Experiment_status_idx" ON "Experiment"("status");

-- CreateIndex
CREATE INDEX "ExperimentVariant_versionId_idx" ON "ExperimentVariant"("versionId");

-- CreateIndex
CREATE UNIQUE INDEX "ExperimentVariant_experimentId_index_key" ON "ExperimentVariant"("experimentId", "index");

-- CreateIndex
CREATE INDEX "Exposure_variantId_idx" ON "Exposure"("variantId");

-- CreateIndex
CREATE UNIQUE INDEX "Exposure_experimentId_subjectId_key" ON "Exposure"("experimentId", "subjectId");

-- CreateIndex
CREATE INDEX "Feedback_projectId_createdAt_idx" ON "Feedback"("projectId", "createdAt");

-- CreateIndex
CREATE INDEX "Feedback_experimentId_name_idx" ON "Feedback"("experimentId", "name");

-- CreateIndex
CREATE INDEX "Feedback_generationId_idx" ON "Feedback"("generationId");

-- CreateIndex
CREATE INDEX "Feedback_versionId_createdAt_idx" ON "Feedback"("versionId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Feedback_projectId_idempotencyKey_key" ON "Feedback"("projectId", "idempotencyKey");

-- CreateIndex
CREATE INDEX "ExperimentAnalysis_experimentId_createdAt_idx" ON "ExperimentAnalysis"("experimentId", "createdAt");

-- CreateIndex
CREATE INDEX "ExperimentAnalysis_status_idx" ON "ExperimentAnalysis"("status");

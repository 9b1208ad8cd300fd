-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_BatchJob" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "projectId" TEXT NOT NULL,
    "taskId" TEXT NOT NULL,
    "promptVersionId" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "datasetVersionId" TEXT,
    "sourceName" TEXT NOT NULL,
    "model" JSONB NOT NULL,
    "cache" JSONB NOT NULL,
    "chunkSize" INTEGER NOT NULL,
    "malformedPolicy" TEXT NOT NULL,
    "columns" JSONB NOT NULL,
    "lastRowNumber" INTEGER NOT NULL DEFAULT 0,
    "origin" TEXT NOT NULL DEFAULT 'api',
    "status" TEXT NOT NULL DEFAULT 'queued',
    "totalRows" INTEGER NOT NULL DEFAULT 0,
    "doneRows" INTEGER NOT NULL DEFAULT 0,
    "failedRows" INTEGER NOT NULL DEFAULT 0,
    "skippedRows" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "failedStep" TEXT,
    "calls" INTEGER NOT NULL DEFAULT 0,
    "cacheHits" INTEGER NOT NULL DEFAULT 0,
    "inputTokens" INTEGER NOT NULL DEFAULT 0,
    "outputTokens" INTEGER NOT NULL DEFAULT 0,
    "costUsd" REAL NOT NULL DEFAULT 0,
    "retries" INTEGER NOT NULL DEFAULT 0,
    "latency" JSONB,
    "createdBy" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" DATETIME,
    "finishedAt" DATETIME,
    CONSTRAINT "BatchJob_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "BatchJob_taskId_fkey" FOREIGN KEY ("taskId") REFERENCES "Task" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "BatchJob_promptVersionId_fkey" FOREIGN KEY ("promptVersionId") REFERENCES "PromptVersion" ("id") ON DELETE NO ACTION ON UPDATE CASCADE,
    CONSTRAINT "BatchJob_datasetVersionId_fkey" FOREIGN KEY ("datasetVersionId") REFERENCES "DatasetVersion" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_BatchJob" ("cache", "cacheHits", "calls", "chunkSize", "columns", "costUsd", "createdAt", "createdBy", "datasetVersionId", "doneRows", "error", "failedRows", "failedStep", "finishedAt", "id", "inputTokens", "lastRowNumber", "malformedPolicy", "model", "origin", "outputTokens", "projectId", "promptVersionId", "skippedRows", "source", "sourceName", "startedAt", "status", "taskId", "totalRows") SELECT "cache", "cacheHits", "calls", "chunkSize", "columns", "costUsd", "createdAt", "createdBy", "datasetVersionId", "doneRows", "error", "failedRows", "failedStep", "finishedAt", "id", "inputTokens", "lastRowNumber", "malformedPolicy", "model", "origin", "outputTokens", "projectId", "promptVersionId", "skippedRows", "source", "sourceName", "startedAt", "status", "taskId", "totalRows" FROM "BatchJob";
DROP TABLE "BatchJob";
ALTER TABLE "new_BatchJob" RENAME TO "BatchJob";
CREATE INDEX "BatchJob_projectId_createdAt_idx" ON "BatchJob"("projectId", "createdAt");
CREATE INDEX "BatchJob_status_idx" ON "BatchJob"("status");
CREATE TABLE "new_OptimizationRun" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "projectId" TEXT NOT NULL,
    "taskId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "baselineVersionId" TEXT NOT NULL,
    "bestVersionId" TEXT,
    "datasetVersionId" TEXT NOT NULL,
    "config" JSONB NOT NULL,
    "seed" INTEGER NOT NULL,
    "error" TEXT,
    "failedStep" TEXT,
    "progress" JSONB,
    "report" JSONB,
    "calls" INTEGER NOT NULL DEFAULT 0,
    "inputTokens" INTEGER NOT NULL DEFAULT 0,
    "outputTokens" INTEGER NOT NULL DEFAULT 0,
    "costUsd" REAL NOT NULL DEFAULT 0,
    "retries" INTEGER NOT NULL DEFAULT 0,
    "latency" JSONB,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" DATETIME,
    "finishedAt" DATETIME,
    CONSTRAINT "OptimizationRun_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "OptimizationRun_taskId_fkey" FOREIGN KEY ("taskId") REFERENCES "Task" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "OptimizationRun_baselineVersionId_fkey" FOREIGN KEY ("baselineVersionId") REFERENCES "PromptVersion" ("id") ON DELETE NO ACTION ON UPDATE CASCADE,
    CONSTRAINT "OptimizationRun_bestVersionId_fkey" FOREIGN KEY ("bestVersionId") REFERENCES "PromptVersion" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "OptimizationRun_datasetVersionId_fkey" FOREIGN KEY ("datasetVersionId") REFERENCES "DatasetVersion" ("id") ON DELETE NO ACTION ON UPDATE CASCADE
);
INSERT INTO "new_OptimizationRun" ("baselineVersionId", "bestVersionId", "calls", "config", "costUsd", "createdAt", "datasetVersionId", "error", "failedStep", "finishedAt", "id", "inputTokens", "kind", "outputTokens", "progress", "projectId", "report", "seed", "startedAt", "status", "taskId") SELECT "baselineVersionId", "bestVersionId", "calls", "config", "costUsd", "createdAt", "datasetVersionId", "error", "failedStep", "finishedAt", "id", "inputTokens", "kind", "outputTokens", "progress", "projectId", "report", "seed", "startedAt", "status", "taskId" FROM "OptimizationRun";
DROP TABLE "OptimizationRun";
ALTER TABLE "new_OptimizationRun" RENAME TO "OptimizationRun";
CREATE INDEX "OptimizationRun_projectId_createdAt_idx" ON "OptimizationRun"("projectId", "createdAt");
CREATE INDEX "OptimizationRun_taskId_createdAt_idx" ON "OptimizationRun"("taskId", "createdAt");
CREATE INDEX "OptimizationRun_status_idx" ON "OptimizationRun"("status");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

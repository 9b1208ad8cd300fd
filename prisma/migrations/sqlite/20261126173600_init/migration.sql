-- CreateTable
CREATE TABLE "Project" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "ModelConfig" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "projectId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "modelId" TEXT NOT NULL,
    "baseURL" TEXT,
    "apiKeyEnv" TEXT,
    "params" JSONB NOT NULL,
    "priceInputPerMTok" REAL,
    "priceOutputPerMTok" REAL,
    "concurrency" INTEGER NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "ModelConfig_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "MetricConfig" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "projectId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "metric" TEXT NOT NULL,
    "options" JSONB NOT NULL,
    "weight" REAL NOT NULL,
    "target" REAL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "MetricConfig_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Task" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "projectId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Task_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "PromptVersion" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "taskId" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "systemPrompt" TEXT NOT NULL,
    "outputPrompt" TEXT NOT NULL,
    "demos" JSONB NOT NULL,
    "params" JSONB NOT NULL,
    "variables" JSONB NOT NULL,
    "contentHash" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "runId" TEXT,
    "note" TEXT NOT NULL DEFAULT '',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "PromptVersion_taskId_fkey" FOREIGN KEY ("taskId") REFERENCES "Task" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "PromptVersion_runId_fkey" FOREIGN KEY ("runId") REFERENCES "OptimizationRun" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Dataset" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "projectId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Dataset_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "DatasetVersion" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "datasetId" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "contentHash" TEXT NOT NULL,
    "sourceName" TEXT NOT NULL,
    "rowCount" INTEGER NOT NULL,
    "columns" JSONB NOT NULL,
    "expectedColumn" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "DatasetVersion_datasetId_fkey" FOREIGN KEY ("datasetId") REFERENCES "Dataset" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Example" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "datasetVersionId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "rowNumber" INTEGER NOT NULL,
    "input" JSONB NOT NULL,
    "expected" TEXT NOT NULL,
    CONSTRAINT "Example_datasetVersionId_fkey" FOREIGN KEY ("datasetVersionId") REFERENCES "DatasetVersion" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "OptimizationRun" (
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
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" DATETIME,
    "finishedAt" DATETIME,
    CONSTRAINT "OptimizationRun_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "OptimizationRun_taskId_fkey" FOREIGN KEY ("taskId") REFERENCES "Task" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "OptimizationRun_baselineVersionId_fkey" FOREIGN KEY ("baselineVersionId") REFERENCES "PromptVersion" ("id") ON DELETE NO ACTION ON UPDATE CASCADE,
    CONSTRAINT "OptimizationRun_bestVersionId_fkey" FOREIGN KEY ("bestVersionId") REFERENCES "PromptVersion" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "OptimizationRun_datasetVersionId_fkey" FOREIGN KEY ("datasetVersionId") REFERENCES "DatasetVersion" ("id") ON DELETE NO ACTION ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Iteration" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "runId" TEXT NOT NULL,
    "index" INTEGER NOT NULL,
    "incumbentScore" REAL NOT NULL,
    "accepted" BOOLEAN NOT NULL,
    "acceptedCandidate" INTEGER,
    "summary" JSONB NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Iteration_runId_fkey" FOREIGN KEY ("runId") REFERENCES "OptimizationRun" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Candidate" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "runId" TEXT NOT NULL,
    "iteration" INTEGER NOT NULL,
    "index" INTEGER NOT NULL,
    "systemPrompt" TEXT NOT NULL,
    "outputPrompt" TEXT NOT NULL,
    "demos" JSONB NOT NULL,
    "params" JSONB NOT NULL,
    "rationale" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "rejectReason" TEXT,
    "trainScore" REAL,
    "validationScore" REAL,
    "gainLow" REAL,
    "gainHigh" REAL,
    "accepted" BOOLEAN NOT NULL DEFAULT false,
    CONSTRAINT "Candidate_runId_fkey" FOREIGN KEY ("runId") REFERENCES "OptimizationRun" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ExampleResult" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "runId" TEXT NOT NULL,
    "phase" TEXT NOT NULL,
    "exampleKey" TEXT NOT NULL,
    "split" TEXT NOT NULL,
    "output" TEXT,
    "error" TEXT,
    "score" REAL NOT NULL,
    "metrics" JSONB NOT NULL,
    "inputTokens" INTEGER NOT NULL,
    "outputTokens" INTEGER NOT NULL,
    "costUsd" REAL NOT NULL,
    "latencyMs" INTEGER NOT NULL,
    "cached" BOOLEAN NOT NULL,
    CONSTRAINT "ExampleResult_runId_fkey" FOREIGN KEY ("runId") REFERENCES "OptimizationRun" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "StepCheckpoint" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "runId" TEXT NOT NULL,
    "stepId" TEXT NOT NULL,
    "result" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "StepCheckpoint_runId_fkey" FOREIGN KEY ("runId") REFERENCES "OptimizationRun" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "Project_slug_key" ON "Project"("slug");

-- CreateIndex
CREATE UNIQUE INDEX "ModelConfig_projectId_name_key" ON "ModelConfig"("projectId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "MetricConfig_projectId_name_key" ON "MetricConfig"("projectId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "Task_projectId_name_key" ON "Task"("projectId", "name");

-- CreateIndex
CREATE INDEX "PromptVersion_taskId_contentHash_idx" ON "PromptVersion"("taskId", "contentHash");

-- CreateIndex
CREATE INDEX "PromptVersion_runId_idx" ON "PromptVersion"("runId");

-- CreateIndex
CREATE UNIQUE INDEX "PromptVersion_taskId_version_key" ON "PromptVersion"("taskId", "version");

-- CreateIndex
CREATE UNIQUE INDEX "Dataset_projectId_name_key" ON "Dataset"("projectId", "name");

-- CreateIndex
CREATE INDEX "DatasetVersion_datasetId_contentHash_idx" ON "DatasetVersion"("datasetId", "contentHash");

-- CreateIndex
CREATE UNIQUE INDEX "DatasetVersion_datasetId_version_key" ON "DatasetVersion"("datasetId", "version");

-- CreateIndex
CREATE INDEX "Example_datasetVersionId_rowNumber_idx" ON "Example"("datasetVersionId", "rowNumber");

-- CreateIndex
CREATE UNIQUE INDEX "Example_datasetVersionId_key_key" ON "Example"("datasetVersionId", "key");

-- CreateIndex
CREATE INDEX "OptimizationRun_projectId_createdAt_idx" ON "OptimizationRun"("projectId", "createdAt");

-- CreateIndex
CREATE INDEX "OptimizationRun_taskId_createdAt_idx" ON "OptimizationRun"("taskId", "createdAt");

-- CreateIndex
CREATE INDEX "OptimizationRun_status_idx" ON "OptimizationRun"("status");

-- CreateIndex
CREATE UNIQUE INDEX "Iteration_runId_index_key" ON "Iteration"("runId", "index");

-- CreateIndex
CREATE UNIQUE INDEX "Candidate_runId_iteration_index_key" ON "Candidate"("runId", "iteration", "index");

-- CreateIndex
CREATE UNIQUE INDEX "ExampleResult_runId_phase_exampleKey_key" ON "ExampleResult"("runId", "phase", "exampleKey");

-- CreateIndex
CREATE UNIQUE INDEX "StepCheckpoint_runId_stepId_key" ON "StepCheckpoint"("runId", "stepId");

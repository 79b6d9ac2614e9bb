-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateTable
CREATE TABLE "span" (
    "trace_id" CHAR(32) NOT NULL,
    "span_id" CHAR(16) NOT NULL,
    "parent_span_id" CHAR(16),
    "service" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" INTEGER NOT NULL,
    "start_ns" BIGINT NOT NULL,
    "end_ns" BIGINT NOT NULL,
    "duration_ms" DOUBLE PRECISION NOT NULL,
    "status" INTEGER NOT NULL,
    "status_message" TEXT,
    "attributes" JSONB NOT NULL,
    "events" JSONB NOT NULL,
    "bytes" INTEGER NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "decided" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "span_pkey" PRIMARY KEY ("trace_id","span_id")
);

-- CreateTable
CREATE TABLE "trace" (
    "id" CHAR(32) NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "duration_ms" DOUBLE PRECISION NOT NULL,
    "root_service" TEXT NOT NULL,
    "root_name" TEXT NOT NULL,
    "status" INTEGER NOT NULL,
    "span_count" INTEGER NOT NULL,
    "error_count" INTEGER NOT NULL,
    "services" TEXT[],
    "kept_because" TEXT NOT NULL,
    "bytes" INTEGER NOT NULL,
    "decided_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "trace_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "exchange" (
    "id" UUID NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "trace_id" CHAR(32),
    "gateway_instance" TEXT NOT NULL,
    "client_kind" TEXT NOT NULL,
    "user_id" TEXT,
    "agency_code" TEXT,
    "api_client_id" TEXT,
    "roles" TEXT[],
    "operation_name" TEXT,
    "operation_type" TEXT,
    "operation_hash" TEXT NOT NULL,
    "services" TEXT[],
    "service_calls" JSONB NOT NULL,
    "nats_requests" INTEGER NOT NULL,
    "bytes_in" INTEGER NOT NULL,
    "bytes_out" INTEGER NOT NULL,
    "nats_bytes_out" INTEGER NOT NULL,
    "nats_bytes_in" INTEGER NOT NULL,
    "duration_ms" DOUBLE PRECISION NOT NULL,
    "outcome" TEXT NOT NULL,
    "error_codes" TEXT[],

    CONSTRAINT "exchange_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OutboxEvent" (
    "id" UUID NOT NULL,
    "seq" BIGSERIAL NOT NULL,
    "subject" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "traceparent" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "publishedAt" TIMESTAMP(3),

    CONSTRAINT "OutboxEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ProcessedEvent" (
    "consumer" TEXT NOT NULL,
    "id" UUID NOT NULL,
    "handledAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ProcessedEvent_pkey" PRIMARY KEY ("consumer","id")
);

-- CreateIndex
CREATE INDEX "span_received_at_idx" ON "span"("received_at");

-- CreateIndex
-- Partial (Prisma cannot say so): only spans still waiting for the keep decision.
CREATE INDEX "span_undecided_idx" ON "span"("trace_id", "received_at") WHERE NOT "decided";

-- CreateIndex
CREATE INDEX "trace_started_at_idx" ON "trace"("started_at");

-- CreateIndex
CREATE INDEX "exchange_at_idx" ON "exchange"("at");

-- CreateIndex
CREATE INDEX "exchange_trace_id_idx" ON "exchange"("trace_id");

-- CreateIndex
CREATE INDEX "exchange_agency_code_at_idx" ON "exchange"("agency_code", "at");

-- CreateIndex
CREATE INDEX "OutboxEvent_publishedAt_seq_idx" ON "OutboxEvent"("publishedAt", "seq");


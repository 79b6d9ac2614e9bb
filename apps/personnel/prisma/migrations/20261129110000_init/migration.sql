-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "Sex" AS ENUM ('MALE', 'FEMALE');

-- CreateEnum
CREATE TYPE "AsnStatus" AS ENUM ('CPNS', 'PNS', 'PPPK');

-- CreateEnum
CREATE TYPE "EmployeeStatus" AS ENUM ('ACTIVE', 'RETIRED');

-- CreateEnum
CREATE TYPE "PositionType" AS ENUM ('JPT_UTAMA', 'JPT_MADYA', 'JPT_PRATAMA', 'ADMINISTRATOR', 'PENGAWAS', 'PELAKSANA', 'AHLI_PERTAMA', 'AHLI_MUDA', 'AHLI_MADYA', 'AHLI_UTAMA', 'PEMULA', 'TERAMPIL', 'MAHIR', 'PENYELIA');

-- CreateEnum
CREATE TYPE "CareerEventKind" AS ENUM ('APPOINTMENT', 'PROMOTION', 'TRANSFER', 'POSITION_CHANGE', 'RETIREMENT');

-- CreateTable
CREATE TABLE "Employee" (
    "nip" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "sex" "Sex" NOT NULL,
    "birthDate" DATE NOT NULL,
    "asnStatus" "AsnStatus" NOT NULL,
    "agencyCode" TEXT NOT NULL,
    "unitCode" TEXT,
    "rank" TEXT NOT NULL,
    "rankTmt" DATE NOT NULL,
    "positionName" TEXT NOT NULL,
    "positionType" "PositionType" NOT NULL,
    "status" "EmployeeStatus" NOT NULL DEFAULT 'ACTIVE',
    "retirementDate" DATE NOT NULL,
    "retiredOn" DATE,
    "version" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Employee_pkey" PRIMARY KEY ("nip")
);

-- CreateTable
CREATE TABLE "CareerEvent" (
    "id" UUID NOT NULL,
    "nip" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "kind" "CareerEventKind" NOT NULL,
    "effectiveDate" DATE NOT NULL,
    "decreeNumber" TEXT NOT NULL,
    "recordedById" TEXT NOT NULL,
    "recordedByName" TEXT NOT NULL,
    "recordedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "reason" TEXT,
    "asnStatus" "AsnStatus",
    "agencyCode" TEXT,
    "unitCode" TEXT,
    "rank" TEXT,
    "positionName" TEXT,
    "positionType" "PositionType",

    CONSTRAINT "CareerEvent_pkey" PRIMARY KEY ("id")
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
CREATE INDEX "Employee_agencyCode_nip_idx" ON "Employee"("agencyCode", "nip");

-- CreateIndex
CREATE INDEX "Employee_agencyCode_status_retirementDate_idx" ON "Employee"("agencyCode", "status", "retirementDate");

-- CreateIndex
CREATE INDEX "Employee_status_retirementDate_idx" ON "Employee"("status", "retirementDate");

-- CreateIndex
CREATE UNIQUE INDEX "CareerEvent_nip_seq_key" ON "CareerEvent"("nip", "seq");

-- CreateIndex
CREATE INDEX "OutboxEvent_publishedAt_seq_idx" ON "OutboxEvent"("publishedAt", "seq");

-- AddForeignKey
ALTER TABLE "CareerEvent" ADD CONSTRAINT "CareerEvent_nip_fkey" FOREIGN KEY ("nip") REFERENCES "Employee"("nip") ON DELETE RESTRICT ON UPDATE CASCADE;


-- Career history is append-only: corrections are new events, never edits.
CREATE FUNCTION career_event_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'CareerEvent is append-only (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "CareerEvent_append_only" BEFORE UPDATE OR DELETE ON "CareerEvent"
  FOR EACH ROW EXECUTE FUNCTION career_event_append_only();

-- The current state sums up exactly `version` events.
ALTER TABLE "Employee" ADD CONSTRAINT "Employee_version_positive" CHECK (version >= 1);
ALTER TABLE "Employee" ADD CONSTRAINT "Employee_nip_digits" CHECK (nip ~ '^[0-9]{18}$');

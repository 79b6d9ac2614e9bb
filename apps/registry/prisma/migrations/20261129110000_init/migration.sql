-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "ApplicationKind" AS ENUM ('UMUM', 'KHUSUS');

-- CreateEnum
CREATE TYPE "ApplicationStatus" AS ENUM ('PLANNED', 'IN_DEVELOPMENT', 'IN_PRODUCTION', 'RETIRED');

-- CreateEnum
CREATE TYPE "ApplicationHosting" AS ENUM ('NATIONAL_DATA_CENTRE', 'AGENCY_OWN');

-- CreateEnum
CREATE TYPE "AdoptionState" AS ENUM ('NOT_STARTED', 'MIGRATING', 'ADOPTED');

-- CreateTable
CREATE TABLE "Application" (
    "id" UUID NOT NULL,
    "ownerAgencyCode" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "functionCodes" TEXT[],
    "kind" "ApplicationKind" NOT NULL DEFAULT 'KHUSUS',
    "status" "ApplicationStatus" NOT NULL,
    "annualCostRupiah" BIGINT NOT NULL,
    "hosting" "ApplicationHosting" NOT NULL,
    "userCount" INTEGER NOT NULL,
    "dataHeld" TEXT[],
    "subsystem" TEXT,
    "replacedById" UUID,
    "designatedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Application_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ExposedService" (
    "id" UUID NOT NULL,
    "applicationId" UUID NOT NULL,
    "identifier" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ExposedService_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AccessRight" (
    "id" UUID NOT NULL,
    "serviceId" UUID NOT NULL,
    "clientSubsystem" TEXT NOT NULL,
    "grantedBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AccessRight_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Adoption" (
    "id" UUID NOT NULL,
    "commonApplicationId" UUID NOT NULL,
    "agencyCode" TEXT NOT NULL,
    "state" "AdoptionState" NOT NULL,
    "updatedBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Adoption_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DuplicateAnalysis" (
    "id" UUID NOT NULL,
    "minScore" DOUBLE PRECISION NOT NULL,
    "applicationCount" INTEGER NOT NULL,
    "catalogueStamp" TIMESTAMP(3) NOT NULL,
    "clusters" JSONB NOT NULL,
    "durationMs" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DuplicateAnalysis_pkey" PRIMARY KEY ("id")
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
CREATE UNIQUE INDEX "Application_subsystem_key" ON "Application"("subsystem");

-- CreateIndex
CREATE INDEX "Application_name_id_idx" ON "Application"("name", "id");

-- CreateIndex
CREATE UNIQUE INDEX "Application_ownerAgencyCode_name_key" ON "Application"("ownerAgencyCode", "name");

-- CreateIndex
CREATE UNIQUE INDEX "ExposedService_identifier_key" ON "ExposedService"("identifier");

-- CreateIndex
CREATE INDEX "ExposedService_applicationId_idx" ON "ExposedService"("applicationId");

-- CreateIndex
CREATE INDEX "AccessRight_clientSubsystem_idx" ON "AccessRight"("clientSubsystem");

-- CreateIndex
CREATE UNIQUE INDEX "AccessRight_serviceId_clientSubsystem_key" ON "AccessRight"("serviceId", "clientSubsystem");

-- CreateIndex
CREATE INDEX "Adoption_agencyCode_idx" ON "Adoption"("agencyCode");

-- CreateIndex
CREATE UNIQUE INDEX "Adoption_commonApplicationId_agencyCode_key" ON "Adoption"("commonApplicationId", "agencyCode");

-- CreateIndex
CREATE INDEX "DuplicateAnalysis_createdAt_idx" ON "DuplicateAnalysis"("createdAt");

-- CreateIndex
CREATE INDEX "OutboxEvent_publishedAt_seq_idx" ON "OutboxEvent"("publishedAt", "seq");

-- AddForeignKey
ALTER TABLE "Application" ADD CONSTRAINT "Application_replacedById_fkey" FOREIGN KEY ("replacedById") REFERENCES "Application"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ExposedService" ADD CONSTRAINT "ExposedService_applicationId_fkey" FOREIGN KEY ("applicationId") REFERENCES "Application"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AccessRight" ADD CONSTRAINT "AccessRight_serviceId_fkey" FOREIGN KEY ("serviceId") REFERENCES "ExposedService"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Adoption" ADD CONSTRAINT "Adoption_commonApplicationId_fkey" FOREIGN KEY ("commonApplicationId") REFERENCES "Application"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


-- Money and counts are never negative.
ALTER TABLE "Application" ADD CONSTRAINT "Application_annualCostRupiah_check" CHECK ("annualCostRupiah" >= 0);
ALTER TABLE "Application" ADD CONSTRAINT "Application_userCount_check" CHECK ("userCount" >= 0);

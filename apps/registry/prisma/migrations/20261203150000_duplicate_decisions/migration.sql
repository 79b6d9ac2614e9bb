-- CreateEnum
CREATE TYPE "DuplicateDecisionKind" AS ENUM ('CONFIRMED', 'REJECTED');

-- CreateTable
CREATE TABLE "DuplicateDecision" (
    "id" UUID NOT NULL,
    "applicationIds" TEXT[],
    "decision" "DuplicateDecisionKind" NOT NULL,
    "reason" TEXT NOT NULL,
    "reviewerId" TEXT NOT NULL,
    "reviewerName" TEXT NOT NULL,
    "reviewerAgencyCode" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DuplicateDecision_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "DuplicateDecision_createdAt_idx" ON "DuplicateDecision"("createdAt");

-- AlterTable
ALTER TABLE "DuplicateAnalysis" ADD COLUMN "decisionCount" INTEGER NOT NULL DEFAULT 0;

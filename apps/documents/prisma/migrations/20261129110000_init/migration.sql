-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "DocumentStatus" AS ENUM ('DRAFT', 'IN_REVIEW', 'RETURNED', 'READY_TO_SIGN', 'SIGNED', 'SENT', 'ARCHIVED');

-- CreateEnum
CREATE TYPE "SecurityClass" AS ENUM ('BIASA', 'TERBATAS', 'RAHASIA', 'SANGAT_RAHASIA');

-- CreateEnum
CREATE TYPE "Urgency" AS ENUM ('BIASA', 'SEGERA', 'SANGAT_SEGERA');

-- CreateEnum
CREATE TYPE "FinalDisposition" AS ENUM ('DESTROY', 'PERMANENT');

-- CreateEnum
CREATE TYPE "RecipientKind" AS ENUM ('EMPLOYEE', 'UNIT', 'AGENCY');

-- CreateEnum
CREATE TYPE "DispositionStatus" AS ENUM ('OPEN', 'FORWARDED', 'COMPLETED', 'WITHDRAWN', 'RETURNED');

-- CreateTable
CREATE TABLE "Document" (
    "id" UUID NOT NULL,
    "type" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "classificationCode" TEXT NOT NULL,
    "securityClass" "SecurityClass" NOT NULL,
    "urgency" "Urgency" NOT NULL,
    "status" "DocumentStatus" NOT NULL DEFAULT 'DRAFT',
    "agencyCode" TEXT NOT NULL,
    "unitCode" TEXT,
    "authorUsername" TEXT NOT NULL,
    "authorName" TEXT NOT NULL,
    "reviewers" TEXT[],
    "reviewIndex" INTEGER NOT NULL DEFAULT 0,
    "signerUsername" TEXT NOT NULL,
    "signerName" TEXT NOT NULL,
    "seq" INTEGER,
    "year" INTEGER,
    "number" TEXT,
    "signedAt" TIMESTAMP(3),
    "digest" TEXT,
    "signature" TEXT,
    "signingKeyId" TEXT,
    "sentAt" TIMESTAMP(3),
    "archivedAt" TIMESTAMP(3),
    "activeUntil" TIMESTAMP(3),
    "retentionEndsAt" TIMESTAMP(3),
    "finalDisposition" "FinalDisposition",
    "auditHead" TEXT NOT NULL DEFAULT '',
    "auditCount" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Document_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Recipient" (
    "id" UUID NOT NULL,
    "documentId" UUID NOT NULL,
    "kind" "RecipientKind" NOT NULL,
    "agencyCode" TEXT NOT NULL,
    "unitCode" TEXT,
    "nip" TEXT,
    "readAt" TIMESTAMP(3),
    "handledAt" TIMESTAMP(3),

    CONSTRAINT "Recipient_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReviewStep" (
    "id" UUID NOT NULL,
    "documentId" UUID NOT NULL,
    "username" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "comment" TEXT,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ReviewStep_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Attachment" (
    "id" UUID NOT NULL,
    "documentId" UUID NOT NULL,
    "filename" TEXT NOT NULL,
    "contentType" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "sha256" TEXT NOT NULL,
    "objectName" TEXT NOT NULL,
    "uploadedBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Attachment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Disposition" (
    "id" UUID NOT NULL,
    "documentId" UUID NOT NULL,
    "parentId" UUID,
    "fromUsername" TEXT NOT NULL,
    "fromName" TEXT NOT NULL,
    "toNip" TEXT NOT NULL,
    "toName" TEXT NOT NULL,
    "agencyCode" TEXT NOT NULL,
    "instruction" TEXT NOT NULL,
    "dueDate" DATE,
    "status" "DispositionStatus" NOT NULL DEFAULT 'OPEN',
    "note" TEXT,
    "readAt" TIMESTAMP(3),
    "closedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Disposition_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DocumentAuditEntry" (
    "id" UUID NOT NULL,
    "documentId" UUID NOT NULL,
    "seq" INTEGER NOT NULL,
    "action" TEXT NOT NULL,
    "actor" TEXT NOT NULL,
    "detail" JSONB NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "previousHash" TEXT NOT NULL,
    "hash" TEXT NOT NULL,

    CONSTRAINT "DocumentAuditEntry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ClassificationCode" (
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "activeYears" INTEGER NOT NULL,
    "inactiveYears" INTEGER NOT NULL,
    "finalDisposition" "FinalDisposition" NOT NULL,

    CONSTRAINT "ClassificationCode_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "NumberCounter" (
    "agencyCode" TEXT NOT NULL,
    "year" INTEGER NOT NULL,
    "lastSeq" INTEGER NOT NULL,

    CONSTRAINT "NumberCounter_pkey" PRIMARY KEY ("agencyCode","year")
);

-- CreateTable
CREATE TABLE "AgencyNumbering" (
    "agencyCode" TEXT NOT NULL,
    "format" TEXT NOT NULL,

    CONSTRAINT "AgencyNumbering_pkey" PRIMARY KEY ("agencyCode")
);

-- CreateTable
CREATE TABLE "Employee" (
    "nip" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "agencyCode" TEXT NOT NULL,
    "unitCode" TEXT,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Employee_pkey" PRIMARY KEY ("nip")
);

-- CreateTable
CREATE TABLE "SigningKey" (
    "kid" TEXT NOT NULL,
    "publicKey" TEXT NOT NULL,
    "privateKey" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "retiredAt" TIMESTAMP(3),

    CONSTRAINT "SigningKey_pkey" PRIMARY KEY ("kid")
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
CREATE INDEX "Document_agencyCode_status_idx" ON "Document"("agencyCode", "status");

-- CreateIndex
CREATE INDEX "Document_authorUsername_idx" ON "Document"("authorUsername");

-- CreateIndex
CREATE INDEX "Document_createdAt_id_idx" ON "Document"("createdAt", "id");

-- CreateIndex
CREATE UNIQUE INDEX "Document_agencyCode_year_seq_key" ON "Document"("agencyCode", "year", "seq");

-- CreateIndex
CREATE INDEX "Recipient_nip_idx" ON "Recipient"("nip");

-- CreateIndex
CREATE INDEX "Recipient_agencyCode_unitCode_idx" ON "Recipient"("agencyCode", "unitCode");

-- CreateIndex
CREATE INDEX "Recipient_documentId_idx" ON "Recipient"("documentId");

-- CreateIndex
CREATE INDEX "ReviewStep_documentId_at_idx" ON "ReviewStep"("documentId", "at");

-- CreateIndex
CREATE UNIQUE INDEX "Attachment_objectName_key" ON "Attachment"("objectName");

-- CreateIndex
CREATE INDEX "Attachment_documentId_idx" ON "Attachment"("documentId");

-- CreateIndex
CREATE INDEX "Disposition_toNip_status_idx" ON "Disposition"("toNip", "status");

-- CreateIndex
CREATE INDEX "Disposition_fromUsername_status_idx" ON "Disposition"("fromUsername", "status");

-- CreateIndex
CREATE INDEX "Disposition_documentId_idx" ON "Disposition"("documentId");

-- CreateIndex
CREATE UNIQUE INDEX "DocumentAuditEntry_documentId_seq_key" ON "DocumentAuditEntry"("documentId", "seq");

-- CreateIndex
CREATE INDEX "Employee_agencyCode_unitCode_idx" ON "Employee"("agencyCode", "unitCode");

-- CreateIndex
CREATE INDEX "OutboxEvent_publishedAt_seq_idx" ON "OutboxEvent"("publishedAt", "seq");

-- AddForeignKey
ALTER TABLE "Recipient" ADD CONSTRAINT "Recipient_documentId_fkey" FOREIGN KEY ("documentId") REFERENCES "Document"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReviewStep" ADD CONSTRAINT "ReviewStep_documentId_fkey" FOREIGN KEY ("documentId") REFERENCES "Document"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Attachment" ADD CONSTRAINT "Attachment_documentId_fkey" FOREIGN KEY ("documentId") REFERENCES "Document"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Disposition" ADD CONSTRAINT "Disposition_documentId_fkey" FOREIGN KEY ("documentId") REFERENCES "Document"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Disposition" ADD CONSTRAINT "Disposition_parentId_fkey" FOREIGN KEY ("parentId") REFERENCES "Disposition"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DocumentAuditEntry" ADD CONSTRAINT "DocumentAuditEntry_documentId_fkey" FOREIGN KEY ("documentId") REFERENCES "Document"("id") ON DELETE CASCADE ON UPDATE CASCADE;


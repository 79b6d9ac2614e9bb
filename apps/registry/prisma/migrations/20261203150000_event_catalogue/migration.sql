-- CreateTable
CREATE TABLE "EventType" (
    "id" UUID NOT NULL,
    "ownerAgencyCode" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "description" TEXT NOT NULL,
    "payloadSchema" JSONB NOT NULL,
    "declaredBy" TEXT NOT NULL,
    "deprecatedAt" TIMESTAMP(3),
    "deprecationNote" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "EventType_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EventAccessGrant" (
    "id" UUID NOT NULL,
    "ownerAgencyCode" TEXT NOT NULL,
    "eventName" TEXT NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 0,
    "clientId" TEXT NOT NULL,
    "grantedBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "EventAccessGrant_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EventRejection" (
    "id" UUID NOT NULL,
    "agencyCode" TEXT NOT NULL,
    "eventId" TEXT,
    "eventName" TEXT,
    "version" INTEGER,
    "channel" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "excerpt" TEXT NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "EventRejection_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "EventType_ownerAgencyCode_name_version_key" ON "EventType"("ownerAgencyCode", "name", "version");

-- CreateIndex
CREATE INDEX "EventAccessGrant_clientId_idx" ON "EventAccessGrant"("clientId");

-- CreateIndex
CREATE UNIQUE INDEX "EventAccessGrant_ownerAgencyCode_eventName_version_clientId_key" ON "EventAccessGrant"("ownerAgencyCode", "eventName", "version", "clientId");

-- CreateIndex
CREATE INDEX "EventRejection_agencyCode_receivedAt_idx" ON "EventRejection"("agencyCode", "receivedAt");

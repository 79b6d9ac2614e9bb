-- CreateTable
CREATE TABLE "KnownAgency" (
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "KnownAgency_pkey" PRIMARY KEY ("code")
);


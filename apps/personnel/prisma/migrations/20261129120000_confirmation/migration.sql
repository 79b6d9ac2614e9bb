-- A CPNS appointed PNS after probation (pengangkatan PNS) is a career event of its own.
ALTER TYPE "CareerEventKind" ADD VALUE 'CONFIRMATION' AFTER 'APPOINTMENT';

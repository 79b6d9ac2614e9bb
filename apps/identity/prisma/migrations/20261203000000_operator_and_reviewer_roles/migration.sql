-- AlterEnum: roles for the operators' console (issue 10) and duplicate review (issue 15)
ALTER TYPE "Role" ADD VALUE 'OPERATOR';
ALTER TYPE "Role" ADD VALUE 'DUPLICATE_REVIEWER';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgencyCreated, subjectsFor } from '@simpul/contracts';
import { uniqueNamespace } from '@simpul/testing';
import { createEvent } from '../src/events.ts';
import { SqlOutboxStore, writeOutboxEvent, writeOutboxEvents } from '../src/outbox-sql.ts';
import { createEventDatabase, type EventDatabase } from './faults/support.ts';

const subjects = subjectsFor(uniqueNamespace());
let database: EventDatabase;

beforeAll(async () => {
  database = await createEventDatabase();
}, 120_000);
afterAll(async () => {
  await database?.close();
});

const agency = (i: number) => createEvent(subjects, AgencyCreated, { code: `AG-${i}`, name: `Agency "${i}", {quoted}`, kind: 'REGENCY', parentCode: null });

describe(writeOutboxEvents.name, () => {
  it('stores many events in one statement, in the given order, behind those already written', async () => {
    const before = agency(0);
    const many = Array.from({ length: 250 }, (_, i) => agency(i + 1));
    await database.transaction((tx) => writeOutboxEvent(tx, before));
    await database.transaction((tx) => writeOutboxEvents(tx, many));
    await database.transaction((tx) => writeOutboxEvents(tx, []));
    const pending = await new SqlOutboxStore(database.raw).pending(1_000);
    // The relay publishes in this order: what was written first comes first, payloads intact.
    expect(pending.map((e) => e.id)).toEqual([before, ...many].map((e) => e.id));
    expect(pending[100]).toEqual(many[99]);
  });
});

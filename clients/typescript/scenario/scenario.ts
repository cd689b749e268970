// The generated TypeScript client (src/) in a whole scenario against a live segmenta:
//   node target/ts-scenario/scenario/scenario.js BASE_URL CSV_FILE
// (compiled by `tsc -p tsconfig.scenario.json`). Signs up, imports orders as JSON and as CSV,
// creates and refreshes a segment, pages through the users with the cursor to the end, reads
// the segment metrics and the RFM transition matrix, exports the users CSV, and meets a 422
// as a typed Problem. Exits non-zero on the first failed check.

import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';

import { createClient } from '../src/client';
import {
  createSegment,
  exportUsersCsv,
  getRfmTransitions,
  getSegmentMetrics,
  importOrders,
  listUsers,
  refreshSegment,
  signup,
  type OrderRow,
  type Problem,
} from '../src';

let checks = 0;

function check(condition: boolean, what: string): asserts condition {
  if (!condition) {
    console.error(`typescript client scenario: FAILED: ${what}`);
    process.exit(1);
  }
  checks += 1;
}

async function main(baseUrl: string, csvPath: string): Promise<void> {
  const anonymous = createClient({ baseUrl });
  const email = `ts-${randomUUID().slice(0, 10)}@scenario.test`;
  const signedUp = await signup({
    client: anonymous,
    body: { workspace_name: 'TypeScript scenario', email, password: 'a-long-password' },
  });
  check(signedUp.data !== undefined, `signup: ${JSON.stringify(signedUp.error)}`);
  const token = signedUp.data.access_token;
  const client = createClient({ baseUrl, auth: () => token });

  const rows: OrderRow[] = [
    { order_id: 'ts-1', customer_id: 'ts-a', ordered_at: '2025-01-10', amount: 120.5, quantity: 2 },
    { order_id: 'ts-2', customer_id: 'ts-a', ordered_at: '2025-03-02T10:00:00Z', amount: -20.5 },
    { order_id: 'ts-3', customer_id: 'ts-b', ordered_at: '2025-02-14', amount: 35 },
  ];
  const json = await importOrders({ client, body: rows });
  check(json.data !== undefined, `JSON import: ${JSON.stringify(json.error)}`);
  check(json.data.rows === 3 && json.data.imported === 3 && json.data.committed, 'JSON import counts');
  check(json.data.scoring?.state === 'current', `scored after the import: ${JSON.stringify(json.data.scoring)}`);

  // The generator types the JSON body; a CSV file goes as it is, with its media type.
  const csv = await importOrders({
    client,
    body: readFileSync(csvPath, 'utf8') as never,
    bodySerializer: null,
    headers: { 'Content-Type': 'text/csv' },
  });
  check(csv.data !== undefined, `CSV import: ${JSON.stringify(csv.error)}`);
  check(csv.data.committed && csv.data.error_count === 0 && csv.data.rows > 1000, 'CSV import counts');

  const created = await createSegment({
    client,
    body: {
      name: 'Big spenders',
      conditions: { match: 'all', conditions: [{ field: 'behaviour.revenue_total', op: 'gte', value: 100 }] },
    },
  });
  check(created.data !== undefined && created.data.size >= 1, `segment created: ${JSON.stringify(created.error)}`);
  const refreshed = await refreshSegment({ client, path: { id: created.data.id } });
  check(refreshed.data?.size === created.data.size, 'segment refreshed');

  const seen = new Set<number>();
  let cursor: string | undefined;
  let pages = 0;
  for (;;) {
    const page = await listUsers({ client, query: { limit: 200, cursor } });
    check(page.data !== undefined, `users page: ${JSON.stringify(page.error)}`);
    pages += 1;
    for (const user of page.data.items) {
      check(!seen.has(user.id), `user ${user.id} listed twice`);
      seen.add(user.id);
    }
    if (!page.data.next_cursor) break;
    cursor = page.data.next_cursor;
  }
  check(pages > 1 && seen.size > 1000, `paged through ${seen.size} users in ${pages} pages`);

  const metrics = await getSegmentMetrics({ client, query: { as_of: '2025-06-30' } });
  check(metrics.data?.rfm.length === 8, 'segment metrics of the eight RFM segments');
  const transitions = await getRfmTransitions({ client, query: { from: '1997-06-30', to: '1998-06-30' } });
  check(transitions.data !== undefined, `transitions: ${JSON.stringify(transitions.error)}`);
  check(transitions.data.cells.reduce((n, c) => n + c.count, 0) > 0, 'transitions count users');

  const exported = await exportUsersCsv({ client, query: { as_of: '2025-06-30' }, parseAs: 'text' });
  check(typeof exported.data === 'string', 'export is text');
  const lines = (exported.data as string).trimEnd().split('\n');
  check(lines[0].split(',').includes('rfm_segment'), `export header: ${lines[0]}`);
  check(lines.length === seen.size + 1, 'one export row per user');

  const bad = await createSegment({
    client,
    body: { name: 'Broken', conditions: { match: 'all', conditions: [{ field: 'user.nonsense', op: 'eq', value: 1 }] } },
  });
  const problem: Problem | undefined = bad.error;
  check(bad.response.status === 422 && problem !== undefined, 'a 422 with a Problem body');
  check(problem.status === 422 && (problem.errors ?? []).length > 0, `the 422 names what is wrong: ${JSON.stringify(problem)}`);

  console.log(`typescript client scenario: ${checks} passed, 0 failed`);
}

main(process.argv[2], process.argv[3]).catch((e: unknown) => {
  console.error('typescript client scenario: FAILED:', e);
  process.exit(1);
});

// jsforce's Bulk API 1.0 (`conn.bulk`, https://jsforce.github.io/document/#bulk-api), as its users write it, against
// the emulator: `node bulk1.mjs <instanceUrl> <accessToken>`. Prints one JSON object with what it saw; errors exit non-zero.
import jsforce from 'jsforce';

const [, , instanceUrl, accessToken] = process.argv;
const conn = new jsforce.Connection({ instanceUrl, accessToken, version: '66.0' });
conn.bulk.pollInterval = 50;
conn.bulk.pollTimeout = 20000;
const seen = {};

// "Bulk.load(type, operation, input)": resolves with one result per input record, { id, success, errors }.
const inserted = await conn.bulk.load('Account', 'insert', [
  { Name: 'Bulk1 One', Industry: 'Media' },
  { Name: 'Bulk1, Two', Industry: 'Energy' },
  { Industry: 'Media' },
]);
seen.insert = inserted.map((r) => ({ id: typeof r.id === 'string' && r.id.length > 0, success: r.success, errors: r.errors }));

const ids = inserted.filter((r) => r.success).map((r) => r.id);
const updated = await conn.bulk.load('Account', 'update', ids.map((Id) => ({ Id, Industry: 'Retail' })));
seen.update = updated.map((r) => r.success);

// "Bulk.query(soql)": a record stream of the query's rows.
const rows = await (await conn.bulk.query("SELECT Id, Name, Industry FROM Account WHERE Name LIKE 'Bulk1%' ORDER BY Name")).toArray();
seen.query = rows.map((r) => ({ Name: r.Name, Industry: r.Industry }));

// A job created and driven by hand: job.info(), batches, close.
const job = conn.bulk.createJob('Account', 'delete');
const batch = job.createBatch();
const deleted = await new Promise((resolve, reject) => {
  batch.on('error', reject);
  batch.on("queue", () => batch.poll(50, 20000));
  batch.on('response', resolve);
  batch.execute(ids.map((Id) => ({ Id })));
});
seen.delete = deleted.map((r) => r.success);
const info = await job.check(); // "Job#check(): check the latest job status from server"
seen.jobInfo = { state: info.state, operation: info.operation, object: info.object, numberBatchesTotal: info.numberBatchesTotal };
await job.close();
seen.closedState = (await job.check()).state;

console.log(JSON.stringify(seen));
